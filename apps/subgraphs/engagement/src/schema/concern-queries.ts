import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { canonicalNeighborhoodId } from '../domain/neighborhood-names.ts';
import { type ConcernSearchNarrowing, searchConcernIds, searchConcernPage } from '../domain/search.ts';
import { isStaff, visibleConcerns } from '../domain/visibility.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { ConcernStatus, ModerationState } from './concern.ts';
import { countedConnection } from './connections.ts';
import { Theme } from './scalars.ts';

const ConcernFilter = builder.inputType('ConcernFilter', {
  description: 'Narrows a concern list; all given conditions must hold.',
  fields: (t) => ({
    neighborhoodId: t.id({ required: false, description: 'Only this neighborhood.' }),
    ward: t.int({ required: false, description: 'Only neighborhoods in this council ward.' }),
    themes: t.field({ type: [Theme], required: false, description: 'Tagged with any of these themes.' }),
    status: t.field({ type: [ConcernStatus], required: false, description: 'In any of these statuses.' }),
    equityPriority: t.boolean({ required: false, description: 'Only (or never) equity-priority neighborhoods.' }),
    search: t.string({
      required: false,
      description: 'Full-text search on summary and detail (web-search syntax: "phrase", OR, -word).',
    }),
    conversationId: t.id({ required: false, description: 'Only concerns from this conversation.' }),
    citywideConcernId: t.id({ required: false, description: 'Only concerns merged into this citywide concern.' }),
    aligned: t.boolean({ required: false, description: 'Only concerns with (true) or without (false) alignments.' }),
    moderation: t.field({
      type: ModerationState,
      required: false,
      description: 'Staff: only this moderation state (others only ever see ACCEPTED).',
    }),
  }),
});

const ConcernOrder = builder.enumType('ConcernOrder', {
  description: 'Order of a concern list.',
  values: {
    NEWEST: { description: 'Most recently recorded first.' },
    MOST_SUPPORTED: { description: 'Highest support first.' },
  } as const,
});

type Filter = typeof ConcernFilter.$inferInput;

type ConcernQuery =
  | { where: Prisma.ConcernWhereInput }
  /** A full-text search that is the whole filter: the page and the count come from one statement. */
  | { search: { words: string; narrowing: ConcernSearchNarrowing } };

async function concernWhere(ctx: Context, filter: Filter | null | undefined): Promise<ConcernQuery> {
  const and: Prisma.ConcernWhereInput[] = [visibleConcerns(ctx.identity)];
  if (filter?.neighborhoodId) and.push({ neighborhoodId: canonicalNeighborhoodId(filter.neighborhoodId) });
  if (filter?.ward != null) and.push({ neighborhood: { ward: filter.ward } });
  if (filter?.equityPriority != null) and.push({ neighborhood: { equityPriority: filter.equityPriority } });
  if (filter?.themes?.length) and.push({ themes: { hasSome: [...filter.themes] } });
  if (filter?.status?.length) and.push({ status: { in: [...filter.status] } });
  if (filter?.conversationId) and.push({ conversationId: filter.conversationId });
  if (filter?.citywideConcernId) and.push({ citywideConcernId: filter.citywideConcernId });
  if (filter?.moderation) and.push({ moderation: filter.moderation });
  if (filter?.aligned != null) and.push(filter.aligned ? { alignments: { some: {} } } : { alignments: { none: {} } });
  const words = filter?.search?.trim();
  if (!words) return { where: { AND: and } };
  const narrowing: ConcernSearchNarrowing = {
    visibleToPublicOnly: !isStaff(ctx.identity),
    moderation: filter?.moderation ?? undefined,
    themes: filter?.themes ?? undefined,
    status: filter?.status ?? undefined,
    ward: filter?.ward ?? undefined,
    neighborhoodId: filter?.neighborhoodId ? canonicalNeighborhoodId(filter.neighborhoodId) : undefined,
    equityPriority: filter?.equityPriority ?? undefined,
  };
  const coveredBySearch = !filter?.conversationId && !filter?.citywideConcernId && filter?.aligned == null;
  if (coveredBySearch) return { search: { words: words.slice(0, 200), narrowing } };
  and.push({ id: { in: await searchConcernIds(ctx.prisma, words.slice(0, 200), narrowing) } });
  return { where: { AND: and } };
}

const totalKey = (filter: Filter | null | undefined) => `concerns-total:${JSON.stringify(filter ?? {})}`;

/** The list and its total count share one filter (and one full-text query). */
function memoWhere(ctx: Context, filter: Filter | null | undefined) {
  const key = `concerns:${JSON.stringify(filter ?? {})}`;
  let where = ctx.memo.get(key) as Promise<ConcernQuery> | undefined;
  if (!where) {
    where = concernWhere(ctx, filter);
    ctx.memo.set(key, where);
  }
  return where;
}

builder.queryFields((t) => ({
  concern: t.prismaField({
    type: 'Concern',
    nullable: true,
    description: 'A concern by id (null when it does not exist or is not visible to the caller).',
    args: { id: t.arg.id({ required: true, description: 'Concern id.' }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.concern.findFirst({ ...query, where: { id: args.id, ...visibleConcerns(ctx.identity) } }),
  }),
  concerns: t.prismaConnection(
    {
      type: 'Concern',
      cursor: 'id',
      defaultSize: 20,
      maxSize: 100,
      description: 'Concerns the caller may see, filtered, newest first unless ordered otherwise.',
      args: {
        filter: t.arg({ type: ConcernFilter, required: false, description: 'Conditions.' }),
        orderBy: t.arg({ type: ConcernOrder, required: false, defaultValue: 'NEWEST', description: 'Order.' }),
      },
      resolve: async (query, _root, args, ctx) => {
        const order = args.orderBy === 'MOST_SUPPORTED' ? 'MOST_SUPPORTED' : 'NEWEST';
        const orderBy: Prisma.ConcernOrderByWithRelationInput[] =
          order === 'MOST_SUPPORTED'
            ? [{ supportCount: 'desc' }, { id: 'asc' }]
            : [{ createdAt: 'desc' }, { id: 'desc' }];
        const q = await memoWhere(ctx, args.filter);
        if ('where' in q) return ctx.prisma.concern.findMany({ ...query, where: q.where, orderBy });
        const page = searchConcernPage(ctx.prisma, q.search.words, q.search.narrowing, {
          order,
          take: query.take,
          skip: query.skip,
          cursorId: query.cursor?.id,
        });
        ctx.memo.set(totalKey(args.filter), page);
        return ctx.prisma.concern.findMany({ ...query, where: { id: { in: (await page).ids } }, orderBy });
      },
      totalCount: async (_root, args, ctx) => {
        const q = await memoWhere(ctx, args.filter);
        if ('where' in q) return ctx.prisma.concern.count({ where: q.where });
        const page = ctx.memo.get(totalKey(args.filter)) as Promise<{ total: number }> | undefined;
        if (page) return (await page).total;
        const { total } = await searchConcernPage(ctx.prisma, q.search.words, q.search.narrowing, {
          order: 'NEWEST',
          take: 0,
          skip: 0,
        });
        return total;
      },
    },
    countedConnection('ConcernConnection', 'concerns'),
    { name: 'ConcernEdge', description: 'A concern in a page.' },
  ),
}));
