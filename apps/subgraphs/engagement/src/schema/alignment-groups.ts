import { badInput } from '@civic/server-kit/errors';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { builder, type ModelRef } from '../builder.ts';
import type { Context } from '../context.ts';
import {
  acceptProposedGroup,
  dismissProposedGroup,
  dismissSuggestion,
  splitProposedGroup,
} from '../domain/alignment-groups.ts';
import { alignmentRuntime, NEIGHBORS_KEPT } from '../domain/alignment-worker.ts';
import { CitywideConcern } from './citywide.ts';
import { Concern } from './concern.ts';
import { heavyColumnsNotAsked, Neighborhood } from './neighborhood.ts';

const SimilarConcern = builder.objectRef<{ score: number; concernId: string }>('SimilarConcern');
SimilarConcern.implement({
  description: 'Another published concern that raises the same issue, with how close it is.',
  fields: (t) => ({
    score: t.exposeFloat('score', { description: '0–1 similarity of the two concerns’ words (across languages).' }),
    concern: t.field({
      type: Concern,
      description: 'The other concern.',
      resolve: async (s, _args, ctx) => {
        const concern = await ctx.loaders.concern.load(s.concernId);
        if (!concern) throw new Error(`similar concern ${s.concernId} vanished`);
        return concern;
      },
    }),
  }),
});

builder.objectFields(Concern, (t) => ({
  similarConcerns: t.field({
    type: [SimilarConcern],
    cost: 5,
    listSize: { slicingArguments: ['first'], requireOneSlicingArgument: false },
    description: `Other published concerns that raise the same issue, closest first (at most ${NEIGHBORS_KEPT}).`,
    args: { first: t.arg.int({ defaultValue: 5, description: `How many (1–${NEIGHBORS_KEPT}).` }) },
    resolve: async (c, args, ctx: Context) => {
      const first = args.first ?? 5;
      if (first < 0 || first > NEIGHBORS_KEPT) {
        throw badInput('first is out of range', [{ field: 'first', message: `between 0 and ${NEIGHBORS_KEPT}` }]);
      }
      if (first === 0) return [];
      const neighbors = await ctx.loaders.neighborsByConcern.load(c.id);
      return neighbors
        .filter((n) => n.neighborId !== c.id)
        .slice(0, first)
        .map((n) => ({ score: n.score, concernId: n.neighborId }));
    },
  }),
}));

const ProposedGroupState = builder.enumType('ProposedGroupState', {
  description: 'What staff decided about a proposed citywide concern.',
  values: {
    PROPOSED: { description: 'Waiting for a decision.' },
    ACCEPTED: { description: 'Accepted into a citywide concern.' },
    SPLIT: { description: 'Split in two; each half is proposed on its own.' },
    DISMISSED: { description: 'Not the same issue; never proposed again.' },
  } as const,
});

const ProposedCitywideConcern: ModelRef<'ProposedGroup'> = builder.prismaObject('ProposedGroup', {
  variant: 'ProposedCitywideConcern',
  description:
    'Concerns from different conversations, neighborhoods or languages that raise the same issue, found by the ' +
    'alignment engine and proposed as one citywide concern. Its id stays the same across rebuilds. Staff only.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id (kept across rebuilds while its earliest concern stays in it).' }),
    state: t.field({ type: ProposedGroupState, description: 'The decision.', resolve: (g) => g.state }),
    size: t.int({ description: 'How many concerns it groups.', resolve: (g) => g.memberIds.length }),
    cohesion: t.exposeFloat('cohesion', { description: 'Mean similarity of the concerns to the representative one.' }),
    representative: t.field({
      type: Concern,
      nullable: true,
      description: 'The concern whose words best stand for the group.',
      resolve: (g, _args, ctx) => ctx.loaders.concern.load(g.representativeId),
    }),
    statement: t.string({
      nullable: true,
      description: 'The representative resident statement, quoted as said (never generated).',
      resolve: async (g, _args, ctx) => (await ctx.loaders.concern.load(g.representativeId))?.summary ?? null,
    }),
    concerns: t.field({
      type: [Concern],
      description: 'The grouped concerns.',
      resolve: async (g, _args, ctx) =>
        (await ctx.loaders.concern.loadMany(g.memberIds)).filter(
          (c): c is Exclude<typeof c, Error | null> => c !== null && !(c instanceof Error),
        ),
    }),
    neighborhoods: t.field({
      type: [Neighborhood],
      description: 'The neighborhoods its concerns come from.',
      resolve: async (g, _args, ctx, info) => {
        const concerns = await ctx.loaders.concern.loadMany(g.memberIds);
        const ids = new Set<string>();
        for (const c of concerns) if (c && !(c instanceof Error) && c.neighborhoodId) ids.add(c.neighborhoodId);
        const rows = await ctx.loaders.neighborhood(heavyColumnsNotAsked(info)).loadMany([...ids]);
        return rows
          .filter((n): n is Exclude<typeof n, Error | null> => n !== null && !(n instanceof Error))
          .sort((a, b) => a.name.localeCompare(b.name));
      },
    }),
    languages: t.stringList({
      description: 'The languages its concerns were voiced in (BCP-47).',
      resolve: async (g, _args, ctx) => {
        const concerns = await ctx.loaders.concern.loadMany(g.memberIds);
        const languages = new Set<string>();
        for (const c of concerns) if (c && !(c instanceof Error)) languages.add(c.language);
        return [...languages].sort();
      },
    }),
    citywideConcern: t.field({
      type: CitywideConcern,
      nullable: true,
      description: 'The citywide concern it was accepted into.',
      resolve: (g, _args, ctx) => (g.citywideConcernId ? ctx.loaders.citywideConcern.load(g.citywideConcernId) : null),
    }),
    decidedAt: t.expose('decidedAt', { type: 'DateTime', nullable: true, description: 'When staff decided.' }),
  }),
});

const AlignmentRebuild = builder.prismaObject('AlignmentRebuild', {
  description: 'A full recomputation of tags, translations, same-issue neighbours and proposed groups.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Rebuild id.' }),
    requestedAt: t.expose('requestedAt', { type: 'DateTime', description: 'When it was asked for.' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true, description: 'When the worker began.' }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true, description: 'When it was done.' }),
    total: t.exposeInt('total', { description: 'Concerns to go through.' }),
    done: t.exposeInt('done', { description: 'Concerns gone through.' }),
    error: t.exposeString('error', { nullable: true, description: 'Why the last attempt failed (it is retried).' }),
  }),
});

const AlignmentStatus = builder.objectRef<{ ctx: Context }>('AlignmentStatus');
AlignmentStatus.implement({
  description: 'Whether the alignment engine has caught up with the data.',
  fields: (t) => ({
    workerRunning: t.boolean({
      description: 'Whether this service runs the alignment worker.',
      resolve: ({ ctx }) => alignmentRuntime(ctx.prisma) !== undefined,
    }),
    pendingJobs: t.int({
      description: 'Alignment jobs waiting or running; 0 (with pendingConcerns 0) means caught up.',
      resolve: async ({ ctx }) => (await alignmentRuntime(ctx.prisma)?.queue.pending()) ?? 0,
    }),
    failedJobs: t.int({
      description: 'Alignment jobs that used up their retries.',
      resolve: async ({ ctx }) => (await alignmentRuntime(ctx.prisma)?.queue.failed()) ?? 0,
    }),
    pendingConcerns: t.int({
      description: 'Concerns written since the worker last looked at them.',
      resolve: ({ ctx }) => ctx.prisma.concern.count({ where: { alignmentPendingSince: { not: null } } }),
    }),
    automaticallyTagged: t.int({
      description: 'Concerns whose themes the engine chose.',
      resolve: ({ ctx }) => ctx.prisma.concern.count({ where: { themeSource: 'AUTOMATIC' } }),
    }),
    proposedGroups: t.int({
      description: 'Proposed citywide concerns waiting for a decision.',
      resolve: ({ ctx }) => ctx.prisma.proposedGroup.count({ where: { state: 'PROPOSED' } }),
    }),
    lastRebuildAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the last full rebuild finished.',
      resolve: async ({ ctx }) =>
        (
          await ctx.prisma.alignmentRebuild.findFirst({
            where: { finishedAt: { not: null } },
            orderBy: { finishedAt: 'desc' },
          })
        )?.finishedAt ?? null,
    }),
    rebuild: t.prismaField({
      type: AlignmentRebuild,
      nullable: true,
      description: 'A rebuild by id, or the latest one.',
      args: { id: t.arg.id({ required: false, description: 'Rebuild id (default: the latest).' }) },
      resolve: (query, { ctx }, args) =>
        args.id
          ? ctx.prisma.alignmentRebuild.findUnique({ ...query, where: { id: args.id } })
          : ctx.prisma.alignmentRebuild.findFirst({ ...query, orderBy: { requestedAt: 'desc' } }),
    }),
  }),
});

builder.queryFields((t) => ({
  proposedCitywideConcerns: t.prismaField({
    type: [ProposedCitywideConcern],
    listSize: { slicingArguments: ['first'], requireOneSlicingArgument: false },
    authScopes: { staff: true },
    description: 'Groups of concerns the alignment engine proposes as citywide concerns, largest first. Staff only.',
    args: {
      first: t.arg.int({ defaultValue: 50, description: 'How many (1–200).' }),
      state: t.arg({
        type: ProposedGroupState,
        defaultValue: 'PROPOSED',
        description: 'Which decision (default PROPOSED).',
      }),
    },
    resolve: async (query, _root, args, ctx) => {
      const first = args.first ?? 50;
      if (first < 1 || first > 200)
        throw badInput('first is out of range', [{ field: 'first', message: 'between 1 and 200' }]);
      const rows = await ctx.prisma.proposedGroup.findMany({ ...query, where: { state: args.state ?? 'PROPOSED' } });
      return rows
        .sort((a, b) => b.memberIds.length - a.memberIds.length || b.cohesion - a.cohesion || a.id.localeCompare(b.id))
        .slice(0, first);
    },
  }),
  alignmentStatus: t.field({
    type: AlignmentStatus,
    authScopes: { staff: true },
    description: 'Whether the alignment engine has caught up. Staff only.',
    resolve: (_root, _args, ctx) => ({ ctx }),
  }),
}));

function workerOrFail(ctx: Context) {
  const runtime = alignmentRuntime(ctx.prisma);
  if (!runtime) {
    throw new GraphQLError('The alignment worker is not running', { extensions: { code: 'SERVICE_UNAVAILABLE' } });
  }
  return runtime;
}

builder.mutationFields((t) => ({
  dismissSuggestion: t.field({
    type: Concern,
    authScopes: { staff: true },
    description:
      'Records that a suggested service or initiative does not fit a concern: it is never suggested for it again. Staff only.',
    args: {
      concernId: t.arg.id({ required: true, description: 'The concern.' }),
      serviceId: t.arg.id({ required: false, description: 'The dismissed service.' }),
      initiativeId: t.arg.id({ required: false, description: 'The dismissed initiative.' }),
    },
    resolve: async (_root, args, ctx) => {
      const dismissal = await dismissSuggestion(ctx, args);
      return ctx.prisma.concern.findUniqueOrThrow({ where: { id: dismissal.concernId } });
    },
  }),
  acceptProposedCitywideConcern: t.field({
    type: CitywideConcern,
    authScopes: { staff: true },
    description:
      'Accepts a proposed group as a new citywide concern (titled with its representative statement unless a title ' +
      'is given) or into an existing one. Staff only.',
    args: {
      id: t.arg.id({ required: true, description: 'The proposed group.' }),
      title: t.arg.string({ required: false, description: 'Title of the new citywide concern.' }),
      summary: t.arg.string({ required: false, description: 'Public summary of the new citywide concern.' }),
      citywideConcernId: t.arg.id({
        required: false,
        description: 'Add the concerns to this citywide concern instead.',
      }),
    },
    resolve: (_root, args, ctx) => acceptProposedGroup(ctx, args),
  }),
  splitProposedCitywideConcern: t.prismaField({
    type: [ProposedCitywideConcern],
    authScopes: { staff: true },
    description: 'Splits a proposed group in two (the given concerns and the rest); returns the halves still proposed.',
    args: {
      id: t.arg.id({ required: true, description: 'The proposed group.' }),
      concernIds: t.arg.idList({ required: true, description: 'The concerns that form one half.' }),
    },
    resolve: (_query, _root, args, ctx) => splitProposedGroup(ctx, args),
  }),
  dismissProposedCitywideConcern: t.prismaField({
    type: ProposedCitywideConcern,
    authScopes: { staff: true },
    description: 'Dismisses a proposed group: it is never proposed again. Staff only.',
    args: { id: t.arg.id({ required: true, description: 'The proposed group.' }) },
    resolve: (_query, _root, args, ctx) => dismissProposedGroup(ctx, args),
  }),
  rebuildAlignment: t.prismaField({
    type: AlignmentRebuild,
    authScopes: { admin: true },
    description: 'Recomputes every automatic tag, translation, same-issue neighbour and proposed group. Admin only.',
    resolve: async (query, _root, _args, ctx) => {
      const id = await workerOrFail(ctx).requestRebuild(ctx.identity.subject ?? 'admin');
      return ctx.prisma.alignmentRebuild.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));

/**
 * Every mutation that succeeds asks the alignment worker to look at pending concerns: the concerns
 * it wrote were marked pending by a trigger in its own transaction, whichever path wrote them.
 */
export function nudgeAlignmentAfterMutations(schema: GraphQLSchema): GraphQLSchema {
  const mutation = schema.getMutationType();
  if (!mutation) return schema;
  for (const field of Object.values(mutation.getFields())) {
    const resolve = field.resolve;
    // A rebuild writes no concern and goes through every one itself: a sweep beside it would only be a job still
    // pending after the rebuild has reported itself finished.
    if (!resolve || field.name === 'rebuildAlignment') continue;
    field.resolve = async (root, args, ctx: Context, info) => {
      const result = await resolve(root, args, ctx, info);
      alignmentRuntime(ctx.prisma)
        ?.nudge()
        .catch((error) => ctx.logger.warn('alignment: could not queue a sweep', { error }));
      return result;
    };
  }
  return schema;
}
