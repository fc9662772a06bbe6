import { inTransaction, parseInput } from '@civic/graphql-kit/write';
import { badInput, conflict, notFound, unauthenticated } from '@civic/server-kit/errors';
import { forwardWebhookEvent, prismaExecutor } from '@civic/webhooks/forward';
import { z } from 'zod';
import type { Context } from '../context.ts';
import type { Measure, Observation } from '../generated/prisma/client.ts';
import { AutomaticSource, MeasureDirection, MeasureFrequency, MeasureValueType } from '../generated/prisma/enums.ts';
import {
  AutomaticSource as AutomaticSourceEnum,
  MeasureDirection as MeasureDirectionEnum,
  MeasureFrequency as MeasureFrequencyEnum,
  MeasureValueType as MeasureValueTypeEnum,
} from '../schema/enums.ts';
import { actorName, audit, changedFields } from './audit.ts';
import { ORIGINAL_LANGUAGE, queueContentTranslation, sourceHash } from './content-translations.ts';
import { assertCanEditInitiative, assertMayWrite, type InitiativeRef, initiativeForEdit } from './initiative-access.ts';
import { type InputFieldSpec, type InputFieldTable, inputTable } from './input-table.ts';
import { refreshAutomaticMeasure } from './measure-refresh.ts';
import { periodProblems, valueProblems } from './measure-values.ts';

const TEXT_MAX = 500;
const text = z.string().max(TEXT_MAX, `At most ${TEXT_MAX} characters`);
const NEEDS_NAME = 'A measure needs a name';

/** The fields createMeasure and updateMeasure share. */
const measureFields = {
  unit: { schema: text.nullish(), field: (t) => t.string({ description: 'What is counted or measured.' }) },
  direction: {
    schema: z.enum(MeasureDirection).nullish(),
    field: (t) => t.field({ type: MeasureDirectionEnum, description: 'Which way is better.' }),
  },
} satisfies InputFieldTable;

const measureDetails = {
  target: { schema: z.number().nullish(), field: (t) => t.float({ description: 'Target value.' }) },
  targetLabel: { schema: text.nullish(), field: (t) => t.string({ description: 'Target in words.' }) },
  frequency: {
    schema: z.enum(MeasureFrequency).nullish(),
    field: (t) => t.field({ type: MeasureFrequencyEnum, description: 'How often it is reported.' }),
  },
} satisfies InputFieldTable;

const note = { schema: text.nullish(), field: (t) => t.string({ description: 'A remark.' }) } satisfies InputFieldSpec;

export const createMeasureFields = inputTable({
  initiativeId: {
    schema: z.string().nullish(),
    field: (t) => t.id({ description: 'The initiative id (or give code).' }),
  },
  code: {
    schema: z.string().nullish(),
    field: (t) => t.string({ description: 'The initiative plan code (or give initiativeId).' }),
  },
  name: {
    schema: z.string().trim().min(1, NEEDS_NAME).pipe(text),
    field: (t) => t.string({ required: true, description: 'The measure name.' }),
  },
  ...measureFields,
  valueType: {
    schema: z.enum(MeasureValueType).nullish(),
    field: (t) => t.field({ type: MeasureValueTypeEnum, defaultValue: 'NUMBER', description: 'What kind of number.' }),
  },
  ...measureDetails,
  automaticSource: {
    schema: z.enum(AutomaticSource).nullish(),
    field: (t) => t.field({ type: AutomaticSourceEnum, description: 'Feed it automatically from this source.' }),
  },
  note,
});

export const updateMeasureFields = inputTable({
  id: { schema: z.string(), field: (t) => t.id({ required: true, description: 'The measure.' }) },
  name: {
    schema: text.nullish().refine((name) => name === undefined || !!name?.trim(), NEEDS_NAME),
    field: (t) => t.string({ description: 'The measure name.' }),
  },
  ...measureFields,
  valueType: {
    schema: z
      .enum(MeasureValueType)
      .nullish()
      .refine((v) => v !== null, 'valueType cannot be cleared'),
    field: (t) =>
      t.field({ type: MeasureValueTypeEnum, description: 'What kind of number (existing values must fit).' }),
  },
  ...measureDetails,
  automaticSource: {
    schema: z.enum(AutomaticSource).nullish(),
    field: (t) => t.field({ type: AutomaticSourceEnum, description: 'Automatic source (null: staff enter values).' }),
  },
  note,
});

export const addObservationFields = inputTable({
  measureId: { schema: z.string(), field: (t) => t.id({ required: true, description: 'The measure.' }) },
  period: {
    schema: z.string().nullish(),
    field: (t) => t.string({ description: "'YYYY', 'YYYY-MM' or 'YYYY-MM-DD/YYYY-MM-DD'; omit only with a label." }),
  },
  label: {
    schema: text.nullish(),
    field: (t) => t.string({ description: 'How the source names the period or value.' }),
  },
  segment: {
    schema: text.nullish(),
    field: (t) => t.string({ description: 'A breakdown within the period; omit for the main series.' }),
  },
  value: {
    schema: z.number(),
    field: (t) => t.float({ required: true, description: 'The value (must fit the measure valueType).' }),
  },
  note,
  sourceUrl: {
    schema: z
      .string()
      .regex(/^https?:\/\/\S+$/, 'Use an http(s) URL')
      .nullish(),
    field: (t) => t.string({ description: 'Where it was published.' }),
  },
  spanishLabel: {
    schema: text.nullish(),
    field: (t) =>
      t.string({
        description:
          'The label in Spanish, written by staff (kept as the Spanish version; omitted: the machine translates it, labelled).',
      }),
  },
  spanishNote: {
    schema: text.nullish(),
    field: (t) =>
      t.string({
        description:
          'The note in Spanish, written by staff (kept as the Spanish version; omitted: the machine translates it, labelled).',
      }),
  },
});

/** The Spanish versions staff wrote with an observation: each needs the English text it translates. */
function spanishProblems(o: {
  label?: string | null;
  note?: string | null;
  spanishLabel?: string | null;
  spanishNote?: string | null;
}) {
  return (['label', 'note'] as const).flatMap((field) => {
    const spanish = field === 'label' ? o.spanishLabel : o.spanishNote;
    return spanish?.trim() && !o[field]?.trim()
      ? [{ field: field === 'label' ? 'spanishLabel' : 'spanishNote', message: `Write the ${field} in English too` }]
      : [];
  });
}

/** createMeasure's input; `target` must fit `valueType`. */
const createMeasureInput = createMeasureFields.schema.superRefine((input, issues) => {
  if (input.target == null) return;
  for (const problem of valueProblems(input.target, input.valueType ?? 'NUMBER')) {
    issues.addIssue({ code: 'custom', path: ['target'], message: problem.message });
  }
});

export type CreateMeasureInput = z.input<typeof createMeasureFields.schema>;
export type UpdateMeasureInput = z.input<typeof updateMeasureFields.schema>;
export type AddObservationInput = z.input<typeof addObservationFields.schema>;

/** Adds problems found against the stored row to a parse, so one error lists them all. */
function withRowRules<S extends z.ZodType>(
  schema: S,
  rules: (input: z.output<S>) => { field: string; message: string }[],
) {
  return schema.superRefine((input, issues) => {
    for (const { field, message } of rules(input)) issues.addIssue({ code: 'custom', path: [field], message });
  });
}

/** The measure a write names, after checking the caller may change its initiative. */
export async function measureForEdit(ctx: Context, id: string) {
  assertMayWrite(ctx.identity, 'measures');
  const measure = await ctx.prisma.measure.findUnique({ where: { id }, include: { initiative: true } });
  if (!measure) throw notFound('Measure', id);
  assertCanEditInitiative(ctx.identity, measure.initiative);
  return measure;
}

/** Adds a measure to an initiative, after its existing ones. */
export async function createMeasure(ctx: Context, input: CreateMeasureInput & InitiativeRef): Promise<Measure> {
  const initiative = await initiativeForEdit(ctx, input);
  const {
    initiativeId: _id,
    code: _code,
    ...fields
  } = parseInput(createMeasureInput, input, null, 'The measure was not created');
  const created = await inTransaction(ctx.prisma, async (tx) => {
    const last = await tx.measure.findFirst({ where: { initiativeId: initiative.id }, orderBy: { position: 'desc' } });
    const measure = await tx.measure.create({
      data: {
        ...fields,
        initiativeId: initiative.id,
        position: (last?.position ?? -1) + 1,
        valueType: fields.valueType ?? 'NUMBER',
      },
    });
    await audit(tx, {
      initiativeId: initiative.id,
      action: 'measure.create',
      subjectId: measure.id,
      actor: actorName(ctx.identity),
      details: { name: measure.name },
    });
    return measure;
  });
  await queueContentTranslation(ctx.prisma, 'MEASURE', [created.id]);
  return created;
}

/** Changes a measure; a new valueType must fit its target and every stored value. */
export async function updateMeasure(ctx: Context, input: UpdateMeasureInput): Promise<Measure> {
  const { initiative: _initiative, ...measure } = await measureForEdit(ctx, input.id);
  const narrowing = input.valueType != null && input.valueType !== measure.valueType;
  const stored = narrowing
    ? await ctx.prisma.observation.findMany({ where: { measureId: measure.id }, select: { value: true } })
    : [];
  const { id: _id, ...patch } = parseInput(
    withRowRules(updateMeasureFields.schema, (change) => {
      const valueType = change.valueType ?? measure.valueType;
      const target = change.target === undefined ? measure.target : change.target;
      return [
        ...(target != null ? valueProblems(target, valueType).map((p) => ({ ...p, field: 'target' })) : []),
        ...(stored.some((o) => valueProblems(o.value, valueType).length > 0)
          ? [{ field: 'valueType', message: 'Existing observations do not fit this value type' }]
          : []),
      ];
    }),
    input,
    null,
    'The measure was not changed',
  );
  const data = { ...patch, name: patch.name?.trim(), valueType: patch.valueType ?? undefined };
  const updated = await inTransaction(ctx.prisma, async (tx) => {
    await audit(tx, {
      initiativeId: measure.initiativeId,
      action: 'measure.update',
      subjectId: measure.id,
      actor: actorName(ctx.identity),
      details: changedFields(measure, data),
    });
    return tx.measure.update({ where: { id: measure.id }, data });
  });
  await queueContentTranslation(ctx.prisma, 'MEASURE', [measure.id]);
  return updated;
}

/** Removes a measure and its observations. */
export async function deleteMeasure(ctx: Context, input: { id: string }): Promise<string> {
  const measure = await measureForEdit(ctx, input.id);
  await inTransaction(ctx.prisma, async (tx) => {
    await audit(tx, {
      initiativeId: measure.initiativeId,
      action: 'measure.delete',
      subjectId: measure.id,
      actor: actorName(ctx.identity),
      details: { name: measure.name },
    });
    await tx.measure.delete({ where: { id: measure.id } });
  });
  return measure.id;
}

/** Records a value for a period; a period (with its segment) is recorded once, else CONFLICT. */
export async function addObservation(ctx: Context, input: AddObservationInput): Promise<Observation> {
  const measure = await measureForEdit(ctx, input.measureId);
  if (measure.automaticSource) {
    throw badInput('This measure is fed automatically; use refreshMeasure', [
      { field: 'measureId', message: `Fed from ${measure.automaticSource}` },
    ]);
  }
  const observation = parseInput(
    withRowRules(addObservationFields.schema, (o) => [
      ...periodProblems(o.period, o.label),
      ...valueProblems(o.value, measure.valueType),
      ...spanishProblems(o),
    ]),
    input,
    null,
    'The observation was not recorded',
  );
  const period = observation.period ?? null;
  const segment = observation.segment?.trim() ?? '';
  const taken = `This measure already has a value for ${period}${segment ? ` (${segment})` : ''}`;
  if (period != null) {
    const existing = await ctx.prisma.observation.findUnique({
      where: { measureId_period_segment: { measureId: measure.id, period, segment } },
    });
    if (existing) throw conflict(taken);
  }
  const by = actorName(ctx.identity);
  const created = await inTransaction(
    ctx.prisma,
    async (tx) => {
      const created = await tx.observation.create({
        data: {
          measureId: measure.id,
          period,
          label: observation.label?.trim() || null,
          segment,
          value: observation.value,
          note: observation.note?.trim() || null,
          sourceUrl: observation.sourceUrl,
          recordedBy: by,
        },
      });
      // Staff's Spanish versions, as setPlanTranslation stores them: never replaced by the machine.
      const spanish = { label: observation.spanishLabel?.trim(), note: observation.spanishNote?.trim() };
      for (const field of ['label', 'note'] as const) {
        const text = spanish[field];
        const original = created[field];
        if (!text || !original) continue;
        await tx.contentTranslation.create({
          data: {
            entity: 'OBSERVATION',
            entityId: created.id,
            field,
            language: 'es',
            text,
            sourceLanguage: ORIGINAL_LANGUAGE,
            machineTranslated: false,
            sourceHash: sourceHash(original.trim()),
            updatedBy: by,
          },
        });
      }
      await audit(tx, {
        initiativeId: measure.initiativeId,
        action: 'observation.add',
        subjectId: created.id,
        actor: by,
        details: { measureId: measure.id, period, segment, value: observation.value },
      });
      await forwardWebhookEvent(ctx.prisma, prismaExecutor(tx), 'MEASURE_OBSERVATION_ADDED', {
        observationId: created.id,
        measureId: measure.id,
        initiativeId: measure.initiativeId,
        period: created.period,
        label: created.label,
        segment: created.segment,
        value: created.value,
        automatic: false,
        recordedAt: created.createdAt.toISOString(),
      });
      return created;
    },
    taken,
  );
  // The fields staff did not write in Spanish are machine-translated in the background.
  if ((created.label && !observation.spanishLabel?.trim()) || (created.note && !observation.spanishNote?.trim())) {
    await queueContentTranslation(ctx.prisma, 'OBSERVATION', [created.id]);
  }
  return created;
}

/** Removes one observation. */
export async function deleteObservation(ctx: Context, input: { id: string }): Promise<string> {
  const observation = await ctx.prisma.observation.findUnique({ where: { id: input.id } });
  if (!observation) {
    if (ctx.identity.role === 'PUBLIC') throw unauthenticated('Sign in as city staff to change a measure');
    throw notFound('Observation', input.id);
  }
  const measure = await measureForEdit(ctx, observation.measureId);
  await inTransaction(ctx.prisma, async (tx) => {
    await audit(tx, {
      initiativeId: measure.initiativeId,
      action: 'observation.delete',
      subjectId: observation.id,
      actor: actorName(ctx.identity),
      details: {
        measureId: measure.id,
        period: observation.period,
        segment: observation.segment,
        value: observation.value,
      },
    });
    await tx.observation.delete({ where: { id: observation.id } });
    await tx.contentTranslation.deleteMany({ where: { entity: 'OBSERVATION', entityId: observation.id } });
  });
  return observation.id;
}

/** Reads an automatic measure's source now. */
export async function refreshMeasure(
  ctx: Context,
  input: { id: string },
): Promise<{ measureId: string; months: number }> {
  const { initiative: _initiative, ...measure } = await measureForEdit(ctx, input.id);
  if (!measure.automaticSource) {
    throw badInput('This measure has no automatic source', [{ field: 'id', message: 'Not an automatic measure' }]);
  }
  const result = await refreshAutomaticMeasure(ctx.prisma, measure, ctx.conversationStats, actorName(ctx.identity));
  return { measureId: result.measure.id, months: result.months };
}
