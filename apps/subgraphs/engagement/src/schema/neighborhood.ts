import { builder } from '../builder.ts';

builder.prismaObject('Neighborhood', {
  description: 'A neighborhood of the city, with the council ward it lies in and its equity indicators.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    ward: t.exposeInt('ward', { description: 'City council ward number.' }),
    equityPriority: t.exposeBoolean('equityPriority', {
      description: 'Whether the city treats this neighborhood as an equity priority area.',
    }),
  }),
});

builder.queryFields((t) => ({
  neighborhoods: t.prismaField({
    type: ['Neighborhood'],
    description: 'All neighborhoods, by ward then name.',
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.neighborhood.findMany({ ...query, orderBy: [{ ward: 'asc' }, { name: 'asc' }] }),
  }),
}));
