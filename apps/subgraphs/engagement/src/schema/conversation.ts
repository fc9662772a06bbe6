import { isStaff } from '@civic/graphql-kit/roles';
import { builder, type ModelRef } from '../builder.ts';
import type { Context } from '../context.ts';
import {
  CONVERSATION_SOURCE_INPUT,
  CREATE_CONVERSATION_INPUT,
  createConversation,
  publishConversation,
  searchConversationIds,
  UPDATE_CONVERSATION_INPUT,
  updateConversation,
} from '../domain/conversation.ts';
import { canonicalNeighborhoodId } from '../domain/neighborhood-names.ts';
import { visibleConversations } from '../domain/visibility.ts';
import type { Conversation as ConversationRow, Prisma } from '../generated/prisma/client.ts';
import { Concern } from './concern.ts';
import { countedConnection, countedPages } from './connections.ts';
import { ConversationFormat, ConversationSourceKind } from './enums.ts';
import { ConversationSourceInputRef } from './input-refs.ts';
import { heavyColumnsNotAsked, Neighborhood } from './neighborhood.ts';

export const ConversationStatus = builder.enumType('ConversationStatus', {
  description: 'Publication state of a conversation.',
  values: {
    DRAFT: { description: 'Being written up; staff only.' },
    PUBLISHED: { description: 'Public, with its accepted concerns.' },
  } as const,
});

const ConversationSource = builder.objectRef<ConversationRow>('ConversationSource').implement({
  description: 'Provenance of a conversation record, with the attribution its licence requires.',
  fields: (t) => ({
    kind: t.field({ type: ConversationSourceKind, description: 'Kind of source.', resolve: (c) => c.sourceKind }),
    externalId: t.string({
      nullable: true,
      description: 'Id in the source system.',
      resolve: (c) => c.sourceExternalId,
    }),
    url: t.string({ nullable: true, description: 'Where the source can be seen.', resolve: (c) => c.sourceUrl }),
    attribution: t.string({
      nullable: true,
      description: 'Attribution required by the source’s licence.',
      resolve: (c) => c.sourceAttribution,
    }),
    license: t.string({ nullable: true, description: 'Licence of the source data.', resolve: (c) => c.sourceLicense }),
  }),
});

const staffOnly = (value: string | null, ctx: Context) => (isStaff(ctx.identity) ? value : null);

export const Conversation: ModelRef<'Conversation'> = builder.prismaObject('Conversation', {
  description: 'A community conversation where residents raised concerns.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Conversation id.' }),
    title: t.exposeString('title', { description: 'Title.' }),
    heldOn: t.expose('heldOn', { type: 'DateTime', description: 'When it was held.' }),
    host: t.exposeString('host', { nullable: true, description: 'Who hosted it.' }),
    languages: t.exposeStringList('languages', { description: 'BCP-47 languages spoken, e.g. ["en", "es"].' }),
    format: t.field({ type: ConversationFormat, description: 'How it was held.', resolve: (c) => c.format }),
    participantCount: t.exposeInt('participantCount', { description: 'How many residents took part.' }),
    summary: t.exposeString('summary', { nullable: true, description: 'Public summary.' }),
    notes: t.string({
      nullable: true,
      description: 'Facilitator notes. Staff only: null for everyone else.',
      resolve: (c, _args, ctx) => staffOnly(c.notes, ctx),
    }),
    transcript: t.string({
      nullable: true,
      description: 'Transcript. Staff only: null for everyone else.',
      resolve: (c, _args, ctx) => staffOnly(c.transcript, ctx),
    }),
    status: t.field({ type: ConversationStatus, description: 'DRAFT or PUBLISHED.', resolve: (c) => c.status }),
    publishedAt: t.expose('publishedAt', { type: 'DateTime', nullable: true, description: 'When it was published.' }),
    source: t.field({ type: ConversationSource, description: 'Where the record came from.', resolve: (c) => c }),
    neighborhoods: t.field({
      type: [Neighborhood],
      description: 'Neighborhoods it was held for, by name.',
      resolve: async (c, _args, ctx, info) =>
        (await ctx.loaders.neighborhoodsByConversation(heavyColumnsNotAsked(info)).load(c.id)).map(
          (row) => row.neighborhood,
        ),
    }),
    concerns: t.field({
      type: [Concern],
      description: 'Concerns heard (those the caller may see), most supported first.',
      resolve: (c, _args, ctx) => ctx.loaders.concernsByConversation.load(c.id),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was recorded.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
  }),
});

const ConversationFilter = builder.inputType('ConversationFilter', {
  description: 'Narrows a conversation list; all given conditions must hold.',
  fields: (t) => ({
    neighborhoodId: t.id({ required: false, description: 'Held for this neighborhood.' }),
    ward: t.int({ required: false, description: 'Held for a neighborhood in this ward.' }),
    status: t.field({ type: ConversationStatus, required: false, description: 'Staff: only this state.' }),
    source: t.field({ type: ConversationSourceKind, required: false, description: 'Only this kind of source.' }),
    heldFrom: t.field({ type: 'DateTime', required: false, description: 'Held on or after.' }),
    heldTo: t.field({ type: 'DateTime', required: false, description: 'Held before.' }),
    search: t.string({ required: false, description: 'Full-text search on title and summary.' }),
  }),
});
type Filter = typeof ConversationFilter.$inferInput;

async function conversationWhere(ctx: Context, f: Filter | null | undefined): Promise<Prisma.ConversationWhereInput> {
  const and: Prisma.ConversationWhereInput[] = [visibleConversations(ctx.identity)];
  if (f?.neighborhoodId)
    and.push({ neighborhoods: { some: { neighborhoodId: canonicalNeighborhoodId(f.neighborhoodId) } } });
  if (f?.ward != null) and.push({ neighborhoods: { some: { neighborhood: { ward: f.ward } } } });
  if (f?.status) and.push({ status: f.status });
  if (f?.source) and.push({ sourceKind: f.source });
  if (f?.heldFrom) and.push({ heldOn: { gte: f.heldFrom } });
  if (f?.heldTo) and.push({ heldOn: { lt: f.heldTo } });
  const words = f?.search?.trim();
  if (words) and.push({ id: { in: await searchConversationIds(ctx.prisma, words.slice(0, 200)) } });
  return { AND: and };
}

const conversationPages = countedPages('Conversation', { defaultSize: 20, maxSize: 100 });

builder.queryFields((t) => ({
  conversation: t.prismaField({
    type: 'Conversation',
    nullable: true,
    description: 'A conversation by id (drafts: staff only).',
    args: { id: t.arg.id({ required: true, description: 'Conversation id.' }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.conversation.findFirst({ ...query, where: { id: args.id, ...visibleConversations(ctx.identity) } }),
  }),
  conversations: t.connection(
    {
      type: Conversation,
      listSize: {
        slicingArguments: ['first', 'last'],
        sizedFields: ['edges'],
        requireOneSlicingArgument: false,
        assumedSize: 20,
      },
      description: 'Conversations the caller may see, most recently held first.',
      args: { filter: t.arg({ type: ConversationFilter, required: false, description: 'Conditions.' }) },
      resolve: (_root, args, ctx, info) =>
        conversationPages(args, ctx, info, async () => {
          const where = await conversationWhere(ctx, args.filter);
          return {
            page: (query) =>
              ctx.prisma.conversation.findMany({ ...query, where, orderBy: [{ heldOn: 'desc' }, { id: 'desc' }] }),
            total: () => ctx.prisma.conversation.count({ where }),
          };
        }),
    },
    countedConnection('ConversationConnection', 'conversations'),
    { name: 'ConversationEdge', description: 'A conversation in a page.' },
  ),
}));

ConversationSourceInputRef.implement({
  description: 'Where the record comes from; kind and externalId identify it (a second submission is refused).',
  fields: (t) => CONVERSATION_SOURCE_INPUT.fields(t),
});
const CreateConversationInput = builder.inputType('CreateConversationInput', {
  description: 'A new conversation (as a DRAFT) with the concerns heard in it.',
  fields: (t) => CREATE_CONVERSATION_INPUT.fields(t),
});
const UpdateConversationInput = builder.inputType('UpdateConversationInput', {
  description: 'Changes to a conversation and its concerns, made together; omitted fields stay as they are.',
  fields: (t) => UPDATE_CONVERSATION_INPUT.fields(t),
});

builder.mutationFields((t) => ({
  createConversation: t.field({
    type: Conversation,
    authScopes: { staff: true },
    description: 'Records a conversation as a DRAFT with its concerns, in one transaction (staff).',
    args: { input: t.arg({ type: CreateConversationInput, required: true, description: 'The conversation.' }) },
    resolve: (_root, args, ctx) => createConversation(ctx, args.input),
  }),
  updateConversation: t.field({
    type: Conversation,
    authScopes: { staff: true },
    description: 'Changes a conversation and adds or changes its concerns, in one transaction (staff).',
    args: {
      id: t.arg.id({ required: true, description: 'The conversation.' }),
      input: t.arg({ type: UpdateConversationInput, required: true, description: 'The changes.' }),
    },
    resolve: (_root, args, ctx) => updateConversation(ctx, args),
  }),
  publishConversation: t.field({
    type: Conversation,
    authScopes: { staff: true },
    description: 'Publishes a draft conversation; its accepted concerns become public (staff).',
    args: { id: t.arg.id({ required: true, description: 'The conversation.' }) },
    resolve: (_root, args, ctx) => publishConversation(ctx, args),
  }),
}));
