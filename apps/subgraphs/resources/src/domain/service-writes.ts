import { badInput, notFound } from '@civic/server-kit/errors';
import type { Context } from '../context.ts';
import type { Prisma, Service } from '../generated/prisma/client.ts';
import type { ServiceStatus } from '../generated/prisma/enums.ts';
import { changesBetween, recordChanges } from './change-log.ts';
import { initiativeDirectory } from './initiative-directory.ts';
import { actorOf, assertCanManage, assertSignedIn } from './permissions.ts';
import { assertValidService, EMPTY_SERVICE, SERVICE_FIELDS, type ServiceValues } from './service-values.ts';

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

async function loadForChange(ctx: Context, id: string) {
  assertSignedIn(ctx.identity);
  const service = await ctx.prisma.service.findUnique({ where: { id }, include: { organization: true } });
  if (!service) throw notFound('Service', id);
  assertCanManage(ctx.identity, service.organization);
  return service;
}

export async function updateService(ctx: Context, id: string, patch: ServicePatch): Promise<Service> {
  const service = await loadForChange(ctx, id);
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

export function setServiceStatus(ctx: Context, id: string, status: ServiceStatus): Promise<Service> {
  return updateService(ctx, id, { status });
}

export async function linkServiceToInitiative(
  ctx: Context,
  serviceId: string,
  initiativeId: string,
  note: string | null,
) {
  await loadForChange(ctx, serviceId);
  if (initiativeId.trim().length === 0 || initiativeId.length > 100) {
    throw badInput('The link is not valid', [
      { field: 'initiativeId', message: 'An initiative id (at most 100 characters) is required' },
    ]);
  }
  if ((note?.length ?? 0) > 2000) {
    throw badInput('The link is not valid', [{ field: 'note', message: 'A note has at most 2000 characters' }]);
  }
  if (!(await initiativeDirectory(ctx)(initiativeId))) {
    throw badInput('The link is not valid', [{ field: 'initiativeId', message: `No initiative ${initiativeId}` }]);
  }
  return ctx.prisma.$transaction(async (tx) => {
    const existing = await tx.serviceInitiativeLink.findUnique({
      where: { serviceId_initiativeId: { serviceId, initiativeId } },
    });
    const link = await tx.serviceInitiativeLink.upsert({
      where: { serviceId_initiativeId: { serviceId, initiativeId } },
      create: { serviceId, initiativeId, note, createdBy: actorOf(ctx.identity) },
      update: { note },
    });
    await recordChanges(tx, ctx, { id: serviceId, type: 'service' }, existing ? 'update' : 'create', [
      { fieldName: `initiative:${initiativeId}`, previousValue: existing?.note ?? null, replacementValue: note ?? '' },
    ]);
    return link;
  });
}

export async function unlinkServiceFromInitiative(ctx: Context, serviceId: string, initiativeId: string) {
  await loadForChange(ctx, serviceId);
  if (initiativeId.trim().length === 0 || initiativeId.length > 100) {
    throw badInput('The link is not valid', [
      { field: 'initiativeId', message: 'An initiative id (at most 100 characters) is required' },
    ]);
  }
  return ctx.prisma.$transaction(async (tx) => {
    const existing = await tx.serviceInitiativeLink.findUnique({
      where: { serviceId_initiativeId: { serviceId, initiativeId } },
    });
    if (!existing) return false;
    await tx.serviceInitiativeLink.delete({ where: { id: existing.id } });
    await recordChanges(tx, ctx, { id: serviceId, type: 'service' }, 'delete', [
      { fieldName: `initiative:${initiativeId}`, previousValue: existing.note ?? '', replacementValue: null },
    ]);
    return true;
  });
}
