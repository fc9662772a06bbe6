import { builder } from '../builder.ts';

builder.prismaObject('Goal', {
  description: 'One of the five goals of the strategic plan.',
  fields: (t) => ({
    id: t.exposeID('id'),
    number: t.exposeInt('number'),
    title: t.exposeString('title'),
    statement: t.exposeString('statement', { nullable: true }),
    initiatives: t.relation('initiatives', { query: { orderBy: { code: 'asc' } } }),
  }),
});

builder.queryFields((t) => ({
  goals: t.prismaField({
    type: ['Goal'],
    description: 'The strategic plan: its goals in order.',
    resolve: (query, _root, _args, ctx) => ctx.prisma.goal.findMany({ ...query, orderBy: { number: 'asc' } }),
  }),
}));
