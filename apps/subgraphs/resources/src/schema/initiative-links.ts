import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { linkServiceToInitiative, unlinkServiceFromInitiative } from '../domain/initiative-links.ts';
import type { Service as ServiceRow } from '../generated/prisma/client.ts';
import { Service } from './service.ts';

const Initiative = builder.externalRef('Initiative', builder.selection<{ id: string }>('id'));

builder.prismaObject('ServiceInitiativeLink', {
  description: 'A service that supports a strategic-plan initiative, with a note on how.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Id of the link.' }),
    service: t.relation('service', { description: 'The supporting service.' }),
    initiative: t.field({
      type: Initiative,
      description: 'The initiative supported.',
      resolve: (link) => ({ id: link.initiativeId }),
    }),
    note: t.exposeString('note', { nullable: true, description: 'How the service supports the initiative.' }),
    linkedAt: t.expose('createdAt', { type: 'DateTime', description: 'When the link was made.' }),
  }),
});

Initiative.implement({
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Initiative id (owned by initiatives).' }),
    resources: t.field({
      type: [Service],
      nullable: true,
      description: 'Services that support this initiative (from the resources subgraph).',
      resolve: async (initiative, _args, ctx: Context) => {
        const links = await ctx.loaders.linksByInitiative.load(initiative.id);
        const services = await ctx.loaders.service.loadMany(links.map((l) => l.serviceId));
        return services.filter((s): s is ServiceRow => s !== null && !(s instanceof Error));
      },
    }),
    resourceLinks: t.prismaField({
      type: ['ServiceInitiativeLink'],
      nullable: true,
      description: 'The links to supporting services, with their notes, oldest first.',
      resolve: (_query, initiative, _args, ctx: Context) => ctx.loaders.linksByInitiative.load(initiative.id),
    }),
  }),
});

builder.mutationFields((t) => ({
  linkServiceToInitiative: t.prismaField({
    type: 'ServiceInitiativeLink',
    description: 'Records that a service supports a strategic-plan initiative (or changes the note of that link).',
    args: {
      serviceId: t.arg.id({ required: true, description: 'The supporting service.' }),
      initiativeId: t.arg.id({ required: true, description: 'The initiative it supports.' }),
      note: t.arg.string({ required: false, description: 'How the service supports the initiative.' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const link = await linkServiceToInitiative(ctx, { ...args, note: args.note ?? null });
      return ctx.prisma.serviceInitiativeLink.findUniqueOrThrow({ ...query, where: { id: link.id } });
    },
  }),
  unlinkServiceFromInitiative: t.boolean({
    description: 'Removes the link between a service and an initiative; false when there was none.',
    args: {
      serviceId: t.arg.id({ required: true, description: 'The service.' }),
      initiativeId: t.arg.id({ required: true, description: 'The initiative.' }),
    },
    resolve: (_root, args, ctx) => unlinkServiceFromInitiative(ctx, args),
  }),
}));
