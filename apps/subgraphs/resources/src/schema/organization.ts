import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import {
  createOrganization,
  ORGANIZATION_INPUT,
  type OrganizationInput as OrganizationInputValues,
  updateOrganization,
} from '../domain/organization.ts';
import { organizationAliases, organizationIdFor } from '../domain/organization-identifiers.ts';
import { contentIn, DirectoryText, LANGUAGE_ARG, textIn } from './content.ts';
import { OrganizationKind } from './enums.ts';

const Organization = builder.prismaObject('Organization', {
  description:
    'A city department (internal) or a partner organization (external) that provides services (HSDS organization).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id (HSDS organization id when imported; a department’s own id).' }),
    alternateIds: t.idList({
      description:
        'Other identifiers it is known by: a city department’s slug and its organization ids in published HSDS directories. `organization(id:)`, HSDS imports and staff tokens (`--department`) accept them; a re-imported dataset updates this organization.',
      resolve: (o) => organizationAliases(o.id),
    }),
    name: t.string({
      description: 'Official name.',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (o, { language }, ctx) => textIn(ctx, 'ORGANIZATION', o.id, 'name', o.name, language),
    }),
    alternateName: t.string({
      nullable: true,
      description: 'Another name it is known by.',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (o, { language }, ctx) => textIn(ctx, 'ORGANIZATION', o.id, 'alternateName', o.alternateName, language),
    }),
    content: t.field({
      type: [DirectoryText],
      description:
        'Its text fields in "en" or "es", each saying whether it is a machine translation and what the original is.',
      args: { language: t.arg.string({ required: true, description: '"en" or "es".' }) },
      resolve: (o, { language }, ctx) => contentIn(ctx, 'ORGANIZATION', o.id, o, language),
    }),
    kind: t.field({ type: OrganizationKind, description: 'Kind of organization.', resolve: (o) => o.kind }),
    internal: t.boolean({
      description: 'True for city departments, whose services are internal resources.',
      resolve: (o) => o.kind === 'CITY_DEPARTMENT',
    }),
    description: t.string({
      nullable: true,
      description: 'What the organization does.',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (o, { language }, ctx) => textIn(ctx, 'ORGANIZATION', o.id, 'description', o.description, language),
    }),
    email: t.exposeString('email', { nullable: true, description: 'Public contact email.' }),
    website: t.exposeString('website', { nullable: true, description: 'Public website.' }),
    phone: t.exposeString('phone', { nullable: true, description: 'Public contact phone number.' }),
    contactName: t.exposeString('contactName', {
      nullable: true,
      description: 'Public contact person or desk (never a resident).',
    }),
    services: t.relation('services', {
      description: "The organization's services, by name.",
      query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] },
    }),
    programs: t.relation('programs', {
      description: "The organization's programs, by name.",
      query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] },
    }),
    locations: t.relation('locations', {
      description: "The organization's locations.",
      query: { orderBy: [{ name: 'asc' }, { id: 'asc' }] },
    }),
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
    description:
      'An organization by id, or by another identifier it is known by (a department’s slug or HSDS organization id: see `alternateIds`).',
    args: { id: t.arg.id({ required: true, description: 'The organization id or one of its alternateIds.' }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.organization.findUnique({ ...query, where: { id: organizationIdFor(args.id) } }),
  }),
  organizations: t.prismaField({
    type: ['Organization'],
    description: 'Organizations by name, optionally of some kinds only.',
    args: {
      kinds: t.arg({ type: [OrganizationKind], required: false, description: 'Only these kinds.' }),
      internal: t.arg.boolean({
        required: false,
        description: 'Only city departments (true) or only partners (false).',
      }),
    },
    resolve: (query, _root, args, ctx) => {
      const kindFilter = args.kinds?.length ? { in: [...args.kinds] } : undefined;
      const internalFilter =
        args.internal === true
          ? { equals: 'CITY_DEPARTMENT' as const }
          : args.internal === false
            ? { not: 'CITY_DEPARTMENT' as const }
            : undefined;
      return ctx.prisma.organization.findMany({
        ...query,
        where: { AND: [{ kind: kindFilter }, { kind: internalFilter }] },
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      });
    },
  }),
}));

const OrganizationInput = builder.inputType('OrganizationInput', {
  description: 'Fields of an organization (HSDS organization). Omitted fields are left unchanged on update.',
  fields: (t) => ORGANIZATION_INPUT.fields(t),
});

builder.mutationFields((t) => ({
  createOrganization: t.prismaField({
    type: 'Organization',
    description: 'Adds an organization (ADMIN only). Recorded in the change log.',
    args: { input: t.arg({ type: OrganizationInput, required: true, description: 'The new organization.' }) },
    resolve: async (query, _root, { input }, ctx) => {
      const created = await createOrganization(ctx, input as OrganizationInputValues);
      return ctx.prisma.organization.findUniqueOrThrow({ ...query, where: { id: created.id } });
    },
  }),
  updateOrganization: t.prismaField({
    type: 'Organization',
    description:
      "Changes an organization's details: a partner its own, staff their own department, ADMIN any (only ADMIN changes kind). Recorded in the change log.",
    args: {
      id: t.arg.id({ required: true, description: 'The organization.' }),
      input: t.arg({ type: OrganizationInput, required: true, description: 'The changes.' }),
    },
    resolve: async (query, _root, { id, input }, ctx) => {
      await updateOrganization(ctx, { id, input: input as OrganizationInputValues });
      return ctx.prisma.organization.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));
