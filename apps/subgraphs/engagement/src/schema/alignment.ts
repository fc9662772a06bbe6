import { isStaff } from '@civic/graphql-kit/roles';
import { builder, type ModelRef } from '../builder.ts';
import type { Context } from '../context.ts';
import { ALIGN_INPUT, alignConcern, unalignConcern } from '../domain/concern.ts';
import { Concern } from './concern.ts';
import { Initiative, Service } from './external.ts';

export const Alignment: ModelRef<'Alignment'> = builder.prismaObject('Alignment', {
  description: 'A concern aligned with a strategic-plan initiative or a resource, with the reason.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Alignment id.' }),
    concern: t.field({
      type: Concern,
      description: 'The concern.',
      resolve: async (a, _args, ctx) => {
        const concern = await ctx.loaders.concern.load(a.concernId);
        if (!concern) throw new Error(`alignment ${a.id} lost its concern`);
        return concern;
      },
    }),
    initiative: t.field({
      type: Initiative,
      nullable: true,
      description: 'The initiative (owned by the initiatives subgraph), when aligned with one.',
      resolve: (a) => (a.initiativeId ? { id: a.initiativeId } : null),
    }),
    resource: t.field({
      type: Service,
      nullable: true,
      description: 'The resource (a Service of the resources subgraph), when aligned with one.',
      resolve: (a) => (a.serviceId ? { id: a.serviceId } : null),
    }),
    rationale: t.exposeString('rationale', { description: 'Why the concern and the initiative or resource meet.' }),
    alignedBy: t.string({
      nullable: true,
      description: 'Staff member who aligned them (staff only; null for others).',
      resolve: (a, _args, ctx) => (isStaff(ctx.identity) ? a.alignedBy : null),
    }),
    alignedAt: t.expose('alignedAt', { type: 'DateTime', description: 'When they were aligned.' }),
  }),
});

Initiative.implement({
  description: 'A strategic-plan initiative (owned by the initiatives subgraph).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Initiative id (owned by initiatives).' }),
    concerns: t.field({
      type: [Concern],
      nullable: true,
      description: 'Concerns aligned with this initiative (published, accepted ones unless the caller is staff).',
      resolve: async (i, _args, ctx: Context) =>
        (await ctx.loaders.concernsByInitiative.load(i.id)).map((a) => a.concern),
    }),
  }),
});

Service.implement({
  description: 'A resource: a service (owned by the resources subgraph).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Service id (owned by resources).' }),
    concerns: t.field({
      type: [Concern],
      nullable: true,
      description: 'Concerns aligned with this resource (published, accepted ones unless the caller is staff).',
      resolve: async (s, _args, ctx: Context) => (await ctx.loaders.concernsByService.load(s.id)).map((a) => a.concern),
    }),
  }),
});

const AlignInput = builder.inputType('AlignConcernInput', {
  description: 'Align a concern with an initiative or a resource (give exactly one).',
  fields: (t) => ALIGN_INPUT.fields(t),
});

builder.mutationFields((t) => ({
  alignConcern: t.field({
    type: Alignment,
    authScopes: { staff: true },
    description: 'Aligns a concern with an initiative or a resource (staff).',
    args: { input: t.arg({ type: AlignInput, required: true, description: 'The alignment.' }) },
    resolve: (_root, args, ctx) => alignConcern(ctx, args.input),
  }),
  unalignConcern: t.field({
    type: Alignment,
    authScopes: { staff: true },
    description: 'Removes an alignment; returns it as it was (staff).',
    args: { alignmentId: t.arg.id({ required: true, description: 'The alignment.' }) },
    resolve: (_root, args, ctx) => unalignConcern(ctx, args),
  }),
}));
