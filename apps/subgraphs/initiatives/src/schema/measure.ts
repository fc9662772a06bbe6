import { badInput, conflict, type FieldProblem, forbidden, notFound, unauthenticated } from '@civic/server-kit/errors';
import { audit, changedFields } from '../domain/audit.ts';
import { actor, assertCanEditInitiative } from '../domain/initiative-access.ts';
import { builder } from '../builder.ts';
import { queueContentTranslation } from '../domain/content-translations.ts';
import type { Context } from '../context.ts';
import { Prisma } from '../generated/prisma/client.ts';
import { NEWEST_FIRST, newestTwo, periodProblems, trendOf, valueProblems } from '../domain/measure-values.ts';
import { refreshAutomaticMeasure } from '../domain/measure-refresh.ts';
import { contentIn, LANGUAGE_ARG, PlanText, textIn } from './content.ts';
import { AutomaticSource, MeasureDirection, MeasureFrequency, MeasureValueType, Trend } from './enums.ts';
import { initiativeForEdit } from './initiative.ts';

const Observation = builder.prismaObject('Observation', {
  description: 'One value of a measure for a period.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier.' }),
    period: t.exposeString('period', {
      nullable: true,
      description: "'YYYY', 'YYYY-MM' or 'YYYY-MM-DD/YYYY-MM-DD'; null when the source gives no date (see label).",
    }),
    label: t.exposeString('label', { nullable: true, description: 'How the source names the period or value.' }),
    segment: t.exposeString('segment', {
      description: "A breakdown within the period (a group, a site…); '' for the measure's main series.",
    }),
    value: t.exposeFloat('value', { description: 'The value, in the measure unit.' }),
    note: t.exposeString('note', { nullable: true, description: 'A remark on this value.' }),
    periodInferred: t.exposeBoolean('periodInferred', {
      description: 'The year was inferred because the source names months only.',
    }),
    automatic: t.exposeBoolean('automatic', { description: 'Written by an automatic source, not by staff.' }),
    sourceUrl: t.exposeString('sourceUrl', { nullable: true, description: 'Where the value was published.' }),
    measure: t.relation('measure', { description: 'The measure it belongs to.' }),
  }),
});

builder.prismaObject('Measure', {
  description: "A measure of an initiative's progress, with its series of observations.",
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier.' }),
    name: t.string({
      nullable: true,
      description: 'The measure name; null where the published chart title is unknown (see note).',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (m, { language }, ctx) => textIn(ctx, 'MEASURE', m.id, 'name', m.name, language),
    }),
    content: t.field({
      type: [PlanText],
      description:
        'Its text fields in "en" or "es", each saying whether it is a machine translation and what the original is.',
      args: { language: t.arg.string({ required: true, description: '"en" or "es".' }) },
      resolve: (m, { language }, ctx) => contentIn(ctx, 'MEASURE', m.id, m, language),
    }),
    unit: t.exposeString('unit', { nullable: true, description: 'What is counted or measured.' }),
    direction: t.field({
      type: MeasureDirection,
      nullable: true,
      description: 'Which way is better; null when not set.',
      resolve: (m) => m.direction,
    }),
    valueType: t.field({
      type: MeasureValueType,
      description: 'What kind of number it records.',
      resolve: (m) => m.valueType,
    }),
    target: t.exposeFloat('target', { nullable: true, description: 'The target value, if one is set.' }),
    targetLabel: t.string({
      nullable: true,
      description: 'The target in words.',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (m, { language }, ctx) => textIn(ctx, 'MEASURE', m.id, 'targetLabel', m.targetLabel, language),
    }),
    frequency: t.field({
      type: MeasureFrequency,
      nullable: true,
      description: 'How often it is reported.',
      resolve: (m) => m.frequency,
    }),
    automaticSource: t.field({
      type: AutomaticSource,
      nullable: true,
      description: 'Where its observations come from automatically; null when staff enter them.',
      resolve: (m) => m.automaticSource,
    }),
    refreshedAt: t.expose('refreshedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When the automatic source was last read.',
    }),
    note: t.exposeString('note', { nullable: true, description: 'A remark on the measure or its source.' }),
    initiative: t.relation('initiative', { description: 'The initiative it measures.' }),
    observations: t.relation('observations', {
      description: 'The series, oldest first (undated observations first); from/to bound the period.',
      args: {
        from: t.arg.string({ description: "Earliest period, e.g. '2023-07'." }),
        to: t.arg.string({ description: "Latest period, inclusive, e.g. '2023-12'." }),
      },
      query: ({ from, to }) => ({
        where: {
          AND: [
            from != null ? { period: { gte: from } } : {},
            // '~' sorts after every character a period uses, so '2023-12' includes '2023-12-01/…'.
            to != null ? { period: { lte: `${to}~` } } : {},
          ],
        },
        orderBy: [{ period: { sort: 'asc', nulls: 'first' } }, { createdAt: 'asc' }],
      }),
    }),
    latest: t.field({
      type: Observation,
      nullable: true,
      description: 'The most recent observation of the main series (or of the breakdown, if that is all there is).',
      select: { observations: { orderBy: [...NEWEST_FIRST] } },
      resolve: (m) => newestTwo(m.observations)[0] ?? null,
    }),
    trend: t.field({
      type: Trend,
      description: 'The latest observation against the previous one.',
      select: { direction: true, observations: { orderBy: [...NEWEST_FIRST] } },
      resolve: (m) => trendOf(...newestTwo(m.observations), m.direction),
    }),
  }),
});

async function measureForEdit(ctx: Context, id: string) {
  if (ctx.identity.role === 'PUBLIC') throw unauthenticated('Sign in as city staff to change a measure');
  if (ctx.identity.role === 'PARTNER') throw forbidden('Partners cannot change measures');
  const measure = await ctx.prisma.measure.findUnique({ where: { id }, include: { initiative: true } });
  if (!measure) throw notFound('Measure', id);
  assertCanEditInitiative(ctx.identity, measure.initiative);
  return measure;
}

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

const CreateMeasureInput = builder.inputType('CreateMeasureInput', {
  description: 'A new measure for an initiative.',
  fields: (t) => ({
    initiativeId: t.id({ description: 'The initiative id (or give code).' }),
    code: t.string({ description: 'The initiative plan code (or give initiativeId).' }),
    name: t.string({ required: true, description: 'The measure name.' }),
    unit: t.string({ description: 'What is counted or measured.' }),
    direction: t.field({ type: MeasureDirection, description: 'Which way is better.' }),
    valueType: t.field({ type: MeasureValueType, defaultValue: 'NUMBER', description: 'What kind of number.' }),
    target: t.float({ description: 'Target value.' }),
    targetLabel: t.string({ description: 'Target in words.' }),
    frequency: t.field({ type: MeasureFrequency, description: 'How often it is reported.' }),
    automaticSource: t.field({ type: AutomaticSource, description: 'Feed it automatically from this source.' }),
    note: t.string({ description: 'A remark.' }),
  }),
});

const UpdateMeasureInput = builder.inputType('UpdateMeasureInput', {
  description: 'Changes to a measure; omitted fields stay as they are, null clears.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'The measure.' }),
    name: t.string({ description: 'The measure name.' }),
    unit: t.string({ description: 'What is counted or measured.' }),
    direction: t.field({ type: MeasureDirection, description: 'Which way is better.' }),
    valueType: t.field({ type: MeasureValueType, description: 'What kind of number (existing values must fit).' }),
    target: t.float({ description: 'Target value.' }),
    targetLabel: t.string({ description: 'Target in words.' }),
    frequency: t.field({ type: MeasureFrequency, description: 'How often it is reported.' }),
    automaticSource: t.field({ type: AutomaticSource, description: 'Automatic source (null: staff enter values).' }),
    note: t.string({ description: 'A remark.' }),
  }),
});

const AddObservationInput = builder.inputType('AddObservationInput', {
  description: 'A value of a measure for a period not yet recorded.',
  fields: (t) => ({
    measureId: t.id({ required: true, description: 'The measure.' }),
    period: t.string({ description: "'YYYY', 'YYYY-MM' or 'YYYY-MM-DD/YYYY-MM-DD'; omit only with a label." }),
    label: t.string({ description: 'How the source names the period or value.' }),
    segment: t.string({ description: 'A breakdown within the period; omit for the main series.' }),
    value: t.float({ required: true, description: 'The value (must fit the measure valueType).' }),
    note: t.string({ description: 'A remark.' }),
    sourceUrl: t.string({ description: 'Where it was published.' }),
  }),
});

const RefreshMeasurePayload = builder
  .objectRef<{ measureId: string; months: number }>('RefreshMeasurePayload')
  .implement({
    description: 'The result of reading an automatic source.',
    fields: (t) => ({
      months: t.exposeInt('months', { description: 'Months written (one observation each).' }),
      measure: t.prismaField({
        type: 'Measure',
        description: 'The refreshed measure.',
        resolve: (query, p, _args, ctx) =>
          ctx.prisma.measure.findUniqueOrThrow({ ...query, where: { id: p.measureId } }),
      }),
    }),
  });

function textProblems(fields: Record<string, string | null | undefined>, max: number): FieldProblem[] {
  return Object.entries(fields)
    .filter(([, value]) => (value?.length ?? 0) > max)
    .map(([field]) => ({ field, message: `At most ${max} characters` }));
}

function urlProblems(value: string | null | undefined): FieldProblem[] {
  if (value == null) return [];
  return /^https?:\/\/\S+$/.test(value) ? [] : [{ field: 'sourceUrl', message: 'Use an http(s) URL' }];
}

builder.queryFields((t) => ({
  measure: t.prismaField({
    type: 'Measure',
    nullable: true,
    description: 'A measure by id, with its series and target.',
    args: { id: t.arg.id({ required: true, description: 'The measure id.' }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.measure.findUnique({ ...query, where: { id: args.id } }),
  }),
}));

builder.mutationFields((t) => ({
  createMeasure: t.prismaField({
    type: 'Measure',
    description: 'Adds a measure to an initiative (after its existing ones).',
    args: { input: t.arg({ type: CreateMeasureInput, required: true, description: 'What to change.' }) },
    resolve: async (query, _root, { input }, ctx) => {
      const initiative = await initiativeForEdit(ctx, input);
      const name = input.name.trim();
      const problems = [
        ...(name ? [] : [{ field: 'name', message: 'A measure needs a name' }]),
        ...textProblems({ name, unit: input.unit, targetLabel: input.targetLabel, note: input.note }, 500),
        ...(input.target != null
          ? valueProblems(input.target, input.valueType ?? 'NUMBER').map((p) => ({ ...p, field: 'target' }))
          : []),
      ];
      if (problems.length) throw badInput('The measure was not created', problems);
      const result = await ctx.prisma.$transaction(async (tx) => {
        const last = await tx.measure.findFirst({
          where: { initiativeId: initiative.id },
          orderBy: { position: 'desc' },
        });
        const created = await tx.measure.create({
          data: {
            initiativeId: initiative.id,
            position: (last?.position ?? -1) + 1,
            name,
            unit: input.unit,
            direction: input.direction,
            valueType: input.valueType ?? 'NUMBER',
            target: input.target,
            targetLabel: input.targetLabel,
            frequency: input.frequency,
            automaticSource: input.automaticSource,
            note: input.note,
          },
        });
        await audit(tx, {
          initiativeId: initiative.id,
          action: 'measure.create',
          subjectId: created.id,
          actor: actor(ctx.identity),
          details: { name },
        });
        return tx.measure.findUniqueOrThrow({ ...query, where: { id: created.id } });
      });
      await queueContentTranslation(ctx.prisma, 'MEASURE', [result.id]);
      return result;
    },
  }),
  updateMeasure: t.prismaField({
    type: 'Measure',
    description: 'Changes a measure.',
    args: { input: t.arg({ type: UpdateMeasureInput, required: true, description: 'What to change.' }) },
    resolve: async (query, _root, { input }, ctx) => {
      const measure = await measureForEdit(ctx, input.id);
      const problems: FieldProblem[] = textProblems(
        { name: input.name, unit: input.unit, targetLabel: input.targetLabel, note: input.note },
        500,
      );
      if (input.name !== undefined && !input.name?.trim())
        problems.push({ field: 'name', message: 'A measure needs a name' });
      if (input.valueType === null) problems.push({ field: 'valueType', message: 'valueType cannot be cleared' });
      const valueType = input.valueType ?? measure.valueType;
      const target = input.target === undefined ? measure.target : input.target;
      if (target != null) problems.push(...valueProblems(target, valueType).map((p) => ({ ...p, field: 'target' })));
      if (input.valueType && input.valueType !== measure.valueType) {
        const values = await ctx.prisma.observation.findMany({
          where: { measureId: measure.id },
          select: { value: true },
        });
        if (values.some((o) => valueProblems(o.value, valueType).length > 0)) {
          problems.push({ field: 'valueType', message: 'Existing observations do not fit this value type' });
        }
      }
      if (problems.length) throw badInput('The measure was not changed', problems);
      const data = {
        name: input.name?.trim(),
        unit: input.unit,
        direction: input.direction,
        valueType: input.valueType ?? undefined,
        target: input.target,
        targetLabel: input.targetLabel,
        frequency: input.frequency,
        automaticSource: input.automaticSource,
        note: input.note,
      };
      const { initiative: _initiative, ...before } = measure;
      const result = await ctx.prisma.$transaction(async (tx) => {
        await audit(tx, {
          initiativeId: measure.initiativeId,
          action: 'measure.update',
          subjectId: measure.id,
          actor: actor(ctx.identity),
          details: changedFields(before, data),
        });
        return tx.measure.update({ ...query, where: { id: measure.id }, data });
      });
      await queueContentTranslation(ctx.prisma, 'MEASURE', [measure.id]);
      return result;
    },
  }),
  deleteMeasure: t.id({
    description: 'Removes a measure and its observations; returns its id.',
    args: { id: t.arg.id({ required: true, description: 'The measure.' }) },
    resolve: async (_root, args, ctx) => {
      const measure = await measureForEdit(ctx, args.id);
      await ctx.prisma.$transaction(async (tx) => {
        await audit(tx, {
          initiativeId: measure.initiativeId,
          action: 'measure.delete',
          subjectId: measure.id,
          actor: actor(ctx.identity),
          details: { name: measure.name },
        });
        await tx.measure.delete({ where: { id: measure.id } });
      });
      return measure.id;
    },
  }),
  addObservation: t.prismaField({
    type: 'Observation',
    description: 'Records a value for a period; a period can be recorded once (CONFLICT otherwise).',
    args: { input: t.arg({ type: AddObservationInput, required: true, description: 'What to change.' }) },
    resolve: async (query, _root, { input }, ctx) => {
      const measure = await measureForEdit(ctx, input.measureId);
      if (measure.automaticSource) {
        throw badInput('This measure is fed automatically; use refreshMeasure', [
          { field: 'measureId', message: `Fed from ${measure.automaticSource}` },
        ]);
      }
      const problems = [
        ...periodProblems(input.period, input.label),
        ...valueProblems(input.value, measure.valueType),
        ...textProblems({ label: input.label, note: input.note, segment: input.segment }, 500),
        ...urlProblems(input.sourceUrl),
      ];
      if (problems.length) throw badInput('The observation was not recorded', problems);
      const period = input.period ?? null;
      const segment = input.segment?.trim() ?? '';
      const taken = `This measure already has a value for ${period}${segment ? ` (${segment})` : ''}`;
      if (period != null) {
        const existing = await ctx.prisma.observation.findUnique({
          where: { measureId_period_segment: { measureId: measure.id, period, segment } },
        });
        if (existing) throw conflict(taken);
      }
      try {
        return await ctx.prisma.$transaction(async (tx) => {
          const created = await tx.observation.create({
            data: {
              measureId: measure.id,
              period,
              label: input.label?.trim() || null,
              segment,
              value: input.value,
              note: input.note,
              sourceUrl: input.sourceUrl,
              recordedBy: actor(ctx.identity),
            },
          });
          await audit(tx, {
            initiativeId: measure.initiativeId,
            action: 'observation.add',
            subjectId: created.id,
            actor: actor(ctx.identity),
            details: { measureId: measure.id, period, segment, value: input.value },
          });
          return tx.observation.findUniqueOrThrow({ ...query, where: { id: created.id } });
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(taken);
        throw error;
      }
    },
  }),
  deleteObservation: t.id({
    description: 'Removes one observation; returns its id.',
    args: { id: t.arg.id({ required: true, description: 'The observation.' }) },
    resolve: async (_root, args, ctx) => {
      const observation = await ctx.prisma.observation.findUnique({ where: { id: args.id } });
      if (!observation) {
        if (ctx.identity.role === 'PUBLIC') throw unauthenticated('Sign in as city staff to change a measure');
        throw notFound('Observation', args.id);
      }
      const measure = await measureForEdit(ctx, observation.measureId);
      await ctx.prisma.$transaction(async (tx) => {
        await audit(tx, {
          initiativeId: measure.initiativeId,
          action: 'observation.delete',
          subjectId: observation.id,
          actor: actor(ctx.identity),
          details: {
            measureId: measure.id,
            period: observation.period,
            segment: observation.segment,
            value: observation.value,
          },
        });
        await tx.observation.delete({ where: { id: observation.id } });
      });
      return observation.id;
    },
  }),
  refreshMeasure: t.field({
    type: RefreshMeasurePayload,
    description: 'Reads an automatic measure source now (one observation per month, in one transaction).',
    args: { id: t.arg.id({ required: true, description: 'The measure.' }) },
    resolve: async (_root, args, ctx) => {
      const measure = await measureForEdit(ctx, args.id);
      if (!measure.automaticSource) {
        throw badInput('This measure has no automatic source', [{ field: 'id', message: 'Not an automatic measure' }]);
      }
      const { initiative: _initiative, ...row } = measure;
      const result = await refreshAutomaticMeasure(ctx.prisma, row, ctx.conversationStats, actor(ctx.identity));
      return { measureId: result.measure.id, months: result.months };
    },
  }),
}));
