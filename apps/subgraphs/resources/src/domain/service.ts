import { inTransaction, parseInput } from '@civic/graphql-kit/write';
import { NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';
import { badInput, notFound } from '@civic/server-kit/errors';
import { z } from 'zod';
import type { Context } from '../context.ts';
import type { Prisma, Service } from '../generated/prisma/client.ts';
import { type OrganizationKind, ServiceStatus } from '../generated/prisma/enums.ts';
import { changesBetween, recordChanges } from './change-log.ts';
import { geoJsonAreaProblems } from './geojson.ts';
import { assertCanManage, assertSignedIn } from './permissions.ts';

const TEXT_LIMIT = 4000;
const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const NEIGHBORHOOD_IDS = new Set(NEIGHBORHOODS.map((n) => n.id));
const AGE = 'An age is between 0 and 130';
const FISCAL_YEAR = 'A fiscal year such as 2026';

const text = z.string().nullable();
const longText = z.string().max(TEXT_LIMIT, `At most ${TEXT_LIMIT} characters`).nullable();
const age = z.number().min(0, AGE).max(130, AGE).nullable();

/** The GraphQL input types the fields use (schema/service.ts maps them to Pothos types). */
export type ServiceInputType =
  | 'ID'
  | 'String'
  | 'Int'
  | 'Boolean'
  | 'ServiceStatus'
  | 'GeoJSON'
  | '[String]'
  | '[Int]'
  | '[ID]'
  | '[Theme]';

interface ServiceField<Column extends string, Rule extends z.ZodType> {
  /** The stored column; the table key is the GraphQL input field. */
  column: Column;
  type: ServiceInputType;
  description: string;
  rule: Rule;
  /** A new service's value when the input leaves the field out. */
  empty: z.output<Rule>;
  /** What an explicit null stores: lists store [], fields that cannot be cleared keep their value. */
  onNull?: 'empty' | 'keep';
}

function field<Column extends string, Rule extends z.ZodType>(f: ServiceField<Column, Rule>) {
  return f;
}

/**
 * The one table of a service's editable fields, in input order: CreateServiceInput and
 * UpdateServiceInput are printed from it, and a service as it would be stored is parsed with it
 * (problems name the stored column). `name` comes first in both inputs (required when creating).
 */
export const SERVICE_FIELDS = {
  name: field({
    column: 'name',
    type: 'String',
    description: 'Service name.',
    rule: z.string().trim().min(1, 'A service needs a name').max(200, 'A name has at most 200 characters'),
    empty: '',
    onNull: 'keep',
  }),
  programId: field({
    column: 'programId',
    type: 'ID',
    description: 'Program of the same organization.',
    rule: text,
    empty: null,
  }),
  alternateName: field({
    column: 'alternateName',
    type: 'String',
    description: 'Another name.',
    rule: text,
    empty: null,
  }),
  description: field({
    column: 'description',
    type: 'String',
    description: 'What the service does.',
    rule: longText,
    empty: null,
  }),
  url: field({
    column: 'url',
    type: 'String',
    description: 'Web page (http or https).',
    rule: z
      .string()
      .regex(/^https?:\/\/\S+$/, 'A URL starts with http:// or https://')
      .nullable(),
    empty: null,
  }),
  email: field({
    column: 'email',
    type: 'String',
    description: 'Contact email.',
    rule: z
      .string()
      .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'Not an email address')
      .nullable(),
    empty: null,
  }),
  status: field({
    column: 'status',
    type: 'ServiceStatus',
    description: 'HSDS status (default ACTIVE).',
    rule: z.enum(ServiceStatus),
    empty: 'ACTIVE',
    onNull: 'keep',
  }),
  interpretationServices: field({
    column: 'interpretationServices',
    type: 'String',
    description: 'Interpretation available on request.',
    rule: text,
    empty: null,
  }),
  applicationProcess: field({
    column: 'applicationProcess',
    type: 'String',
    description: 'How to apply.',
    rule: longText,
    empty: null,
  }),
  fees: field({
    column: 'feesDescription',
    type: 'String',
    description: 'Fees in words.',
    rule: longText,
    empty: null,
  }),
  eligibility: field({
    column: 'eligibilityDescription',
    type: 'String',
    description: 'Who may use it.',
    rule: longText,
    empty: null,
  }),
  minimumAge: field({
    column: 'minimumAge',
    type: 'Int',
    description: 'Youngest age served (0–130).',
    rule: age,
    empty: null,
  }),
  maximumAge: field({
    column: 'maximumAge',
    type: 'Int',
    description: 'Oldest age served (0–130, not below minimumAge).',
    rule: age,
    empty: null,
  }),
  languages: field({
    column: 'languages',
    type: '[String]',
    description: 'BCP-47 language tags (default ["en"]).',
    rule: z.array(
      z.string().regex(LANGUAGE_TAG, {
        error: (issue) => `"${String(issue.input)}" is not a BCP-47 language tag such as "en" or "es"`,
      }),
    ),
    empty: ['en'],
    onNull: 'empty',
  }),
  themes: field({
    column: 'themes',
    type: '[Theme]',
    description: 'Themes from the shared taxonomy.',
    rule: z.array(z.string()),
    empty: [],
    onNull: 'empty',
  }),
  servesCitywide: field({
    column: 'servesCitywide',
    type: 'Boolean',
    description: 'Serves all of Durham.',
    rule: z.boolean(),
    empty: false,
    onNull: 'keep',
  }),
  serviceWards: field({
    column: 'serviceWards',
    type: '[Int]',
    description: 'Council wards served (1–3).',
    rule: z.array(z.number().refine((ward) => [1, 2, 3].includes(ward), 'Durham has council wards 1, 2 and 3')),
    empty: [],
    onNull: 'empty',
  }),
  serviceNeighborhoodIds: field({
    column: 'serviceNeighborhoodIds',
    type: '[ID]',
    description: 'Neighborhood ids served.',
    rule: z.array(
      z.string().refine((id) => NEIGHBORHOOD_IDS.has(id), { error: (issue) => `Unknown neighborhood ${issue.input}` }),
    ),
    empty: [],
    onNull: 'empty',
  }),
  serviceAreaDescription: field({
    column: 'serviceAreaDescription',
    type: 'String',
    description: 'The area in words.',
    rule: text,
    empty: null,
  }),
  serviceAreaGeoJson: field({
    column: 'serviceAreaGeoJson',
    type: 'GeoJSON',
    description: 'The area as a GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection.',
    rule: z.unknown().superRefine((area, issues) => {
      if (area === null || area === undefined) return;
      for (const { message } of geoJsonAreaProblems(area, 'serviceAreaGeoJson')) {
        issues.addIssue({ code: 'custom', message });
      }
    }),
    empty: null,
  }),
  annualBudget: field({
    column: 'annualBudget',
    type: 'Int',
    description: 'Internal services only: annual budget in US dollars.',
    rule: z.number().min(0, 'A budget is not negative').nullable(),
    empty: null,
  }),
  fiscalYear: field({
    column: 'fiscalYear',
    type: 'Int',
    description: 'Internal services only: fiscal year of the budget.',
    rule: z.number().min(2000, FISCAL_YEAR).max(2100, FISCAL_YEAR).nullable(),
    empty: null,
  }),
} as const;

type Fields = typeof SERVICE_FIELDS;
type InputName = keyof Fields;
type ColumnOf<K extends InputName> = Fields[K]['column'];

const FIELD_LIST = Object.entries(SERVICE_FIELDS) as [InputName, Fields[InputName]][];

/** The stored columns of a service's editable fields. */
export const SERVICE_COLUMNS = FIELD_LIST.map(([, f]) => f.column);

const serviceShape = Object.fromEntries(FIELD_LIST.map(([, f]) => [f.column, f.rule])) as {
  [K in InputName as ColumnOf<K>]: Fields[K]['rule'];
};

/** The editable fields of a service, as stored. */
export type ServiceValues = z.output<z.ZodObject<typeof serviceShape>>;

/** A service's values with nothing set but its name. */
export const EMPTY_SERVICE = Object.fromEntries(FIELD_LIST.map(([, f]) => [f.column, f.empty])) as Omit<
  ServiceValues,
  'name'
>;

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
export type ServiceInput = { [K in InputName]?: z.input<Fields[K]['rule']> | null };

/** The stored columns the caller set: omitted fields are left out; null clears, empties a list, or is ignored. */
function columnsOf(input: ServiceInput): Partial<ServiceValues> {
  const set: Record<string, unknown> = {};
  for (const [name, f] of FIELD_LIST) {
    const value = input[name];
    if (value === undefined) continue;
    if (value === null && f.onNull === 'keep') continue;
    set[f.column] = value === null && f.onNull === 'empty' ? [] : value;
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

/** Adds a service: PARTNER to its own organization, STAFF to their own department, ADMIN anywhere. */
export async function createService(
  ctx: Context,
  input: ServiceInput & { organizationId: string; name: string; id?: string | null },
): Promise<Service> {
  assertSignedIn(ctx.identity);
  const organization = await ctx.prisma.organization.findUnique({ where: { id: input.organizationId } });
  if (!organization) {
    throw badInput('The service is not valid', [
      { field: 'organizationId', message: `Unknown organization ${input.organizationId}` },
    ]);
  }
  assertCanManage(ctx.identity, organization);
  const values = parseService({ ...EMPTY_SERVICE, ...columnsOf(input), name: input.name }, organization.kind);
  await checkProgram(ctx, values.programId, organization.id);
  return inTransaction(ctx.prisma, async (tx) => {
    const service = await tx.service.create({
      data: {
        ...(toData(values) as Prisma.ServiceUncheckedCreateInput),
        organizationId: organization.id,
        ...(input.id ? { id: input.id } : {}),
      },
    });
    await recordChanges(tx, ctx, { id: service.id, type: 'service' }, 'create', changesBetween({}, values));
    return service;
  });
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
    return updated;
  });
}

export function setServiceStatus(
  ctx: Context,
  { id, status }: { id: string; status: ServiceStatus },
): Promise<Service> {
  return updateService(ctx, { id, input: { status } });
}
