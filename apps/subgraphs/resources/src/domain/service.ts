import { NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';
import { badInput, type FieldProblem, notFound } from '@civic/server-kit/errors';
import type { Context } from '../context.ts';
import type { Prisma, Service } from '../generated/prisma/client.ts';
import type { OrganizationKind, ServiceStatus } from '../generated/prisma/enums.ts';
import { changesBetween, recordChanges } from './change-log.ts';
import { geoJsonAreaProblems } from './geojson.ts';
import { assertCanManage, assertSignedIn } from './permissions.ts';

/** The editable fields of a service, as stored. */
export interface ServiceValues {
  programId: string | null;
  name: string;
  alternateName: string | null;
  description: string | null;
  url: string | null;
  email: string | null;
  status: ServiceStatus;
  interpretationServices: string | null;
  applicationProcess: string | null;
  feesDescription: string | null;
  eligibilityDescription: string | null;
  minimumAge: number | null;
  maximumAge: number | null;
  languages: string[];
  themes: string[];
  servesCitywide: boolean;
  serviceWards: number[];
  serviceNeighborhoodIds: string[];
  serviceAreaDescription: string | null;
  serviceAreaGeoJson: unknown;
  annualBudget: number | null;
  fiscalYear: number | null;
}

export const SERVICE_FIELDS = [
  'programId',
  'name',
  'alternateName',
  'description',
  'url',
  'email',
  'status',
  'interpretationServices',
  'applicationProcess',
  'feesDescription',
  'eligibilityDescription',
  'minimumAge',
  'maximumAge',
  'languages',
  'themes',
  'servesCitywide',
  'serviceWards',
  'serviceNeighborhoodIds',
  'serviceAreaDescription',
  'serviceAreaGeoJson',
  'annualBudget',
  'fiscalYear',
] as const satisfies readonly (keyof ServiceValues)[];

export const EMPTY_SERVICE: Omit<ServiceValues, 'name'> = {
  programId: null,
  alternateName: null,
  description: null,
  url: null,
  email: null,
  status: 'ACTIVE',
  interpretationServices: null,
  applicationProcess: null,
  feesDescription: null,
  eligibilityDescription: null,
  minimumAge: null,
  maximumAge: null,
  languages: ['en'],
  themes: [],
  servesCitywide: false,
  serviceWards: [],
  serviceNeighborhoodIds: [],
  serviceAreaDescription: null,
  serviceAreaGeoJson: null,
  annualBudget: null,
  fiscalYear: null,
};

const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const NEIGHBORHOOD_IDS = new Set(NEIGHBORHOODS.map((n) => n.id));
const TEXT_LIMIT = 4000;

/** Everything wrong with a service as it would be stored; empty when it may be stored. */
export function serviceProblems(values: ServiceValues, organizationKind: OrganizationKind): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });

  if (values.name.trim().length === 0) add('name', 'A service needs a name');
  if (values.name.length > 200) add('name', 'A name has at most 200 characters');
  for (const field of ['description', 'eligibilityDescription', 'applicationProcess', 'feesDescription'] as const) {
    if ((values[field]?.length ?? 0) > TEXT_LIMIT) add(field, `At most ${TEXT_LIMIT} characters`);
  }
  if (values.email !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) add('email', 'Not an email address');
  if (values.url !== null && !/^https?:\/\/\S+$/.test(values.url)) add('url', 'A URL starts with http:// or https://');
  for (const field of ['minimumAge', 'maximumAge'] as const) {
    const age = values[field];
    if (age !== null && (age < 0 || age > 130)) add(field, 'An age is between 0 and 130');
  }
  if (values.minimumAge !== null && values.maximumAge !== null && values.minimumAge > values.maximumAge) {
    add('maximumAge', 'The maximum age is below the minimum age');
  }
  values.languages.forEach((tag, i) => {
    if (!LANGUAGE_TAG.test(tag)) add(`languages[${i}]`, `"${tag}" is not a BCP-47 language tag such as "en" or "es"`);
  });
  values.serviceWards.forEach((ward, i) => {
    if (![1, 2, 3].includes(ward)) add(`serviceWards[${i}]`, 'Durham has council wards 1, 2 and 3');
  });
  values.serviceNeighborhoodIds.forEach((id, i) => {
    if (!NEIGHBORHOOD_IDS.has(id)) add(`serviceNeighborhoodIds[${i}]`, `Unknown neighborhood ${id}`);
  });
  if (values.serviceAreaGeoJson !== null && values.serviceAreaGeoJson !== undefined) {
    problems.push(...geoJsonAreaProblems(values.serviceAreaGeoJson, 'serviceAreaGeoJson'));
  }
  if (values.annualBudget !== null) {
    if (values.annualBudget < 0) add('annualBudget', 'A budget is not negative');
    if (organizationKind !== 'CITY_DEPARTMENT')
      add('annualBudget', 'Only internal (city department) services carry a budget');
  }
  if (values.fiscalYear !== null && (values.fiscalYear < 2000 || values.fiscalYear > 2100)) {
    add('fiscalYear', 'A fiscal year such as 2026');
  }
  return problems;
}

export function assertValidService(values: ServiceValues, organizationKind: OrganizationKind): void {
  const problems = serviceProblems(values, organizationKind);
  if (problems.length > 0) throw badInput('The service is not valid', problems);
}

type Tx = Prisma.TransactionClient;
export type ServicePatch = Partial<ServiceValues>;

/** Keeps only the fields the caller set (GraphQL passes omitted input fields as undefined). */
function definedFields(patch: ServicePatch): ServicePatch {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as ServicePatch;
}

function toData(values: ServicePatch): Prisma.ServiceUncheckedUpdateInput {
  const { serviceAreaGeoJson, ...rest } = values;
  if (serviceAreaGeoJson === undefined) return rest;
  return { ...rest, serviceAreaGeoJson: (serviceAreaGeoJson ?? null) as Prisma.InputJsonValue };
}

function currentValues(service: Service): ServiceValues {
  return Object.fromEntries(SERVICE_FIELDS.map((f) => [f, service[f]])) as unknown as ServiceValues;
}

async function checkProgram(tx: Tx | Context['prisma'], programId: string | null, organizationId: string) {
  if (programId === null) return;
  const program = await tx.program.findUnique({ where: { id: programId }, select: { organizationId: true } });
  if (!program || program.organizationId !== organizationId) {
    throw badInput('The service is not valid', [
      { field: 'programId', message: `No program ${programId} in this service's organization` },
    ]);
  }
}

export async function createService(
  ctx: Context,
  input: ServicePatch & { organizationId: string; name: string; id?: string | null },
): Promise<Service> {
  assertSignedIn(ctx.identity);
  const organization = await ctx.prisma.organization.findUnique({ where: { id: input.organizationId } });
  if (!organization) {
    throw badInput('The service is not valid', [
      { field: 'organizationId', message: `Unknown organization ${input.organizationId}` },
    ]);
  }
  assertCanManage(ctx.identity, organization);
  const { organizationId, id, ...fields } = input;
  const values: ServiceValues = { ...EMPTY_SERVICE, ...definedFields(fields), name: input.name.trim() };
  assertValidService(values, organization.kind);
  await checkProgram(ctx.prisma, values.programId, organizationId);
  return ctx.prisma.$transaction(async (tx) => {
    const service = await tx.service.create({
      data: { ...(toData(values) as Prisma.ServiceUncheckedCreateInput), organizationId, ...(id ? { id } : {}) },
    });
    await recordChanges(tx, ctx, { id: service.id, type: 'service' }, 'create', changesBetween({}, { ...values }));
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

export async function updateService(
  ctx: Context,
  { id, patch }: { id: string; patch: ServicePatch },
): Promise<Service> {
  const service = await loadServiceForChange(ctx, id);
  const set = definedFields(patch);
  if (typeof set.name === 'string') set.name = set.name.trim();
  const before = currentValues(service);
  assertValidService({ ...before, ...set }, service.organization.kind);
  if (set.programId !== undefined) await checkProgram(ctx.prisma, set.programId, service.organizationId);
  const list = changesBetween({ ...before }, set);
  if (list.length === 0) return service;
  const changed = Object.fromEntries(list.map((c) => [c.fieldName, set[c.fieldName as keyof ServiceValues]]));
  return ctx.prisma.$transaction(async (tx) => {
    const updated = await tx.service.update({ where: { id }, data: toData(changed) });
    await recordChanges(tx, ctx, { id, type: 'service' }, 'update', list);
    return updated;
  });
}

export function setServiceStatus(
  ctx: Context,
  { id, status }: { id: string; status: ServiceStatus },
): Promise<Service> {
  return updateService(ctx, { id, patch: { status } });
}
