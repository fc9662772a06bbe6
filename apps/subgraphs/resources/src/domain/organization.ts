import { badInput, forbidden, notFound } from '@civic/server-kit/errors';
import type { Context } from '../context.ts';
import type { Organization } from '../generated/prisma/client.ts';
import type { OrganizationKind } from '../generated/prisma/enums.ts';
import { changesBetween, recordChanges } from './change-log.ts';
import { queueContentTranslation } from './content-translations.ts';
import { assertCanManage, assertSignedIn } from './permissions.ts';

/** The editable fields of an organization; omitted (undefined) fields stay as they are. */
export interface OrganizationInput {
  name?: string | null;
  alternateName?: string | null;
  kind?: OrganizationKind | null;
  description?: string | null;
  email?: string | null;
  website?: string | null;
  phone?: string | null;
  contactName?: string | null;
}

function organizationProblems(input: OrganizationInput) {
  const problems: { field: string; message: string }[] = [];
  if (input.name !== undefined && (input.name === null || input.name.trim() === '')) {
    problems.push({ field: 'name', message: 'An organization needs a name' });
  }
  if (input.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(input.email))
    problems.push({ field: 'email', message: 'Not an email address' });
  if (input.website && !/^https?:\/\/\S+$/.test(input.website)) {
    problems.push({ field: 'website', message: 'A URL starts with http:// or https://' });
  }
  if (input.kind === null) problems.push({ field: 'kind', message: 'An organization needs a kind' });
  return problems;
}

function defined(input: OrganizationInput) {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}

/** Adds an organization (ADMIN only), recorded in the change log; its text is queued for translation. */
export async function createOrganization(ctx: Context, input: OrganizationInput): Promise<Organization> {
  assertSignedIn(ctx.identity);
  if (ctx.identity.role !== 'ADMIN') throw forbidden('Only administrators add organizations');
  const problems = organizationProblems(input);
  if (!input.name) problems.push({ field: 'name', message: 'An organization needs a name' });
  if (!input.kind) problems.push({ field: 'kind', message: 'An organization needs a kind' });
  if (problems.length > 0 || !input.name || !input.kind) throw badInput('The organization is not valid', problems);
  const data = { ...defined(input), name: input.name.trim(), kind: input.kind };
  const created = await ctx.prisma.$transaction(async (tx) => {
    const row = await tx.organization.create({ data });
    await recordChanges(tx, ctx, { id: row.id, type: 'organization' }, 'create', changesBetween({}, data));
    return row;
  });
  await queueContentTranslation(ctx.prisma, 'ORGANIZATION', [created.id]);
  return created;
}

/** Changes an organization: a partner its own, staff their own department, ADMIN any (only ADMIN changes kind). */
export async function updateOrganization(
  ctx: Context,
  { id, input }: { id: string; input: OrganizationInput },
): Promise<Organization> {
  assertSignedIn(ctx.identity);
  const organization = await ctx.prisma.organization.findUnique({ where: { id } });
  if (!organization) throw notFound('Organization', id);
  assertCanManage(ctx.identity, organization);
  if (input.kind !== undefined && input.kind !== organization.kind && ctx.identity.role !== 'ADMIN') {
    throw forbidden('Only administrators change the kind of an organization');
  }
  const problems = organizationProblems(input);
  if (problems.length > 0) throw badInput('The organization is not valid', problems);
  const data = defined(input);
  const changes = changesBetween(organization, data);
  const changed = Object.fromEntries(changes.map((c) => [c.fieldName, data[c.fieldName]]));
  const updated = await ctx.prisma.$transaction(async (tx) => {
    const row = await tx.organization.update({ where: { id }, data: changed });
    await recordChanges(tx, ctx, { id, type: 'organization' }, 'update', changes);
    return row;
  });
  await queueContentTranslation(ctx.prisma, 'ORGANIZATION', [id]);
  return updated;
}
