import { builder, type ModelRef } from '../builder.ts';
import type { Context } from '../context.ts';

export const Neighborhood: ModelRef<'Neighborhood'> = builder.prismaObject('Neighborhood', {
  description: 'A neighborhood of the city, with the council ward it lies in and its equity indicators.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable neighborhood id.' }),
    slug: t.exposeString('slug', { description: 'URL-friendly name, e.g. "east-durham".' }),
    name: t.exposeString('name', { description: 'Neighborhood name.' }),
    ward: t.exposeInt('ward', { description: 'City council ward number.' }),
    equityPriority: t.exposeBoolean('equityPriority', {
      description: 'Whether the city treats this neighborhood as an equity priority area.',
    }),
    povertyRate: t.exposeFloat('povertyRate', {
      nullable: true,
      description: 'Share of households below the poverty line, 0–1.',
    }),
    peopleOfColorShare: t.exposeFloat('peopleOfColorShare', {
      nullable: true,
      description: 'Share of residents who are people of color, 0–1.',
    }),
    medianHouseholdIncome: t.exposeInt('medianHouseholdIncome', {
      nullable: true,
      description: 'Median household income in US dollars.',
    }),
    boundary: t.field({
      type: 'GeoJSON',
      nullable: true,
      description: 'The boundary as GeoJSON, where one is published (see Ward.boundary otherwise).',
      resolve: (n) => n.boundary ?? null,
    }),
  }),
});

builder.asEntity(Neighborhood, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: ({ id }, ctx: Context) => ctx.loaders.neighborhood.load(id),
});

builder.prismaObject('Ward', {
  description: 'A city council ward with its published boundary.',
  fields: (t) => ({
    number: t.exposeInt('number', { description: 'Ward number (1–3 in Durham).' }),
    name: t.exposeString('name', { description: 'Ward name, e.g. "Ward 1".' }),
    boundary: t.field({
      type: 'GeoJSON',
      description: 'The ward boundary as a GeoJSON MultiPolygon (WGS 84).',
      resolve: (w) => w.boundary,
    }),
    neighborhoods: t.relation('neighborhoods', {
      description: 'Neighborhoods in this ward, by name.',
      query: { orderBy: { name: 'asc' } },
    }),
  }),
});

builder.queryFields((t) => ({
  neighborhoods: t.prismaField({
    type: ['Neighborhood'],
    description: 'All neighborhoods, by ward then name; optionally one ward or only equity-priority areas.',
    args: {
      ward: t.arg.int({ required: false, description: 'Only this ward.' }),
      equityPriority: t.arg.boolean({ required: false, description: 'Only (or never) equity-priority areas.' }),
    },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.neighborhood.findMany({
        ...query,
        where: {
          ...(args.ward != null ? { ward: args.ward } : {}),
          ...(args.equityPriority != null ? { equityPriority: args.equityPriority } : {}),
        },
        orderBy: [{ ward: 'asc' }, { name: 'asc' }],
      }),
  }),
  neighborhood: t.prismaField({
    type: 'Neighborhood',
    nullable: true,
    description: 'A neighborhood by id.',
    args: { id: t.arg.id({ required: true, description: 'Neighborhood id.' }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.neighborhood.findUnique({ ...query, where: { id: args.id } }),
  }),
  wards: t.prismaField({
    type: ['Ward'],
    description: 'The council wards with their boundaries, by number (for maps).',
    resolve: (query, _root, _args, ctx) => ctx.prisma.ward.findMany({ ...query, orderBy: { number: 'asc' } }),
  }),
}));
