import { isStaff } from '@civic/graphql-kit/roles';
import { builder } from '../builder.ts';
import {
  DISPUTE_INPUT,
  DISPUTE_MODERATION_ARGS,
  DISPUTES_PER_ADDRESS_PER_DAY,
  disputeConcern,
  moderateDispute,
  visibleDispute,
} from '../domain/dispute.ts';
import { DISPUTES_PER_CLIENT_PER_DAY } from '../domain/follow.ts';
import { isConcernVisible, visibleConcerns } from '../domain/visibility.ts';
import { Concern } from './concern.ts';
import { ModerationState } from './enums.ts';

const ConcernDispute = builder.prismaObject('ConcernDispute', {
  description:
    'A follower saying an ADDRESSED concern is not fixed. It reopened the concern (back to UNDER_REVIEW); its note is public once staff accept it.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Dispute id.' }),
    note: t.exposeString('note', { description: 'What the resident says is still wrong.' }),
    language: t.exposeString('language', { description: 'Language of the note ("en" or "es").' }),
    moderation: t.field({
      type: ModerationState,
      description: 'Moderation of the note (only ACCEPTED ones are public).',
      resolve: (d) => d.moderation,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was filed.' }),
    concern: t.field({
      type: Concern,
      nullable: true,
      description: 'The disputed concern (null when the caller may not see it).',
      resolve: async (d, _args, ctx) => {
        const concern = await ctx.loaders.concern.load(d.concernId);
        return concern && isConcernVisible(ctx.identity, concern) ? concern : null;
      },
    }),
  }),
});

builder.prismaObjectField('Concern', 'disputes', (t) =>
  t.prismaField({
    type: ['ConcernDispute'],
    description: 'Residents’ disputes of this concern, oldest first: accepted ones for everyone, all for staff.',
    resolve: (query, concern, _args, ctx) =>
      ctx.prisma.concernDispute.findMany({
        ...query,
        where: { concernId: concern.id, ...(isStaff(ctx.identity) ? {} : { moderation: 'ACCEPTED' }) },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      }),
  }),
);

builder.prismaObjectField('ConcernStatusChange', 'dispute', (t) =>
  t.prismaField({
    type: 'ConcernDispute',
    nullable: true,
    description:
      'The resident dispute that made this change (ADDRESSED → UNDER_REVIEW), when its note may be shown to the caller.',
    resolve: async (query, change, _args, ctx) => {
      if (change.fromStatus !== 'ADDRESSED') return null;
      const dispute = await ctx.prisma.concernDispute.findUnique({ ...query, where: { reopenedChangeId: change.id } });
      return dispute && visibleDispute(dispute, isStaff(ctx.identity)) ? dispute : null;
    },
  }),
);

const DisputeInput = builder.inputType('DisputeConcernInput', {
  description: 'A follower’s "not fixed", with the token of the link in their email.',
  fields: (t) => DISPUTE_INPUT.fields(t),
});

const DisputeReceipt = builder
  .objectRef<{ disputeId: string; concernId: string; language: string }>('DisputeReceipt')
  .implement({
    description: 'A dispute was received: the concern is back UNDER_REVIEW and its note waits for moderation.',
    fields: (t) => ({
      disputeId: t.exposeID('disputeId', { description: 'The dispute.' }),
      concernId: t.exposeID('concernId', { description: 'The reopened concern.' }),
      language: t.exposeString('language', { description: 'The follower’s language for the answer page.' }),
    }),
  });

builder.queryFields((t) => ({
  concernDisputes: t.prismaField({
    type: ['ConcernDispute'],
    authScopes: { staff: true },
    description: 'Residents’ disputes by moderation state, oldest first (staff): PENDING ones wait for a decision.',
    args: {
      moderation: t.arg({
        type: ModerationState,
        required: false,
        defaultValue: 'PENDING',
        description: 'Which ones (default PENDING).',
      }),
      first: t.arg.int({ required: false, defaultValue: 50, description: 'At most this many (1–200).' }),
    },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.concernDispute.findMany({
        ...query,
        where: { moderation: args.moderation ?? 'PENDING', concern: visibleConcerns(ctx.identity) },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: Math.min(Math.max(args.first ?? 50, 1), 200),
      }),
  }),
}));

builder.mutationFields((t) => ({
  disputeConcern: t.field({
    type: DisputeReceipt,
    description: `A follower says an ADDRESSED concern is not fixed (anyone holding the signed link of a status email). The concern returns to UNDER_REVIEW at once; the note is public once staff accept it. FORBIDDEN (reason INVALID_LINK) for a link we did not send or whose address no longer follows; CONFLICT when the concern is not ADDRESSED, or (reason RATE_LIMITED) after ${DISPUTES_PER_ADDRESS_PER_DAY} disputes a day from one address or ${DISPUTES_PER_CLIENT_PER_DAY} from one client (caller address or API key).`,
    args: { input: t.arg({ type: DisputeInput, required: true, description: 'The link token and the note.' }) },
    resolve: (_root, args, ctx) => disputeConcern(ctx, args.input),
  }),
  moderateDispute: t.prismaField({
    type: 'ConcernDispute',
    authScopes: { staff: true },
    description: 'Accepts (makes public) or rejects a resident’s dispute note (staff).',
    args: builder.args((t) => DISPUTE_MODERATION_ARGS.fields(t)),
    resolve: (_query, _root, args, ctx) => moderateDispute(ctx, args),
  }),
}));

export { ConcernDispute };
