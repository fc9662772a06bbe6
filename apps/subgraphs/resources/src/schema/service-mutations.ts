import type { InputFieldBuilder } from '@pothos/core';
import { builder } from '../builder.ts';
import { queueContentTranslation } from '../content/translations.ts';
import {
  createService,
  linkServiceToInitiative,
  type ServicePatch,
  setServiceStatus,
  unlinkServiceFromInitiative,
  updateService,
} from '../domain/service-writes.ts';
import { Theme } from './scalars.ts';
import { ServiceStatus } from './service.ts';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

function serviceFields(t: InputFieldBuilder<Types, 'InputObject'>) {
  return {
    programId: t.id({ required: false, description: 'Program of the same organization.' }),
    alternateName: t.string({ required: false, description: 'Another name.' }),
    description: t.string({ required: false, description: 'What the service does.' }),
    url: t.string({ required: false, description: 'Web page (http or https).' }),
    email: t.string({ required: false, description: 'Contact email.' }),
    status: t.field({ type: ServiceStatus, required: false, description: 'HSDS status (default ACTIVE).' }),
    interpretationServices: t.string({ required: false, description: 'Interpretation available on request.' }),
    applicationProcess: t.string({ required: false, description: 'How to apply.' }),
    fees: t.string({ required: false, description: 'Fees in words.' }),
    eligibility: t.string({ required: false, description: 'Who may use it.' }),
    minimumAge: t.int({ required: false, description: 'Youngest age served (0–130).' }),
    maximumAge: t.int({ required: false, description: 'Oldest age served (0–130, not below minimumAge).' }),
    languages: t.stringList({ required: false, description: 'BCP-47 language tags (default ["en"]).' }),
    themes: t.field({ type: [Theme], required: false, description: 'Themes from the shared taxonomy.' }),
    servesCitywide: t.boolean({ required: false, description: 'Serves all of Durham.' }),
    serviceWards: t.intList({ required: false, description: 'Council wards served (1–3).' }),
    serviceNeighborhoodIds: t.idList({ required: false, description: 'Neighborhood ids served.' }),
    serviceAreaDescription: t.string({ required: false, description: 'The area in words.' }),
    serviceAreaGeoJson: t.field({
      type: 'GeoJSON',
      required: false,
      description: 'The area as a GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection.',
    }),
    annualBudget: t.int({ required: false, description: 'Internal services only: annual budget in US dollars.' }),
    fiscalYear: t.int({ required: false, description: 'Internal services only: fiscal year of the budget.' }),
  };
}

const CreateServiceInput = builder.inputType('CreateServiceInput', {
  description: 'A new service (HSDS service).',
  fields: (t) => ({
    id: t.id({ required: false, description: 'Keep an existing HSDS id; generated when omitted.' }),
    organizationId: t.id({ required: true, description: 'The providing organization.' }),
    name: t.string({ required: true, description: 'Service name.' }),
    ...serviceFields(t),
  }),
});

const UpdateServiceInput = builder.inputType('UpdateServiceInput', {
  description: 'Changes to a service; omitted fields stay as they are, null clears a field.',
  fields: (t) => ({
    name: t.string({ required: false, description: 'Service name.' }),
    ...serviceFields(t),
  }),
});

type InputValues = Record<string, unknown> & { fees?: unknown; eligibility?: unknown };

/** GraphQL field names → stored names; lists given as null mean "none". */
function toPatch(input: InputValues): ServicePatch {
  const { fees, eligibility, id: _id, organizationId: _org, ...rest } = input;
  const patch: Record<string, unknown> = { ...rest, feesDescription: fees, eligibilityDescription: eligibility };
  for (const list of ['languages', 'themes', 'serviceWards', 'serviceNeighborhoodIds']) {
    if (patch[list] === null) patch[list] = [];
  }
  for (const flag of ['servesCitywide', 'status', 'name']) {
    if (patch[flag] === null) delete patch[flag];
  }
  return patch as ServicePatch;
}

builder.mutationFields((t) => ({
  createService: t.prismaField({
    type: 'Service',
    description:
      'Adds a service: PARTNER to its own organization, STAFF to their own department, ADMIN anywhere. Validated first; stored with its change-log rows in one transaction.',
    args: { input: t.arg({ type: CreateServiceInput, required: true, description: 'The new service.' }) },
    resolve: async (query, _root, { input }, ctx) => {
      const created = await createService(ctx, {
        ...toPatch(input),
        id: input.id,
        organizationId: input.organizationId,
        name: input.name,
      });
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
      await updateService(ctx, id, toPatch(input));
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
      await setServiceStatus(ctx, id, status);
      return ctx.prisma.service.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  linkServiceToInitiative: t.prismaField({
    type: 'ServiceInitiativeLink',
    description: 'Records that a service supports a strategic-plan initiative (or changes the note of that link).',
    args: {
      serviceId: t.arg.id({ required: true, description: 'The supporting service.' }),
      initiativeId: t.arg.id({ required: true, description: 'The initiative it supports.' }),
      note: t.arg.string({ required: false, description: 'How the service supports the initiative.' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const link = await linkServiceToInitiative(ctx, args.serviceId, args.initiativeId, args.note ?? null);
      return ctx.prisma.serviceInitiativeLink.findUniqueOrThrow({ ...query, where: { id: link.id } });
    },
  }),
  unlinkServiceFromInitiative: t.boolean({
    description: 'Removes the link between a service and an initiative; false when there was none.',
    args: {
      serviceId: t.arg.id({ required: true, description: 'The service.' }),
      initiativeId: t.arg.id({ required: true, description: 'The initiative.' }),
    },
    resolve: (_root, args, ctx) => unlinkServiceFromInitiative(ctx, args.serviceId, args.initiativeId),
  }),
}));
