import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import type { Prisma } from '../generated/prisma/client.ts';

const ConcernStatus = builder.enumType('ConcernStatus', {
  description: 'Where the city is with a concern.',
  values: ['NEW', 'UNDER_REVIEW', 'ALIGNED', 'IN_PROGRESS', 'ADDRESSED', 'NOT_FEASIBLE'] as const,
});

/** What a caller may see: the public sees only published, accepted concerns. */
export function visibleConcerns(ctx: Context): Prisma.ConcernWhereInput {
  if (ctx.identity.role === 'STAFF' || ctx.identity.role === 'ADMIN') return {};
  return { published: true, moderation: 'ACCEPTED' };
}

const Concern = builder.prismaObject('Concern', {
  description: 'A concern residents voiced in a community conversation.',
  fields: (t) => ({
    id: t.exposeID('id'),
    summary: t.exposeString('summary', { description: 'Public one-line summary.' }),
    detail: t.exposeString('detail', { nullable: true }),
    themes: t.exposeStringList('themes', { description: 'Theme codes from the shared taxonomy.' }),
    status: t.field({ type: ConcernStatus, resolve: (concern) => concern.status }),
    supportCount: t.exposeInt('supportCount', { description: 'How many residents supported this concern.' }),
    neighborhood: t.relation('neighborhood', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.asEntity(Concern, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: async ({ id }, ctx: Context) => {
    const concern = await ctx.loaders.concern.load(id);
    if (!concern) return null;
    const visible = visibleConcerns(ctx);
    if ('published' in visible && !(concern.published && concern.moderation === 'ACCEPTED')) return null;
    return concern;
  },
});

builder.queryFields((t) => ({
  concern: t.prismaField({
    type: 'Concern',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.concern.findFirst({ ...query, where: { id: args.id, ...visibleConcerns(ctx) } }),
  }),
  concerns: t.prismaConnection({
    type: 'Concern',
    cursor: 'id',
    defaultSize: 20,
    maxSize: 100,
    description: 'Concerns, newest first.',
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.concern.findMany({ ...query, where: visibleConcerns(ctx), orderBy: { id: 'desc' } }),
    totalCount: (_root, _args, ctx) => ctx.prisma.concern.count({ where: visibleConcerns(ctx) }),
  }),
}));
