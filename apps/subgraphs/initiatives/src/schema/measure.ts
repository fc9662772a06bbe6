import { builder } from '../builder.ts';
import { CONTENT_FIELDS } from '../domain/content-translations.ts';
import {
  addObservation,
  addObservationFields,
  createMeasure,
  createMeasureFields,
  deleteMeasure,
  deleteObservation,
  refreshMeasure,
  updateMeasure,
  updateMeasureFields,
} from '../domain/measure.ts';
import { newestFirst, newestTwo, OLDEST_FIRST, trendOf } from '../domain/measure-values.ts';
import { contentIn, FIELDS_ARG, LANGUAGE_ARG, PlanText, textIn } from './content.ts';
import { AutomaticSource, MeasureDirection, MeasureFrequency, MeasureValueType, Trend } from './enums.ts';

const Observation = builder.prismaObject('Observation', {
  description: 'One value of a measure for a period.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier.' }),
    period: t.exposeString('period', {
      nullable: true,
      description: "'YYYY', 'YYYY-MM' or 'YYYY-MM-DD/YYYY-MM-DD'; null when the source gives no date (see label).",
    }),
    label: t.string({
      nullable: true,
      description: 'How the source names the period or value.',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (o, { language }, ctx) => textIn(ctx, 'OBSERVATION', o.id, 'label', o.label, language),
    }),
    segment: t.exposeString('segment', {
      description: "A breakdown within the period (a group, a site…); '' for the measure's main series.",
    }),
    value: t.exposeFloat('value', { description: 'The value, in the measure unit.' }),
    note: t.string({
      nullable: true,
      description: 'A remark on this value.',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (o, { language }, ctx) => textIn(ctx, 'OBSERVATION', o.id, 'note', o.note, language),
    }),
    content: t.field({
      type: [PlanText],
      description:
        'Its label and note in "en" or "es", each saying whether it is a machine translation and what the original is.',
      args: {
        language: t.arg.string({ required: true, description: '"en" or "es".' }),
        fields: t.arg.stringList({ description: FIELDS_ARG }),
      },
      listSize: { assumedSize: CONTENT_FIELDS.OBSERVATION.length },
      resolve: (o, { language, fields }, ctx) => contentIn(ctx, 'OBSERVATION', o.id, o, language, fields),
    }),
    periodInferred: t.exposeBoolean('periodInferred', {
      description: 'The year was inferred because the source names months only.',
    }),
    automatic: t.exposeBoolean('automatic', { description: 'Written by an automatic source, not by staff.' }),
    sourceUrl: t.exposeString('sourceUrl', { nullable: true, description: 'Where the value was published.' }),
    recordedAt: t.expose('createdAt', {
      type: 'DateTime',
      description: 'When the value was first recorded here (the Atom feeds date new observations by it).',
    }),
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
      args: {
        language: t.arg.string({ required: true, description: '"en" or "es".' }),
        fields: t.arg.stringList({ description: FIELDS_ARG }),
      },
      listSize: { assumedSize: CONTENT_FIELDS.MEASURE.length },
      resolve: (m, { language, fields }, ctx) => contentIn(ctx, 'MEASURE', m.id, m, language, fields),
    }),
    unit: t.string({
      nullable: true,
      description: 'What is counted or measured, e.g. "rental units".',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (m, { language }, ctx) => textIn(ctx, 'MEASURE', m.id, 'unit', m.unit, language),
    }),
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
    note: t.string({
      nullable: true,
      description: 'A remark on the measure or its source.',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (m, { language }, ctx) => textIn(ctx, 'MEASURE', m.id, 'note', m.note, language),
    }),
    initiative: t.relation('initiative', { description: 'The initiative it measures.' }),
    observations: t.relation('observations', {
      description: 'The series, oldest first (undated observations first); from/to bound the period.',
      args: {
        from: t.arg.string({ description: "Earliest period, e.g. '2023-07'." }),
        to: t.arg.string({ description: "Latest period, inclusive, e.g. '2023-12'." }),
      },
      // Without from/to exactly the selection latest and trend make, so a query asking for the series
      // and the latest value reads the observations once (a different selection is another query).
      query: ({ from, to }) =>
        from == null && to == null
          ? { orderBy: [...OLDEST_FIRST] }
          : {
              where: {
                AND: [
                  from != null ? { period: { gte: from } } : {},
                  // '~' sorts after every character a period uses, so '2023-12' includes '2023-12-01/…'.
                  to != null ? { period: { lte: `${to}~` } } : {},
                ],
              },
              orderBy: [...OLDEST_FIRST],
            },
    }),
    latest: t.field({
      type: Observation,
      nullable: true,
      description: 'The most recent observation of the main series (or of the breakdown, if that is all there is).',
      select: { observations: { orderBy: [...OLDEST_FIRST] } },
      resolve: (m) => newestTwo(newestFirst(m.observations))[0] ?? null,
    }),
    trend: t.field({
      type: Trend,
      description: 'The latest observation against the previous one.',
      select: { direction: true, observations: { orderBy: [...OLDEST_FIRST] } },
      resolve: (m) => trendOf(...newestTwo(newestFirst(m.observations)), m.direction),
    }),
  }),
});

const CreateMeasureInput = builder.inputType('CreateMeasureInput', {
  description: 'A new measure for an initiative.',
  fields: (t) => createMeasureFields.fields(t),
});

const UpdateMeasureInput = builder.inputType('UpdateMeasureInput', {
  description: 'Changes to a measure; omitted fields stay as they are, null clears.',
  fields: (t) => updateMeasureFields.fields(t),
});

const AddObservationInput = builder.inputType('AddObservationInput', {
  description: 'A value of a measure for a period not yet recorded.',
  fields: (t) => addObservationFields.fields(t),
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
      const { id } = await createMeasure(ctx, input);
      return ctx.prisma.measure.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  updateMeasure: t.prismaField({
    type: 'Measure',
    description: 'Changes a measure.',
    args: { input: t.arg({ type: UpdateMeasureInput, required: true, description: 'What to change.' }) },
    resolve: async (query, _root, { input }, ctx) => {
      const { id } = await updateMeasure(ctx, input);
      return ctx.prisma.measure.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  deleteMeasure: t.id({
    description: 'Removes a measure and its observations; returns its id.',
    args: { id: t.arg.id({ required: true, description: 'The measure.' }) },
    resolve: (_root, args, ctx) => deleteMeasure(ctx, args),
  }),
  addObservation: t.prismaField({
    type: 'Observation',
    description: 'Records a value for a period; a period can be recorded once (CONFLICT otherwise).',
    args: { input: t.arg({ type: AddObservationInput, required: true, description: 'What to change.' }) },
    resolve: async (query, _root, { input }, ctx) => {
      const { id } = await addObservation(ctx, input);
      return ctx.prisma.observation.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  deleteObservation: t.id({
    description: 'Removes one observation; returns its id.',
    args: { id: t.arg.id({ required: true, description: 'The observation.' }) },
    resolve: (_root, args, ctx) => deleteObservation(ctx, args),
  }),
  refreshMeasure: t.field({
    type: RefreshMeasurePayload,
    description: 'Reads an automatic measure source now (one observation per month, in one transaction).',
    args: { id: t.arg.id({ required: true, description: 'The measure.' }) },
    resolve: (_root, args, ctx) => refreshMeasure(ctx, args),
  }),
}));
