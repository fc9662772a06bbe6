import { builder } from '../builder.ts';
import type { Context } from '../context.ts';

const OrganizationKind = builder.enumType('OrganizationKind', {
  values: ['CITY_DEPARTMENT', 'NONPROFIT', 'COUNTY_AGENCY', 'FAITH_BASED', 'BUSINESS', 'OTHER'] as const,
});

const Organization = builder.prismaObject('Organization', {
  description: 'A city department (internal) or a partner organization (external) that provides services.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    kind: t.field({ type: OrganizationKind, resolve: (o) => o.kind }),
    internal: t.boolean({
      description: 'True for city departments.',
      resolve: (o) => o.kind === 'CITY_DEPARTMENT',
    }),
    description: t.exposeString('description', { nullable: true }),
    email: t.exposeString('email', { nullable: true }),
    website: t.exposeString('website', { nullable: true }),
    services: t.relation('services', { query: { orderBy: { name: 'asc' } } }),
  }),
});

builder.asEntity(Organization, {
  key: builder.selection<{ id: string }>('id'),
  resolveReference: ({ id }, ctx: Context) => ctx.loaders.organization.load(id),
});

builder.queryFields((t) => ({
  organization: t.prismaField({
    type: 'Organization',
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.organization.findUnique({ ...query, where: { id: args.id } }),
  }),
  organizations: t.prismaField({
    type: ['Organization'],
    resolve: (query, _root, _args, ctx) => ctx.prisma.organization.findMany({ ...query, orderBy: { name: 'asc' } }),
  }),
}));
