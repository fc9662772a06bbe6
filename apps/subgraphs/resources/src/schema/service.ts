import { rewindGeoJson } from '@civic/geo/geometry';
import { NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';
import { resolveOffsetConnection } from '@pothos/plugin-relay';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { areaStatusOf } from '../domain/area-status.ts';
import { CONTENT_FIELDS, queueContentTranslation } from '../domain/content-translations.ts';
import { assertMaySeeChanges } from '../domain/permissions.ts';
import { createService, SERVICE_INPUT, type ServiceInput, setServiceStatus, updateService } from '../domain/service.ts';
import { searchDirectory } from '../domain/service-search.ts';
import type { Service as ServiceRow } from '../generated/prisma/client.ts';
import { contentIn, DirectoryText, FIELDS_ARG, LANGUAGE_ARG, textIn } from './content.ts';
import { OrganizationKind, ServiceAreaCoverage, ServiceStatus } from './enums.ts';
import { Theme } from './scalars.ts';

export const Neighborhood = builder.externalRef('Neighborhood', builder.selection<{ id: string }>('id')).implement({
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
      resolve: (s) => rewindGeoJson(s.serviceAreaGeoJson ?? null),
    }),
    coverage: t.field({
      type: ServiceAreaCoverage,
      description:
        'How far the area is known in published neighborhoods; UNKNOWN for words naming nothing we can place (show `description`).',
      resolve: (s) => areaStatusOf(s).coverage,
    }),
    unresolvedText: t.stringList({
      description:
        'Parts of an area given only in words that name no ward, published neighborhood (English, Spanish or a former demo name) or the whole city, as given.',
      resolve: (s) => areaStatusOf(s).unresolved,
    }),
  }),
});

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
      args: {
        language: t.arg.string({ required: true, description: '"en" or "es".' }),
        fields: t.arg.stringList({ description: FIELDS_ARG }),
      },
      listSize: { assumedSize: CONTENT_FIELDS.SERVICE.length },
      resolve: (s, { language, fields }, ctx) =>
        contentIn(
          ctx,
          'SERVICE',
          s.id,
          { ...s, eligibility: s.eligibilityDescription, fees: s.feesDescription },
          language,
          fields,
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
        assertMaySeeChanges(ctx.identity, s.organization);
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

builder.queryFields((t) => ({
  services: t.connection(
    {
      type: Service,
      listSize: {
        slicingArguments: ['first', 'last'],
        sizedFields: ['edges'],
        requireOneSlicingArgument: false,
        assumedSize: 20,
      },
      description:
        'The resource directory: services filtered by text (Postgres full-text search, best match first), theme, neighborhood or ward served, language, organization kind, internal/external and status; by name otherwise.',
      args: {
        text: t.arg.string({
          required: false,
          cost: 10,
          description: 'Words to search for (web-search syntax: "quoted phrases", -not).',
        }),
        themes: t.arg({ type: [Theme], required: false, description: 'Services with any of these themes.' }),
        neighborhoodId: t.arg.id({
          required: false,
          description:
            'Services whose area covers this neighborhood, by geometry (all of the city, a drawn area holding half of it or more, a ward it overlaps, or the neighborhood itself): the coverage suggestions and the equity gap report use.',
        }),
        ward: t.arg.int({ required: false, description: 'Services that serve this council ward (1–3).' }),
        language: t.arg.string({
          required: false,
          description: 'Services offered in this language (BCP-47, e.g. "es").',
        }),
        organizationKinds: t.arg({
          type: [OrganizationKind],
          required: false,
          description: 'Providers of these kinds.',
        }),
        internal: t.arg.boolean({
          required: false,
          description: 'Only internal (city department) services when true, only external ones when false.',
        }),
        statuses: t.arg({ type: [ServiceStatus], required: false, description: 'Only these statuses (default: all).' }),
      },
      resolve: async (_root, args, ctx) => {
        let totalCount = 0;
        const connection = await resolveOffsetConnection(
          { args, defaultSize: 20, maxSize: 100 },
          async ({ limit, offset }) => {
            const page = await searchDirectory(ctx.prisma, args, { limit, offset });
            totalCount = page.totalCount;
            const rows = await ctx.loaders.service.loadMany(page.ids);
            return rows.filter((row): row is ServiceRow => row !== null && !(row instanceof Error));
          },
        );
        return { ...connection, totalCount };
      },
    },
    {
      name: 'ServiceConnection',
      description: 'A page of services.',
      edgesField: { description: 'The services on this page, with their cursors.' },
      fields: (c) => ({
        totalCount: c.int({
          description: 'How many services match, on all pages.',
          resolve: (connection) => (connection as unknown as { totalCount: number }).totalCount,
        }),
      }),
    },
    {
      name: 'ServiceEdge',
      description: 'A service in a page of services.',
      nodeField: { description: 'The service.' },
    },
  ),
}));

const CreateServiceInput = builder.inputType('CreateServiceInput', {
  description: 'A new service (HSDS service).',
  fields: (t) => ({
    id: t.id({ required: false, description: 'Keep an existing HSDS id; generated when omitted.' }),
    organizationId: t.id({ required: true, description: 'The providing organization.' }),
    ...SERVICE_INPUT.fields(t),
    name: t.string({ required: true, description: 'Service name.' }),
  }),
});

const UpdateServiceInput = builder.inputType('UpdateServiceInput', {
  description: 'Changes to a service; omitted fields stay as they are, null clears a field.',
  fields: (t) => ({
    ...SERVICE_INPUT.fields(t),
  }),
});

builder.mutationFields((t) => ({
  createService: t.prismaField({
    type: 'Service',
    description:
      'Adds a service: PARTNER to its own organization, STAFF to their own department, ADMIN anywhere. Validated first; stored with its change-log rows in one transaction.',
    args: { input: t.arg({ type: CreateServiceInput, required: true, description: 'The new service.' }) },
    resolve: async (query, _root, { input }, ctx) => {
      const created = await createService(ctx, input as ServiceInput & typeof input);
      await queueContentTranslation(ctx.prisma, 'SERVICE', [created.id]);
      return ctx.prisma.service.findUniqueOrThrow({ ...query, where: { id: created.id } });
    },
  }),
  updateService: t.prismaField({
    type: 'Service',
    description: 'Changes a service (same permissions as createService); every changed field is recorded.',
    args: {
      id: t.arg.id({ required: true, description: 'The service.' }),
      input: t.arg({ type: UpdateServiceInput, required: true, description: 'The changes.' }),
    },
    resolve: async (query, _root, { id, input }, ctx) => {
      await updateService(ctx, { id, input: input as ServiceInput });
      await queueContentTranslation(ctx.prisma, 'SERVICE', [id]);
      return ctx.prisma.service.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  setServiceStatus: t.prismaField({
    type: 'Service',
    description: 'Sets the HSDS status of a service (same permissions as updateService).',
    args: {
      id: t.arg.id({ required: true, description: 'The service.' }),
      status: t.arg({ type: ServiceStatus, required: true, description: 'The new HSDS status.' }),
    },
    resolve: async (query, _root, { id, status }, ctx) => {
      await setServiceStatus(ctx, { id, status });
      return ctx.prisma.service.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));
