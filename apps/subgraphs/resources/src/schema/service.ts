import { NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';
import { forbidden } from '@civic/server-kit/errors';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { canManage } from '../domain/permissions.ts';
import type { Service as ServiceRow } from '../generated/prisma/client.ts';
import { contentIn, DirectoryText, LANGUAGE_ARG, textIn } from './content.ts';
import { Theme } from './scalars.ts';

export const ServiceStatus = builder.enumType('ServiceStatus', {
  description: 'HSDS service status.',
  values: {
    ACTIVE: { description: 'Delivered now (the only status matching suggests).' },
    INACTIVE: { description: 'Not delivered at the moment.' },
    DEFUNCT: { description: 'No longer exists.' },
    TEMPORARILY_CLOSED: { description: 'Closed for a while, expected to reopen.' },
  } as const,
});

const Neighborhood = builder.externalRef('Neighborhood', builder.selection<{ id: string }>('id')).implement({
  fields: (t) => ({ id: t.exposeID('id', { description: 'Neighborhood id (owned by engagement).' }) }),
});

const ServiceArea = builder.objectRef<ServiceRow>('ServiceArea').implement({
  description: 'Where a service is offered: all of Durham, some council wards, some neighborhoods and/or a drawn area.',
  fields: (t) => ({
    citywide: t.boolean({ description: 'Serves all of Durham.', resolve: (s) => s.servesCitywide }),
    wards: t.intList({ description: 'Council wards served (1–3).', resolve: (s) => s.serviceWards }),
    neighborhoodIds: t.idList({
      description: 'Neighborhoods served, by id.',
      resolve: (s) => s.serviceNeighborhoodIds,
    }),
    neighborhoods: t.field({
      type: [Neighborhood],
      nullable: true,
      description: 'Neighborhoods served (null while the engagement service is unavailable).',
      resolve: (s) => s.serviceNeighborhoodIds.map((id) => ({ id })),
    }),
    neighborhoodNames: t.stringList({
      description: 'Names of the neighborhoods served.',
      resolve: (s) => s.serviceNeighborhoodIds.map((id) => NEIGHBORHOODS.find((n) => n.id === id)?.name ?? id),
    }),
    description: t.string({
      nullable: true,
      description: 'The area in words (HSDS service_area description).',
      resolve: (s) => s.serviceAreaDescription,
    }),
    geoJson: t.field({
      type: 'GeoJSON',
      nullable: true,
      description: 'The area as a GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection.',
      resolve: (s) => s.serviceAreaGeoJson ?? null,
    }),
  }),
});

function assertMaySeeChanges(ctx: Context, organization: { id: string; kind: 'CITY_DEPARTMENT' | string }) {
  const { role } = ctx.identity;
  if (role === 'ADMIN' || role === 'STAFF') return;
  if (role === 'PARTNER' && canManage(ctx.identity, organization as never)) return;
  throw forbidden('Only staff and the organization itself see the change log');
}

export const Service = builder.prismaObject('Service', {
  description: 'A resource: a service an organization provides (HSDS 3.0 service).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable id (HSDS service id when imported).' }),
    name: t.string({
      description: 'Service name.',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (s, { language }, ctx) => textIn(ctx, 'SERVICE', s.id, 'name', s.name, language),
    }),
    alternateName: t.string({
      nullable: true,
      description: 'Another name.',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (s, { language }, ctx) => textIn(ctx, 'SERVICE', s.id, 'alternateName', s.alternateName, language),
    }),
    description: t.string({
      nullable: true,
      description: 'What the service does.',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (s, { language }, ctx) => textIn(ctx, 'SERVICE', s.id, 'description', s.description, language),
    }),
    content: t.field({
      type: [DirectoryText],
      description:
        'Its text fields in "en" or "es", each saying whether it is a machine translation and what the original is.',
      args: { language: t.arg.string({ required: true, description: '"en" or "es".' }) },
      resolve: (s, { language }, ctx) =>
        contentIn(
          ctx,
          'SERVICE',
          s.id,
          { ...s, eligibility: s.eligibilityDescription, fees: s.feesDescription },
          language,
        ),
    }),
    url: t.exposeString('url', { nullable: true, description: 'Web page of the service.' }),
    email: t.exposeString('email', { nullable: true, description: 'Contact email of the service.' }),
    status: t.field({ type: ServiceStatus, description: 'HSDS status.', resolve: (s) => s.status }),
    organization: t.relation('organization', { description: 'Who provides the service.' }),
    program: t.relation('program', { nullable: true, description: 'The program the service belongs to.' }),
    internal: t.boolean({
      description: 'True when a city department provides the service (internal resource).',
      select: { organization: { select: { kind: true } } },
      resolve: (s) => s.organization.kind === 'CITY_DEPARTMENT',
    }),
    eligibility: t.string({
      nullable: true,
      description: 'Who may use it.',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (s, { language }, ctx) =>
        textIn(ctx, 'SERVICE', s.id, 'eligibility', s.eligibilityDescription, language),
    }),
    minimumAge: t.exposeInt('minimumAge', { nullable: true, description: 'Youngest age served.' }),
    maximumAge: t.exposeInt('maximumAge', { nullable: true, description: 'Oldest age served.' }),
    languages: t.exposeStringList('languages', { description: 'Languages offered, as BCP-47 tags (e.g. "en", "es").' }),
    interpretationServices: t.exposeString('interpretationServices', {
      nullable: true,
      description: 'Interpretation available on request.',
    }),
    fees: t.string({
      nullable: true,
      description: 'Fees in words; null when unknown.',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (s, { language }, ctx) => textIn(ctx, 'SERVICE', s.id, 'fees', s.feesDescription, language),
    }),
    applicationProcess: t.string({
      nullable: true,
      description: 'How to apply.',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (s, { language }, ctx) =>
        textIn(ctx, 'SERVICE', s.id, 'applicationProcess', s.applicationProcess, language),
    }),
    themes: t.field({
      type: [Theme],
      description: 'Themes from the shared taxonomy.',
      resolve: (s) => s.themes as (typeof Theme.$inferType)[],
    }),
    serviceArea: t.field({ type: ServiceArea, description: 'Where the service is offered.', resolve: (s) => s }),
    locations: t.prismaField({
      type: ['Location'],
      description: 'Where the service is delivered.',
      select: (_args, _ctx, nestedSelection) => ({
        locations: { select: { location: nestedSelection(true) }, orderBy: { locationId: 'asc' } },
      }),
      resolve: (_query, s) => s.locations.map((l) => l.location),
    }),
    schedules: t.relation('schedules', { description: 'When it is available.', query: { orderBy: { id: 'asc' } } }),
    annualBudget: t.exposeInt('annualBudget', {
      nullable: true,
      description: 'Internal services: annual budget in US dollars, where known.',
    }),
    fiscalYear: t.exposeInt('fiscalYear', {
      nullable: true,
      description: 'Internal services: the fiscal year the budget is for (FY2026 = July 2025–June 2026).',
    }),
    changes: t.prismaField({
      type: ['ChangeRecord'],
      description: 'Change log, newest first (staff, and partners for their own services).',
      select: { organization: { select: { id: true, kind: true } } },
      resolve: (_query, s, _args, ctx) => {
        assertMaySeeChanges(ctx, s.organization);
        return ctx.loaders.changesByResource.load(s.id);
      },
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was added.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
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
    description: 'A service by id.',
    args: { id: t.arg.id({ required: true, description: 'The service id.' }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.service.findUnique({ ...query, where: { id: args.id } }),
  }),
}));
