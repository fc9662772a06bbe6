import { isAdmin, requireAdmin } from '@civic/graphql-kit/roles';
import { inTransaction, parseInput } from '@civic/graphql-kit/write';
import { forbidden, notFound } from '@civic/server-kit/errors';
import { z } from 'zod';
import type { Context } from '../context.ts';
import type { Organization } from '../generated/prisma/client.ts';
import { OrganizationKind } from '../generated/prisma/enums.ts';
import { changesBetween, recordChanges } from './change-log.ts';
import { queueContentTranslation } from './content-translations.ts';
import { assertCanManage, assertSignedIn } from './permissions.ts';

const NEEDS_NAME = 'An organization needs a name';
const optionalText = z.string().nullish();

/** The GraphQL input types the fields use (schema/organization.ts maps them to Pothos types). */
export type OrganizationInputType = 'String' | 'OrganizationKind';

/**
 * The one table of an organization's editable fields, in input order: OrganizationInput is printed
 * from it and both writes parse with it (`rule` is the update's; creating also requires name and kind).
 */
export const ORGANIZATION_FIELDS = {
  name: {
    type: 'String',
    description: 'Official name (required when creating).',
    rule: z
      .string({ error: NEEDS_NAME })
      .refine((name) => name.trim() !== '', NEEDS_NAME)
      .optional(),
  },
  alternateName: { type: 'String', description: 'Another name.', rule: optionalText },
  kind: {
    type: 'OrganizationKind',
    description: 'Kind (ADMIN only; required when creating).',
    rule: z.enum(OrganizationKind, { error: 'An organization needs a kind' }).optional(),
  },
  description: { type: 'String', description: 'What the organization does.', rule: optionalText },
  email: {
    type: 'String',
    description: 'Public contact email.',
    rule: z
      .string()
      .refine((email) => !email || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email), 'Not an email address')
      .nullish(),
  },
  website: {
    type: 'String',
    description: 'Public website (http or https).',
    rule: z
      .string()
      .refine((url) => !url || /^https?:\/\/\S+$/.test(url), 'A URL starts with http:// or https://')
      .nullish(),
  },
  phone: { type: 'String', description: 'Public phone number.', rule: optionalText },
  contactName: { type: 'String', description: 'Public contact person or desk.', rule: optionalText },
} as const satisfies Record<string, { type: OrganizationInputType; description: string; rule: z.ZodType }>;

type Fields = typeof ORGANIZATION_FIELDS;

const updateSchema = z.object(
  Object.fromEntries(Object.entries(ORGANIZATION_FIELDS).map(([name, f]) => [name, f.rule])) as {
    [K in keyof Fields]: Fields[K]['rule'];
  },
);
const createSchema = updateSchema.extend({
  name: ORGANIZATION_FIELDS.name.rule.unwrap(),
  kind: ORGANIZATION_FIELDS.kind.rule.unwrap(),
});

/** OrganizationInput: omitted (undefined) fields stay as they are. */
export type OrganizationInput = z.input<typeof updateSchema>;

function parseOrganization<S extends z.ZodType>(schema: S, input: OrganizationInput): z.output<S> {
  return parseInput(schema, input, null, 'The organization is not valid');
}

function defined<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Adds an organization (ADMIN only), recorded in the change log; its text is queued for translation. */
export async function createOrganization(ctx: Context, input: OrganizationInput): Promise<Organization> {
  assertSignedIn(ctx.identity);
  requireAdmin(ctx.identity, 'Only administrators add organizations');
  const parsed = parseOrganization(createSchema, input);
  const data = { ...defined(parsed), name: parsed.name.trim(), kind: parsed.kind };
  const created = await inTransaction(ctx.prisma, async (tx) => {
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
  if (input.kind !== undefined && input.kind !== organization.kind && !isAdmin(ctx.identity)) {
    throw forbidden('Only administrators change the kind of an organization');
  }
  const data: Record<string, unknown> = defined(parseOrganization(updateSchema, input));
  const changes = changesBetween(organization, data);
  const changed = Object.fromEntries(changes.map((c) => [c.fieldName, data[c.fieldName]]));
  const updated = await inTransaction(ctx.prisma, async (tx) => {
    const row = await tx.organization.update({ where: { id }, data: changed });
    await recordChanges(tx, ctx, { id, type: 'organization' }, 'update', changes);
    return row;
  });
  await queueContentTranslation(ctx.prisma, 'ORGANIZATION', [id]);
  return updated;
}
