import { badInput } from '@civic/server-kit/errors';
import { builder } from '../builder.ts';
import { confirmFollow, FOLLOW_INPUT, FOLLOWS_PER_CLIENT_PER_HOUR, follow, unsubscribe } from '../domain/follow.ts';
import { isConcernVisible, PUBLIC_CONCERN } from '../domain/visibility.ts';
import { Concern } from './concern.ts';

const FollowInput = builder.inputType('FollowInput', {
  description: 'Follow something by email, without an account (a confirmation link is emailed first).',
  fields: (t) => FOLLOW_INPUT.fields(t),
});

const FollowLinkOutcome = builder.enumType('FollowLinkOutcome', {
  description: 'What a link in a follower email did.',
  values: {
    CONFIRMED: { description: 'The address now follows.' },
    ALREADY_CONFIRMED: { description: 'It already did.' },
    UNSUBSCRIBED: { description: 'The address was deleted (or already was).' },
    INVALID: { description: 'The link is not one we sent, or its address has since been deleted.' },
  } as const,
});

const FollowLinkResult = builder
  .objectRef<{ outcome: 'CONFIRMED' | 'ALREADY_CONFIRMED' | 'UNSUBSCRIBED' | 'INVALID'; language: string | null }>(
    'FollowLinkResult',
  )
  .implement({
    description: 'The result of a confirmation or unsubscribe link.',
    fields: (t) => ({
      outcome: t.field({ type: FollowLinkOutcome, description: 'What happened.', resolve: (r) => r.outcome }),
      language: t.exposeString('language', { nullable: true, description: 'The follower’s language, when known.' }),
    }),
  });

builder.mutationFields((t) => ({
  follow: t.boolean({
    description: `Follows a concern, neighborhood or initiative by email (anyone). A confirmation link is emailed; nothing is sent before it is opened. The answer is true whether or not the address already follows. CONFLICT (reason RATE_LIMITED) after ${FOLLOWS_PER_CLIENT_PER_HOUR} sign-ups in an hour from one client (caller address or API key).`,
    args: { input: t.arg({ type: FollowInput, required: true, description: 'What to follow, and how.' }) },
    resolve: (_root, args, ctx) => follow(ctx, args.input),
  }),
  confirmFollow: t.field({
    type: FollowLinkResult,
    description: 'Confirms a follow with the signed token of its confirmation link (anyone).',
    args: { token: t.arg.string({ required: true, description: 'The token from the link.' }) },
    resolve: (_root, args, ctx) => confirmFollow(ctx, args),
  }),
  unsubscribe: t.field({
    type: FollowLinkResult,
    description: 'Deletes a follower’s address with the signed token of an unsubscribe link (anyone).',
    args: { token: t.arg.string({ required: true, description: 'The token from the link.' }) },
    resolve: (_root, args, ctx) => unsubscribe(ctx, args),
  }),
}));

/** What the Atom feeds of the gateway read: the concerns' public status changes, newest first. */
const PUBLIC_CHANGES_MAX = 100;

builder.prismaObjectField('ConcernStatusChange', 'concern', (t) =>
  t.field({
    type: Concern,
    nullable: true,
    description: 'The concern that changed (null when the caller may not see it).',
    resolve: async (change, _args, ctx) => {
      const concern = await ctx.loaders.concern.load(change.concernId);
      return concern && isConcernVisible(ctx.identity, concern) ? concern : null;
    },
  }),
);

builder.queryFields((t) => ({
  publicStatusChanges: t.prismaField({
    type: ['ConcernStatusChange'],
    cost: 2,
    listSize: { slicingArguments: ['first'], requireOneSlicingArgument: false },
    description:
      'Status changes of public concerns (published and accepted), newest first, citywide or in one neighborhood: what the Atom feeds and follower emails announce. Page with `before` (the `changedAt` of the last one seen).',
    args: {
      neighborhoodId: t.arg.id({ required: false, description: 'Only concerns in this neighborhood.' }),
      before: t.arg({ type: 'DateTime', required: false, description: 'Only changes made before this time.' }),
      first: t.arg.int({ required: false, defaultValue: 20, description: `How many (1–${PUBLIC_CHANGES_MAX}).` }),
    },
    resolve: (query, _root, args, ctx) => {
      const first = args.first ?? 20;
      if (first < 1 || first > PUBLIC_CHANGES_MAX) {
        throw badInput('first is out of range', [{ field: 'first', message: `between 1 and ${PUBLIC_CHANGES_MAX}` }]);
      }
      return ctx.prisma.concernStatusChange.findMany({
        ...query,
        where: {
          concern: {
            ...PUBLIC_CONCERN,
            ...(args.neighborhoodId ? { neighborhoodId: String(args.neighborhoodId) } : {}),
          },
          ...(args.before ? { changedAt: { lt: args.before } } : {}),
        },
        orderBy: [{ changedAt: 'desc' }, { id: 'desc' }],
        take: first,
      });
    },
  }),
}));
