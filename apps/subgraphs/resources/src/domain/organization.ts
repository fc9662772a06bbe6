import { inputFields } from '@civic/graphql-kit/input-fields';
import { isAdmin, requireAdmin } from '@civic/graphql-kit/roles';
import { inTransaction, parseInput } from '@civic/graphql-kit/write';
import { forbidden, notFound } from '@civic/server-kit/errors';
import { z } from 'zod';
import type { Context } from '../context.ts';
import type { Organization } from '../generated/prisma/client.ts';
import { OrganizationKind } from '../generated/prisma/enums.ts';
import { type InputFields, OrganizationKind as OrganizationKindEnum } from '../schema/enums.ts';
import { changesBetween, recordChanges } from './change-log.ts';
import { queueContentTranslation } from './content-translations.ts';
import { assertCanManage, assertSignedIn } from './permissions.ts';

const NEEDS_NAME = 'An organization needs a name';
const optionalText = z.string().nullish();

const organizationInput = inputFields<InputFields>();

/**
 * The one table of an organization's editable fields, in input order: OrganizationInput is printed
 * from it and both writes parse with it (creating also requires name and kind).
 */
export const ORGANIZATION_INPUT = organizationInput({
  name: {
    schema: z
      .string({ error: NEEDS_NAME })
      .refine((name) => name.trim() !== '', NEEDS_NAME)
      .optional(),
    field: (t) => t.string({ required: false, description: 'Official name (required when creating).' }),
  },
  alternateName: {
    schema: optionalText,
    field: (t) => t.string({ required: false, description: 'Another name.' }),
  },
  kind: {
    schema: z.enum(OrganizationKind, { error: 'An organization needs a kind' }).optional(),
    field: (t) =>
      t.field({
        type: OrganizationKindEnum,
        required: false,
        description: 'Kind (ADMIN only; required when creating).',
      }),
  },
  description: {
    schema: optionalText,
    field: (t) => t.string({ required: false, description: 'What the organization does.' }),
  },
  email: {
    schema: z
      .string()
      .refine((email) => !email || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email), 'Not an email address')
      .nullish(),
    field: (t) => t.string({ required: false, description: 'Public contact email.' }),
  },
  website: {
    schema: z
      .string()
      .refine((url) => !url || /^https?:\/\/\S+$/.test(url), 'A URL starts with http:// or https://')
      .nullish(),
    field: (t) => t.string({ required: false, description: 'Public website (http or https).' }),
  },
  phone: {
    schema: optionalText,
    field: (t) => t.string({ required: false, description: 'Public phone number.' }),
  },
  contactName: {
    schema: optionalText,
    field: (t) => t.string({ required: false, description: 'Public contact person or desk.' }),
  },
});

const updateSchema = ORGANIZATION_INPUT.schema;
const createSchema = updateSchema.extend({
  name: ORGANIZATION_INPUT.table.name.schema.unwrap(),
  kind: ORGANIZATION_INPUT.table.kind.schema.unwrap(),
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
