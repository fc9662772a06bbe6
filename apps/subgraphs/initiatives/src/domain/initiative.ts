import { inTransaction, parseInput } from '@civic/graphql-kit/write';
import { DEPARTMENTS } from '@civic/reference-data/departments';
import { THEME_CODES, type ThemeCode } from '@civic/taxonomy/themes';
import { forwardWebhookEvent, prismaExecutor } from '@civic/webhooks/forward';
import { z } from 'zod';
import type { Context } from '../context.ts';
import type { Initiative } from '../generated/prisma/client.ts';
import { InitiativeStatus } from '../generated/prisma/enums.ts';
import { InitiativeStatus as InitiativeStatusEnum } from '../schema/enums.ts';
import { Theme } from '../schema/scalars.ts';
import { actorName, audit, changedFields } from './audit.ts';
import { queueContentTranslation } from './content-translations.ts';
import { type InitiativeRef, initiativeForEdit } from './initiative-access.ts';
import { type InputFieldTable, inputTable } from './input-table.ts';

export const DEPARTMENT_IDS = new Set(DEPARTMENTS.map((d) => d.id));

const NOTE_MAX = 2_000;
const NARRATIVE_MAX = 5_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** How a write names its initiative: by id or by plan code, exactly one of them. */
const initiativeRef = {
  initiativeId: {
    schema: z.string().nullish(),
    field: (t) => t.id({ description: 'The initiative id (or give code).' }),
  },
  code: {
    schema: z.string().nullish(),
    field: (t) => t.string({ description: 'The initiative plan code, e.g. "3.13" (or give initiativeId).' }),
  },
} satisfies InputFieldTable;

export const updateStatusFields = inputTable({
  ...initiativeRef,
  status: {
    schema: z.enum(InitiativeStatus),
    field: (t) => t.field({ type: InitiativeStatusEnum, required: true, description: 'The new status.' }),
  },
  note: {
    schema: z
      .string()
      .trim()
      .min(1, `Write a note of 1 to ${NOTE_MAX} characters`)
      .max(NOTE_MAX, `Write a note of 1 to ${NOTE_MAX} characters`),
    field: (t) => t.string({ required: true, description: 'Why (shown in the status history).' }),
  },
});

/** Empty text clears a narrative (null), omitted leaves it. */
const narrative = z
  .string()
  .max(NARRATIVE_MAX, `At most ${NARRATIVE_MAX} characters`)
  .nullish()
  .transform((v) => (v === undefined ? undefined : v?.trim() || null));

/** A calendar date YYYY-MM-DD as a Date at UTC midnight; null clears, omitted leaves it. */
const calendarDate = z
  .string()
  .nullish()
  .transform((value, issues) => {
    if (value == null) return value;
    const date = new Date(`${value}T00:00:00Z`);
    if (!DATE.test(value) || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
      issues.addIssue({ code: 'custom', message: 'Use a calendar date YYYY-MM-DD' });
      return z.NEVER;
    }
    return date;
  });

/** Lists replace the stored ones ([] empties them, null is refused). */
export const updateInitiativeFields = inputTable({
  ...initiativeRef,
  whyItMatters: { schema: narrative, field: (t) => t.string({ description: '"Why is this important?"' }) },
  whatWeHaveBeenDoing: { schema: narrative, field: (t) => t.string({ description: '"What have we been doing?"' }) },
  whatsNext: { schema: narrative, field: (t) => t.string({ description: '"What\'s next?"' }) },
  themes: {
    schema: z
      .array(z.enum(THEME_CODES as [ThemeCode, ...ThemeCode[]]))
      .nullish()
      .refine((v) => v !== null, 'Use [] to remove all themes')
      .transform((v) => (v ? [...new Set(v)] : undefined)),
    field: (t) => t.field({ type: [Theme], description: 'Replaces the themes.' }),
  },
  partnerDepartmentIds: {
    schema: z
      .array(z.string())
      .nullish()
      .refine((v) => v !== null, 'Use [] to remove all partners')
      .superRefine((ids, issues) => {
        for (const id of ids ?? []) {
          if (!DEPARTMENT_IDS.has(id)) issues.addIssue({ code: 'custom', message: `Unknown department ${id}` });
        }
      })
      .transform((v) => (v ? [...new Set(v)] : undefined)),
    field: (t) => t.idList({ description: 'Replaces the partner departments (Organization ids).' }),
  },
  startDate: { schema: calendarDate, field: (t) => t.string({ description: 'YYYY-MM-DD.' }) },
  targetDate: { schema: calendarDate, field: (t) => t.string({ description: 'YYYY-MM-DD.' }) },
});

export type UpdateStatusInput = z.input<typeof updateStatusFields.schema>;
export type UpdateInitiativeInput = z.input<typeof updateInitiativeFields.schema>;

/** Sets the dashboard status and records it, with its note, in the status history. */
export async function updateInitiativeStatus(
  ctx: Context,
  input: UpdateStatusInput & InitiativeRef,
): Promise<Initiative> {
  const initiative = await initiativeForEdit(ctx, input);
  const { status, note } = parseInput(updateStatusFields.schema, input, null, 'A status change needs a note');
  const by = actorName(ctx.identity);
  return inTransaction(ctx.prisma, async (tx) => {
    await tx.initiativeStatusChange.create({ data: { initiativeId: initiative.id, status, note, changedBy: by } });
    await audit(tx, {
      initiativeId: initiative.id,
      action: 'initiative.status',
      actor: by,
      details: { status: [initiative.status, status], note },
    });
    await forwardWebhookEvent(ctx.prisma, prismaExecutor(tx), 'INITIATIVE_STATUS_CHANGED', {
      initiativeId: initiative.id,
      code: initiative.code,
      fromStatus: initiative.status,
      toStatus: status,
      changedAt: new Date().toISOString(),
    });
    return tx.initiative.update({ where: { id: initiative.id }, data: { status } });
  });
}

/** Updates the narratives, themes, partner departments or dates. */
export async function updateInitiative(
  ctx: Context,
  input: UpdateInitiativeInput & InitiativeRef,
): Promise<Initiative> {
  const initiative = await initiativeForEdit(ctx, input);
  const schema = updateInitiativeFields.schema.superRefine((change, issues) => {
    if (change.partnerDepartmentIds?.includes(initiative.leadDepartmentId ?? '')) {
      issues.addIssue({
        code: 'custom',
        path: ['partnerDepartmentIds'],
        message: 'The lead department is not its own partner',
      });
    }
    const start = change.startDate === undefined ? initiative.startDate : change.startDate;
    const target = change.targetDate === undefined ? initiative.targetDate : change.targetDate;
    if (start && target && start > target) {
      issues.addIssue({ code: 'custom', path: ['targetDate'], message: 'Must not be before startDate' });
    }
  });
  const { initiativeId: _id, code: _code, ...data } = parseInput(schema, input, null, 'The initiative was not changed');
  const updated = await inTransaction(ctx.prisma, async (tx) => {
    await audit(tx, {
      initiativeId: initiative.id,
      action: 'initiative.update',
      actor: actorName(ctx.identity),
      details: changedFields(initiative, data),
    });
    return tx.initiative.update({ where: { id: initiative.id }, data });
  });
  await queueContentTranslation(ctx.prisma, 'INITIATIVE', [initiative.id]);
  return updated;
}
