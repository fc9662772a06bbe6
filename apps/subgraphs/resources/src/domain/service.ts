import { inputFields } from '@civic/graphql-kit/input-fields';
import { inTransaction, parseInput } from '@civic/graphql-kit/write';
import { NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';
import { badInput, notFound } from '@civic/server-kit/errors';
import { recordInvalidation } from '@civic/server-kit/invalidations';
import { forwardWebhookEvent, prismaExecutor } from '@civic/webhooks/forward';
import { z } from 'zod';
import type { Context } from '../context.ts';
import type { Prisma, Service } from '../generated/prisma/client.ts';
import { type OrganizationKind, ServiceStatus } from '../generated/prisma/enums.ts';
import { type InputFields, ServiceStatus as ServiceStatusEnum } from '../schema/enums.ts';
import { Theme } from '../schema/scalars.ts';
import { changesBetween, recordChanges } from './change-log.ts';
import { COVERAGE_FIELDS, coverageInvalidationTags } from './coverage-invalidation.ts';
import { geoJsonAreaProblems } from './geojson.ts';
import { organizationIdFor } from './organization-identifiers.ts';
import { assertCanManage, assertSignedIn } from './permissions.ts';

const TEXT_LIMIT = 4000;
const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const NEIGHBORHOOD_IDS = new Set(NEIGHBORHOODS.map((n) => n.id));
const AGE = 'An age is between 0 and 130';
const FISCAL_YEAR = 'A fiscal year such as 2026';

const text = z.string().nullable();
const longText = z.string().max(TEXT_LIMIT, `At most ${TEXT_LIMIT} characters`).nullable();
const age = z.number().min(0, AGE).max(130, AGE).nullable();

const serviceInput = inputFields<InputFields>();

/**
 * The one table of a service's editable fields, in input order: CreateServiceInput and
 * UpdateServiceInput are printed from it, and a service as it would be stored is parsed with it
 * (problems name the stored column). `name` comes first in both inputs (required when creating).
 */
export const SERVICE_INPUT = serviceInput({
  name: {
    column: 'name' as const,
    field: (t) => t.string({ required: false, description: 'Service name.' }),
    schema: z.string().trim().min(1, 'A service needs a name').max(200, 'A name has at most 200 characters'),
    empty: '',
    onNull: 'keep' as const,
  },
  programId: {
    column: 'programId' as const,
    field: (t) => t.id({ required: false, description: 'Program of the same organization.' }),
    schema: text,
    empty: null,
  },
  alternateName: {
    column: 'alternateName' as const,
    field: (t) => t.string({ required: false, description: 'Another name.' }),
    schema: text,
    empty: null,
  },
  description: {
    column: 'description' as const,
    field: (t) => t.string({ required: false, description: 'What the service does.' }),
    schema: longText,
    empty: null,
  },
  url: {
    column: 'url' as const,
    field: (t) => t.string({ required: false, description: 'Web page (http or https).' }),
    schema: z
      .string()
      .regex(/^https?:\/\/\S+$/, 'A URL starts with http:// or https://')
      .nullable(),
    empty: null,
  },
  email: {
    column: 'email' as const,
    field: (t) => t.string({ required: false, description: 'Contact email.' }),
    schema: z
      .string()
      .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'Not an email address')
      .nullable(),
    empty: null,
  },
  status: {
    column: 'status' as const,
    field: (t) => t.field({ type: ServiceStatusEnum, required: false, description: 'HSDS status (default ACTIVE).' }),
    schema: z.enum(ServiceStatus),
    empty: 'ACTIVE',
    onNull: 'keep' as const,
  },
  interpretationServices: {
    column: 'interpretationServices' as const,
    field: (t) => t.string({ required: false, description: 'Interpretation available on request.' }),
    schema: text,
    empty: null,
  },
  applicationProcess: {
    column: 'applicationProcess' as const,
    field: (t) => t.string({ required: false, description: 'How to apply.' }),
    schema: longText,
    empty: null,
  },
  fees: {
    column: 'feesDescription' as const,
    field: (t) => t.string({ required: false, description: 'Fees in words.' }),
    schema: longText,
    empty: null,
  },
  eligibility: {
    column: 'eligibilityDescription' as const,
    field: (t) => t.string({ required: false, description: 'Who may use it.' }),
    schema: longText,
    empty: null,
  },
  minimumAge: {
    column: 'minimumAge' as const,
    field: (t) => t.int({ required: false, description: 'Youngest age served (0–130).' }),
    schema: age,
    empty: null,
  },
  maximumAge: {
    column: 'maximumAge' as const,
    field: (t) => t.int({ required: false, description: 'Oldest age served (0–130, not below minimumAge).' }),
    schema: age,
    empty: null,
  },
  languages: {
    column: 'languages' as const,
    field: (t) => t.stringList({ required: false, description: 'BCP-47 language tags (default ["en"]).' }),
    schema: z.array(
      z.string().regex(LANGUAGE_TAG, {
        error: (issue) => `"${String(issue.input)}" is not a BCP-47 language tag such as "en" or "es"`,
      }),
    ),
    empty: ['en'],
    onNull: 'empty' as const,
  },
  themes: {
    column: 'themes' as const,
    field: (t) => t.field({ type: [Theme], required: false, description: 'Themes from the shared taxonomy.' }),
    schema: z.array(z.string()),
    empty: [],
    onNull: 'empty' as const,
  },
  servesCitywide: {
    column: 'servesCitywide' as const,
    field: (t) => t.boolean({ required: false, description: 'Serves all of Durham.' }),
    schema: z.boolean(),
    empty: false,
    onNull: 'keep' as const,
  },
  serviceWards: {
    column: 'serviceWards' as const,
    field: (t) => t.intList({ required: false, description: 'Council wards served (1–3).' }),
    schema: z.array(z.number().refine((ward) => [1, 2, 3].includes(ward), 'Durham has council wards 1, 2 and 3')),
    empty: [],
    onNull: 'empty' as const,
  },
  serviceNeighborhoodIds: {
    column: 'serviceNeighborhoodIds' as const,
    field: (t) => t.idList({ required: false, description: 'Neighborhood ids served.' }),
    schema: z.array(
      z.string().refine((id) => NEIGHBORHOOD_IDS.has(id), { error: (issue) => `Unknown neighborhood ${issue.input}` }),
    ),
    empty: [],
    onNull: 'empty' as const,
  },
  serviceAreaDescription: {
    column: 'serviceAreaDescription' as const,
    field: (t) => t.string({ required: false, description: 'The area in words.' }),
    schema: text,
    empty: null,
  },
  serviceAreaGeoJson: {
    column: 'serviceAreaGeoJson' as const,
    field: (t) =>
      t.field({
        type: 'GeoJSON',
        required: false,
        description: 'The area as a GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection.',
      }),
    schema: z.unknown().superRefine((area, issues) => {
      if (area === null || area === undefined) return;
      for (const { message } of geoJsonAreaProblems(area, 'serviceAreaGeoJson')) {
        issues.addIssue({ code: 'custom', message });
      }
    }),
    empty: null,
  },
  annualBudget: {
    column: 'annualBudget' as const,
    field: (t) => t.int({ required: false, description: 'Internal services only: annual budget in US dollars.' }),
    schema: z.number().min(0, 'A budget is not negative').nullable(),
    empty: null,
  },
  fiscalYear: {
    column: 'fiscalYear' as const,
    field: (t) => t.int({ required: false, description: 'Internal services only: fiscal year of the budget.' }),
    schema: z.number().min(2000, FISCAL_YEAR).max(2100, FISCAL_YEAR).nullable(),
    empty: null,
  },
});

type Fields = typeof SERVICE_INPUT.table;
type InputName = keyof Fields;
type ColumnOf<K extends InputName> = Fields[K]['column'];

const FIELD_LIST = Object.entries(SERVICE_INPUT.table) as [InputName, Fields[InputName]][];

/** The stored columns of a service's editable fields. */
export const SERVICE_COLUMNS = FIELD_LIST.map(([, f]) => f.column);

const serviceShape = Object.fromEntries(FIELD_LIST.map(([, f]) => [f.column, f.schema])) as {
  [K in InputName as ColumnOf<K>]: Fields[K]['schema'];
};

/** The editable fields of a service, as stored. */
export type ServiceValues = z.output<z.ZodObject<typeof serviceShape>>;

/** A service's values with nothing set but its name. */
export const EMPTY_SERVICE = Object.fromEntries(
  FIELD_LIST.filter(([name]) => name !== 'name').map(([, f]) => [f.column, f.empty]),
) as unknown as Omit<ServiceValues, 'name'>;

/** A service as it would be stored, with the rules that span fields or depend on its organization. */
function serviceSchema(organizationKind: OrganizationKind) {
  return z.object(serviceShape).superRefine((values, issues) => {
    const { minimumAge, maximumAge, annualBudget } = values;
    if (minimumAge !== null && maximumAge !== null && minimumAge > maximumAge) {
      issues.addIssue({ code: 'custom', path: ['maximumAge'], message: 'The maximum age is below the minimum age' });
    }
    if (annualBudget !== null && organizationKind !== 'CITY_DEPARTMENT') {
      issues.addIssue({
        code: 'custom',
        path: ['annualBudget'],
        message: 'Only internal (city department) services carry a budget',
      });
    }
  });
}

/** Parses a service as it would be stored, or throws BAD_USER_INPUT naming every stored field at fault. */
export function parseService(values: ServiceValues, organizationKind: OrganizationKind): ServiceValues {
  return parseInput(serviceSchema(organizationKind), values, null, 'The service is not valid') as ServiceValues;
}

/** The input of createService and updateService, by GraphQL field name. */
export type ServiceInput = { [K in InputName]?: z.input<Fields[K]['schema']> | null };

/** The stored columns the caller set: omitted fields are left out; null clears, empties a list, or is ignored. */
function columnsOf(input: ServiceInput): Partial<ServiceValues> {
  const set: Record<string, unknown> = {};
  for (const [name, f] of FIELD_LIST) {
    const value = input[name];
    if (value === undefined) continue;
    const onNull = 'onNull' in f ? f.onNull : undefined;
    if (value === null && onNull === 'keep') continue;
    set[f.column] = value === null && onNull === 'empty' ? [] : value;
  }
  return set as Partial<ServiceValues>;
}

function toData(values: Partial<ServiceValues>): Prisma.ServiceUncheckedUpdateInput {
  const { serviceAreaGeoJson, ...rest } = values;
  if (serviceAreaGeoJson === undefined) return rest;
  return { ...rest, serviceAreaGeoJson: (serviceAreaGeoJson ?? null) as Prisma.InputJsonValue };
}

function storedValues(service: Service): ServiceValues {
  return Object.fromEntries(SERVICE_COLUMNS.map((c) => [c, service[c]])) as ServiceValues;
}

async function checkProgram(ctx: Context, programId: string | null, organizationId: string) {
  if (programId === null) return;
  const program = await ctx.prisma.program.findUnique({ where: { id: programId }, select: { organizationId: true } });
  if (!program || program.organizationId !== organizationId) {
    throw badInput('The service is not valid', [
      { field: 'programId', message: `No program ${programId} in this service's organization` },
    ]);
  }
}

/** The partner webhook event of a service write, in its transaction (ids, name, status and changed fields). */
function forwardServiceChanged(
  ctx: Context,
  tx: Prisma.TransactionClient,
  service: Service,
  action: 'CREATED' | 'UPDATED',
  changedFields: string[],
): Promise<void> {
  return forwardWebhookEvent(ctx.prisma, prismaExecutor(tx), 'SERVICE_CHANGED', {
    serviceId: service.id,
    organizationId: service.organizationId,
    name: service.name,
    status: service.status,
    action,
    changedFields,
    changedAt: new Date().toISOString(),
  });
}

/** Adds a service: PARTNER to its own organization, STAFF to their own department, ADMIN anywhere. */
export async function createService(
  ctx: Context,
  input: ServiceInput & { organizationId: string; name: string; id?: string | null },
): Promise<Service> {
  assertSignedIn(ctx.identity);
  const organization = await ctx.prisma.organization.findUnique({
    where: { id: organizationIdFor(input.organizationId) },
  });
  if (!organization) {
    throw badInput('The service is not valid', [
      { field: 'organizationId', message: `Unknown organization ${input.organizationId}` },
    ]);
  }
  assertCanManage(ctx.identity, organization);
  const values = parseService({ ...EMPTY_SERVICE, ...columnsOf(input), name: input.name }, organization.kind);
  await checkProgram(ctx, values.programId, organization.id);
  return inTransaction(
    ctx.prisma,
    async (tx) => {
      const service = await tx.service.create({
        data: {
          ...(toData(values) as Prisma.ServiceUncheckedCreateInput),
          organizationId: organization.id,
          ...(input.id ? { id: input.id } : {}),
        },
      });
      await recordChanges(tx, ctx, { id: service.id, type: 'service' }, 'create', changesBetween({}, values));
      await forwardServiceChanged(ctx, tx, service, 'CREATED', Object.keys(values));
      await recordInvalidation(tx, coverageInvalidationTags(null, service));
      return service;
    },
    `A service with id ${input.id} already exists`,
  );
}

/** The service with its organization, once the caller may change it. */
export async function loadServiceForChange(ctx: Context, id: string) {
  assertSignedIn(ctx.identity);
  const service = await ctx.prisma.service.findUnique({ where: { id }, include: { organization: true } });
  if (!service) throw notFound('Service', id);
  assertCanManage(ctx.identity, service.organization);
  return service;
}

/** Changes a service (same permissions as createService); every changed field is recorded. */
export async function updateService(
  ctx: Context,
  { id, input }: { id: string; input: ServiceInput },
): Promise<Service> {
  const service = await loadServiceForChange(ctx, id);
  const before = storedValues(service);
  const columns = Object.keys(columnsOf(input)) as (keyof ServiceValues)[];
  const values = parseService({ ...before, ...columnsOf(input) }, service.organization.kind);
  const set = Object.fromEntries(columns.map((c) => [c, values[c]])) as Partial<ServiceValues>;
  if (set.programId !== undefined) await checkProgram(ctx, set.programId, service.organizationId);
  const changes = changesBetween(before, set);
  if (changes.length === 0) return service;
  const changed = Object.fromEntries(changes.map((c) => [c.fieldName, set[c.fieldName as keyof ServiceValues]]));
  return inTransaction(ctx.prisma, async (tx) => {
    const updated = await tx.service.update({ where: { id }, data: toData(changed) });
    await recordChanges(tx, ctx, { id, type: 'service' }, 'update', changes);
    await forwardServiceChanged(
      ctx,
      tx,
      updated,
      'UPDATED',
      changes.map((c) => c.fieldName),
    );
    // Coverage entities the gateway may hold are not in this mutation's result: announce those it moved.
    if (changes.some((c) => COVERAGE_FIELDS.has(c.fieldName))) {
      await recordInvalidation(tx, coverageInvalidationTags(service, updated));
    }
    return updated;
  });
}

export function setServiceStatus(
  ctx: Context,
  { id, status }: { id: string; status: ServiceStatus },
): Promise<Service> {
  return updateService(ctx, { id, input: { status } });
}
