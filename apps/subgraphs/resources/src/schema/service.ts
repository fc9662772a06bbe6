import { builder } from '../builder.ts';
import type { Context } from '../context.ts';

const ServiceStatus = builder.enumType('ServiceStatus', {
  description: 'HSDS service status.',
  values: ['ACTIVE', 'INACTIVE', 'DEFUNCT', 'TEMPORARILY_CLOSED'] as const,
});

const Service = builder.prismaObject('Service', {
  description: 'A resource: a service an organization provides (HSDS 3.0 service).',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    status: t.field({ type: ServiceStatus, resolve: (s) => s.status }),
    themes: t.exposeStringList('themes'),
    organization: t.relation('organization'),
  }),
});

builder.asEntity(Service, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: ({ id }, ctx: Context) => ctx.loaders.service.load(id),
});

builder.queryFields((t) => ({
  service: t.prismaField({
    type: 'Service',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.service.findUnique({ ...query, where: { id: args.id } }),
  }),
}));
