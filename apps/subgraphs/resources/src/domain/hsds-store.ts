import { entityTags, recordInvalidation } from '@civic/server-kit/invalidations';
import { forwardWebhookEvent, prismaExecutor } from '@civic/webhooks/forward';
import type { ResourcesPrisma } from '../db.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { type Change, changeLogValue } from './change-log.ts';
import { COVERAGE_FIELDS, coverageInvalidationTags, type StoredCoverage } from './coverage-invalidation.ts';
import type { MappedDataset } from './hsds-mapping.ts';
import { SERVICE_COLUMNS } from './service.ts';

export interface ImportCount {
  table: string;
  created: number;
  updated: number;
  unchanged: number;
}

/** Fields an HSDS dataset carries for each model; everything else (kind, themes, Durham area, budget) is ours. */
const ORGANIZATION_FIELDS = ['name', 'alternateName', 'description', 'email', 'website', 'phone', 'contactName'];
const PROGRAM_FIELDS = ['organizationId', 'name', 'alternateName', 'description'];
/** The service fields HSDS carries: the domain's own, less those only this directory keeps. */
const NOT_IN_HSDS = new Set<string>([
  'themes',
  'servesCitywide',
  'serviceWards',
  'serviceNeighborhoodIds',
  'annualBudget',
  'fiscalYear',
]);
const SERVICE_FIELDS = ['organizationId', ...SERVICE_COLUMNS.filter((f) => !NOT_IN_HSDS.has(f))];
const LOCATION_FIELDS = [
  'organizationId',
  'locationType',
  'name',
  'alternateName',
  'description',
  'transportation',
  'latitude',
  'longitude',
  'address1',
  'address2',
  'city',
  'stateProvince',
  'postalCode',
  'country',
];
const SERVICE_AT_LOCATION_FIELDS = ['serviceId', 'locationId', 'description'];
const SCHEDULE_FIELDS = [
  'serviceId',
  'freq',
  'byDay',
  'opensAt',
  'closesAt',
  'validFrom',
  'validTo',
  'description',
  'notes',
];

/** JSON with sorted keys: PostgreSQL's jsonb does not keep key order, so plain JSON would differ on every import. */
function canonical(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object' || value instanceof Date) return changeLogValue(value);
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
          )
        : v;
  return JSON.stringify(sort(value));
}

function diff(before: Record<string, unknown>, after: Record<string, unknown>, fields: string[]): Change[] {
  return fields
    .map((fieldName) => ({
      fieldName,
      previousValue: canonical(before[fieldName]),
      replacementValue: canonical(after[fieldName]),
    }))
    .filter((c) => c.previousValue !== c.replacementValue);
}

type Row = { id?: string | null } & Record<string, unknown>;

interface Plan<T extends Row> {
  create: T[];
  update: { id: string; data: Record<string, unknown>; changes: Change[] }[];
  unchanged: number;
  creations: { id: string; changes: Change[] }[];
}

function plan<T extends Row>(rows: T[], existing: Map<string, Record<string, unknown>>, fields: string[]): Plan<T> {
  const result: Plan<T> = { create: [], update: [], unchanged: 0, creations: [] };
  for (const row of rows) {
    const id = row.id as string;
    const current = existing.get(id);
    if (!current) {
      result.create.push(row);
      result.creations.push({ id, changes: diff({}, row, fields) });
      continue;
    }
    const changes = diff(current, row, fields);
    if (changes.length === 0) {
      result.unchanged++;
      continue;
    }
    const data = Object.fromEntries(changes.map((c) => [c.fieldName, row[c.fieldName] ?? null]));
    result.update.push({ id, data, changes });
  }
  return result;
}

const byId = <T extends { id: string }>(rows: T[]) =>
  new Map<string, Record<string, unknown>>(rows.map((r) => [r.id, r]));

const jsonField = (data: Record<string, unknown>) =>
  'serviceAreaGeoJson' in data
    ? { ...data, serviceAreaGeoJson: (data.serviceAreaGeoJson ?? null) as Prisma.InputJsonValue }
    : data;

/**
 * Stores a checked, mapped HSDS dataset in one transaction. A row whose id is new is created; a
 * row whose id exists is updated field by field where the dataset differs (kind, themes, Durham
 * service areas and budgets are not HSDS fields and stay as they are); rows the dataset does not
 * mention are left alone. Every created or changed field is written to the change log, and every
 * service created or changed (its own fields, its locations or its schedules) announces one partner
 * webhook SERVICE_CHANGED event in the same transaction; unchanged services announce none.
 */
export async function importMappedDataset(
  prisma: ResourcesPrisma,
  dataset: MappedDataset,
  actor: string,
): Promise<ImportCount[]> {
  return prisma.$transaction(
    async (tx) => {
      const ids = <T extends { id?: string | null }>(rows: T[]) => rows.map((r) => r.id as string);
      const serviceRows = dataset.services.map((s) => ({ ...s, serviceAreaGeoJson: s.serviceAreaGeoJson ?? null }));
      const links = await serviceAtLocationsFor(tx, dataset.serviceAtLocations);
      const storedServices = byId(await tx.service.findMany({ where: { id: { in: ids(serviceRows) } } }));
      const plans = {
        organization: plan(
          dataset.organizations,
          byId(await tx.organization.findMany({ where: { id: { in: ids(dataset.organizations) } } })),
          ORGANIZATION_FIELDS,
        ),
        program: plan(
          dataset.programs,
          byId(await tx.program.findMany({ where: { id: { in: ids(dataset.programs) } } })),
          PROGRAM_FIELDS,
        ),
        location: plan(
          dataset.locations,
          byId(await tx.location.findMany({ where: { id: { in: ids(dataset.locations) } } })),
          LOCATION_FIELDS,
        ),
        service: plan(serviceRows, storedServices, SERVICE_FIELDS),
        service_at_location: plan(links.rows, links.existing, SERVICE_AT_LOCATION_FIELDS),
        schedule: plan(
          dataset.schedules,
          byId(await tx.schedule.findMany({ where: { id: { in: ids(dataset.schedules) } } })),
          SCHEDULE_FIELDS,
        ),
      };

      await tx.organization.createMany({ data: plans.organization.create });
      for (const u of plans.organization.update) await tx.organization.update({ where: { id: u.id }, data: u.data });
      await tx.program.createMany({ data: plans.program.create });
      for (const u of plans.program.update) await tx.program.update({ where: { id: u.id }, data: u.data });
      await tx.location.createMany({ data: plans.location.create });
      for (const u of plans.location.update) await tx.location.update({ where: { id: u.id }, data: u.data });
      await tx.service.createMany({
        data: plans.service.create.map((s) => jsonField(s) as Prisma.ServiceCreateManyInput),
      });
      for (const u of plans.service.update) await tx.service.update({ where: { id: u.id }, data: jsonField(u.data) });
      await tx.serviceAtLocation.createMany({ data: plans.service_at_location.create });
      for (const u of plans.service_at_location.update) {
        await tx.serviceAtLocation.update({ where: { id: u.id }, data: u.data });
      }
      await tx.schedule.createMany({ data: plans.schedule.create });
      for (const u of plans.schedule.update) await tx.schedule.update({ where: { id: u.id }, data: u.data });

      const now = new Date();
      const records = Object.entries(plans).flatMap(([resourceType, p]) =>
        [
          ...p.creations.flatMap(({ id, changes }) => changes.map((c) => ({ id, c, action: 'create' }))),
          ...p.update.flatMap(({ id, changes }) => changes.map((c) => ({ id, c, action: 'update' }))),
        ].map(({ id, c, action }) => ({
          ...c,
          resourceId: id,
          resourceType,
          lastActionType: action,
          lastActionDate: now,
          updatedBy: actor,
        })),
      );
      await tx.changeRecord.createMany({ data: records });
      await forwardServiceEvents(prisma, tx, plans);
      await recordInvalidation(tx, [
        ...importInvalidation(plans),
        ...serviceCoverageInvalidation(plans.service, storedServices),
      ]);

      return Object.entries(plans).map(([table, p]) => ({
        table,
        created: p.create.length,
        updated: p.update.length,
        unchanged: p.unchanged,
      }));
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}

type Plans = Record<'service' | 'service_at_location' | 'schedule', Plan<Row>>;

/**
 * The gateway cache tags of what an import changed (an import run straight against the subgraph has no
 * gateway mutation to announce it): the organizations and services it created or changed, and any
 * service at all when locations, programs or schedules changed (their services are not all known here).
 */
function importInvalidation(plans: Record<'organization' | 'program' | 'location' | keyof Plans, Plan<Row>>): string[] {
  const touched = (p: Plan<Row>) => [...p.creations.map((c) => c.id), ...p.update.map((u) => u.id)];
  const tags = [
    ...entityTags('Organization', touched(plans.organization)),
    ...entityTags('Service', touched(plans.service)),
  ];
  const others = [plans.program, plans.location, plans.service_at_location, plans.schedule];
  if (others.some((p) => touched(p).length > 0)) tags.push('Service:?');
  return tags;
}

/**
 * The coverage entities (neighborhood × theme) whose count of active services the import moved: the
 * services it created, and those whose status or area it changed (the update's fields on the stored row).
 */
const NO_AREA = {
  themes: [],
  servesCitywide: false,
  serviceWards: [],
  serviceNeighborhoodIds: [],
  serviceAreaDescription: null,
  serviceAreaGeoJson: null,
};

function serviceCoverageInvalidation(services: Plan<Row>, stored: Map<string, Record<string, unknown>>): string[] {
  const created = services.create.map((row) =>
    coverageInvalidationTags(null, { ...NO_AREA, ...row } as unknown as StoredCoverage),
  );
  const moving = services.update.filter((u) => u.changes.some((c) => COVERAGE_FIELDS.has(c.fieldName)));
  const updated = moving.map((u) => {
    const before = stored.get(u.id) as unknown as StoredCoverage;
    return coverageInvalidationTags(before, { ...before, ...u.data, coverageComputed: false } as StoredCoverage);
  });
  return [...created, ...updated].flat();
}

/**
 * One SERVICE_CHANGED event per service the import created or changed, with the same data as a
 * service write through the API (service.ts): the service's fields that changed, plus "locations" or
 * "schedules" when its links to locations or its schedules were created or changed.
 */
async function forwardServiceEvents(prisma: ResourcesPrisma, tx: Prisma.TransactionClient, plans: Plans) {
  const created = new Set(plans.service.creations.map((c) => c.id));
  const changedFields = new Map<string, Set<string>>();
  const note = (serviceId: unknown, field: string) => {
    if (typeof serviceId !== 'string') return;
    const fields = changedFields.get(serviceId) ?? new Set<string>();
    fields.add(field);
    changedFields.set(serviceId, fields);
  };
  for (const c of plans.service.creations) for (const change of c.changes) note(c.id, change.fieldName);
  for (const u of plans.service.update) for (const change of u.changes) note(u.id, change.fieldName);
  const serviceOf = (table: Plan<Row>, rows: Map<string, unknown>) => [
    ...table.create.map((r) => r.serviceId),
    ...table.update.map((u) => rows.get(u.id)),
  ];
  const linkServices = new Map(plans.service_at_location.create.map((r) => [r.id as string, r.serviceId]));
  const scheduleServices = new Map(plans.schedule.create.map((r) => [r.id as string, r.serviceId]));
  const updatedLinks = await tx.serviceAtLocation.findMany({
    where: { id: { in: plans.service_at_location.update.map((u) => u.id) } },
    select: { id: true, serviceId: true },
  });
  const updatedSchedules = await tx.schedule.findMany({
    where: { id: { in: plans.schedule.update.map((u) => u.id) } },
    select: { id: true, serviceId: true },
  });
  for (const l of updatedLinks) linkServices.set(l.id, l.serviceId);
  for (const s of updatedSchedules) scheduleServices.set(s.id, s.serviceId);
  for (const serviceId of serviceOf(plans.service_at_location, linkServices)) note(serviceId, 'locations');
  for (const serviceId of serviceOf(plans.schedule, scheduleServices)) note(serviceId, 'schedules');
  if (changedFields.size === 0) return;

  const services = await tx.service.findMany({
    where: { id: { in: [...changedFields.keys()] } },
    select: { id: true, organizationId: true, name: true, status: true },
    orderBy: { id: 'asc' },
  });
  const changedAt = new Date().toISOString();
  for (const service of services) {
    await forwardWebhookEvent(prisma, prismaExecutor(tx), 'SERVICE_CHANGED', {
      serviceId: service.id,
      organizationId: service.organizationId,
      name: service.name,
      status: service.status,
      action: created.has(service.id) ? 'CREATED' : 'UPDATED',
      changedFields: [...(changedFields.get(service.id) ?? [])],
      changedAt,
    });
  }
}

/**
 * Existing service_at_location rows; a service and location already linked under another id is
 * that row (the id is taken over), so re-importing a dataset whose link ids changed does not collide.
 */
async function serviceAtLocationsFor(tx: Prisma.TransactionClient, rows: MappedDataset['serviceAtLocations']) {
  const found = await tx.serviceAtLocation.findMany({
    where: {
      OR: [
        { id: { in: rows.map((r) => r.id as string) } },
        ...rows.map((r) => ({ serviceId: r.serviceId, locationId: r.locationId })),
      ],
    },
  });
  const existing = new Map<string, Record<string, unknown>>(found.map((f) => [f.id, f]));
  const ids = new Set(found.map((f) => f.id));
  return {
    existing,
    rows: rows.map((row) => {
      if (ids.has(row.id as string)) return row;
      const pair = found.find((f) => f.serviceId === row.serviceId && f.locationId === row.locationId);
      return pair ? { ...row, id: pair.id } : row;
    }),
  };
}
