import { badInput } from '@civic/server-kit/errors';
import { builder } from '../builder.ts';
import { confirmFollow, follow, unsubscribe } from '../domain/follow.ts';
import { followInput } from '../domain/inputs.ts';
import { parseInput } from '../domain/write.ts';

const FollowTargetKind = builder.enumType('FollowTargetKind', {
  description: 'What a resident can follow by email.',
  values: {
    CONCERN: { description: 'A concern: its status changes and public notes.' },
    NEIGHBORHOOD: { description: 'A neighborhood: every public concern in it.' },
    INITIATIVE: { description: 'An initiative of the city plan.' },
  } as const,
});

const FollowFrequency = builder.enumType('FollowFrequency', {
  description: 'How often a follower is emailed.',
  values: {
    IMMEDIATE: { description: 'One email per change.' },
    DAILY: { description: 'One daily digest.' },
  } as const,
});

const FollowInput = builder.inputType('FollowInput', {
  description: 'Follow something by email, without an account (a confirmation link is emailed first).',
  fields: (t) => ({
    targetKind: t.field({ type: FollowTargetKind, required: true, description: 'What kind of thing.' }),
    targetId: t.id({ required: true, description: 'Its id.' }),
    email: t.string({ required: true, description: 'Email address (personal data: never shown to anyone).' }),
    language: t.string({ required: false, description: 'Language of the emails: "en" (default) or "es".' }),
    frequency: t.field({ type: FollowFrequency, required: false, description: 'Default IMMEDIATE.' }),
  }),
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
    description:
      'Follows a concern, neighborhood or initiative by email (anyone). A confirmation link is emailed; nothing is sent before it is opened. The answer is true whether or not the address already follows.',
    args: { input: t.arg({ type: FollowInput, required: true, description: 'What to follow, and how.' }) },
    resolve: (_root, args, ctx) => follow(ctx.prisma, parseInput(followInput, args.input)),
  }),
  confirmFollow: t.field({
    type: FollowLinkResult,
    description: 'Confirms a follow with the signed token of its confirmation link (anyone).',
    args: { token: t.arg.string({ required: true, description: 'The token from the link.' }) },
    resolve: (_root, args, ctx) => confirmFollow(ctx.prisma, linkToken(args.token)),
  }),
  unsubscribe: t.field({
    type: FollowLinkResult,
    description: 'Deletes a follower’s address with the signed token of an unsubscribe link (anyone).',
    args: { token: t.arg.string({ required: true, description: 'The token from the link.' }) },
    resolve: (_root, args, ctx) => unsubscribe(ctx.prisma, linkToken(args.token)),
  }),
}));

/** A link token is a few hundred characters at most (as the gateway's link pages also require). */
function linkToken(token: string): string {
  if (token.length > 500) throw badInput('token is too long', [{ field: 'token', message: 'At most 500 characters' }]);
  return token;
}
