import { builder } from '../builder.ts';
import { confirmFollow, FOLLOW_INPUT, follow, unsubscribe } from '../domain/follow.ts';
import { inputTypeOf } from './input-table.ts';

builder.enumType('FollowTargetKind', {
  description: 'What a resident can follow by email.',
  values: {
    CONCERN: { description: 'A concern: its status changes and public notes.' },
    NEIGHBORHOOD: { description: 'A neighborhood: every public concern in it.' },
    INITIATIVE: { description: 'An initiative of the city plan.' },
  } as const,
});

builder.enumType('FollowFrequency', {
  description: 'How often a follower is emailed.',
  values: {
    IMMEDIATE: { description: 'One email per change.' },
    DAILY: { description: 'One daily digest.' },
  } as const,
});

const FollowInput = inputTypeOf(
  'FollowInput',
  'Follow something by email, without an account (a confirmation link is emailed first).',
  FOLLOW_INPUT,
);

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
    description:
      'Follows a concern, neighborhood or initiative by email (anyone). A confirmation link is emailed; nothing is sent before it is opened. The answer is true whether or not the address already follows.',
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
