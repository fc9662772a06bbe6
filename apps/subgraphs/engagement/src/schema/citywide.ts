import type { ThemeCode } from '@civic/taxonomy/themes';
import { builder, type ModelRef } from '../builder.ts';
import { answerCitywideConcern, CITYWIDE_ANSWER_ARGS } from '../domain/citywide-answer.ts';
import { Concern } from './concern.ts';
import { Theme } from './scalars.ts';

export const CitywideConcern: ModelRef<'CitywideConcern'> = builder.prismaObject('CitywideConcern', {
  description: 'A concern heard in many conversations, grouped into the city-wide list.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Citywide concern id.' }),
    title: t.exposeString('title', { description: 'Public title.' }),
    summary: t.exposeString('summary', { nullable: true, description: 'Public summary.' }),
    themes: t.field({
      type: [Theme],
      description: 'Themes from the shared taxonomy.',
      resolve: (c) => c.themes as ThemeCode[],
    }),
    concerns: t.field({
      type: [Concern],
      description: 'The grouped concerns the caller may see, most supported first.',
      resolve: (c, _args, ctx) => ctx.loaders.concernsByCitywide.load(c.id),
    }),
    concernCount: t.int({
      description: 'How many grouped concerns the caller may see.',
      resolve: async (c, _args, ctx) => (await ctx.loaders.concernsByCitywide.load(c.id)).length,
    }),
    supportCount: t.int({
      description: 'Total support of the grouped concerns the caller may see.',
      resolve: async (c, _args, ctx) =>
        (await ctx.loaders.concernsByCitywide.load(c.id)).reduce((sum, x) => sum + x.supportCount, 0),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
  }),
});

builder.queryFields((t) => ({
  citywideConcerns: t.prismaField({
    type: ['CitywideConcern'],
    description: 'The city-wide list of concerns, by title.',
    resolve: (query, _root, _args, ctx) => ctx.prisma.citywideConcern.findMany({ ...query, orderBy: { title: 'asc' } }),
  }),
  citywideConcern: t.prismaField({
    type: 'CitywideConcern',
    nullable: true,
    description: 'A citywide concern by id.',
    args: { id: t.arg.id({ required: true, description: 'Citywide concern id.' }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.citywideConcern.findUnique({ ...query, where: { id: args.id } }),
  }),
}));

builder.mutationFields((t) => ({
  answerCitywideConcern: t.prismaField({
    type: 'CitywideConcern',
    authScopes: { staff: true },
    description:
      'Answers every member concern of a citywide concern at once, in one transaction (staff): each member not already in `status` takes the step with the public note (its own history entry, the rules of changeConcernStatus: a member that cannot take it refuses the whole answer, CONFLICT or EVIDENCE_REQUIRED with extensions.concernId), and each follower is emailed once.',
    args: builder.args((t) => CITYWIDE_ANSWER_ARGS.fields(t)),
    resolve: (_query, _root, args, ctx) => answerCitywideConcern(ctx, args),
  }),
}));
