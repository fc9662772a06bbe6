import { isStaff } from '@civic/graphql-kit/roles';
import { badInput, type FieldProblem } from '@civic/server-kit/errors';
import { queryFromInfo } from '@pothos/plugin-prisma';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { CONTENT_FIELDS } from '../domain/content-translations.ts';
import {
  DEPARTMENT_IDS,
  updateInitiative,
  updateInitiativeFields,
  updateInitiativeStatus,
  updateStatusFields,
} from '../domain/initiative.ts';
import { canEditInitiative } from '../domain/initiative-access.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { contentIn, FIELDS_ARG, LANGUAGE_ARG, PlanText, textIn } from './content.ts';
import { InitiativeStatus } from './enums.ts';
import { Organization, Theme } from './scalars.ts';

const isoDate = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : null);

interface RelatedFactShape {
  label: string;
  value: number;
  unit: string | null;
  period: string | null;
  sourceUrl: string | null;
}

const RelatedFact = builder.objectRef<RelatedFactShape>('InitiativeRelatedFact').implement({
  description: "A number the initiative's page states outside its key-measure series (a target, a program count…).",
  fields: (t) => ({
    label: t.exposeString('label', { description: 'What the number is.' }),
    value: t.exposeFloat('value', { description: 'The number.' }),
    unit: t.exposeString('unit', { nullable: true, description: 'Its unit.' }),
    period: t.exposeString('period', { nullable: true, description: 'When it applies, if stated.' }),
    sourceUrl: t.exposeString('sourceUrl', { nullable: true, description: 'Where it was published.' }),
  }),
});

builder.prismaObject('InitiativeStatusChange', {
  description: 'One change of an initiative status, with the note the city gave.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier.' }),
    status: t.field({
      type: InitiativeStatus,
      nullable: true,
      description: 'The status from this moment on (null: not published).',
      resolve: (c) => c.status,
    }),
    note: t.exposeString('note', { nullable: true, description: 'Why it changed.' }),
    changedBy: t.string({
      nullable: true,
      description: 'Who changed it (staff and administrators only; null for others).',
      resolve: (c, _args, ctx) => (isStaff(ctx.identity) ? c.changedBy : null),
    }),
    changedAt: t.expose('changedAt', { type: 'DateTime', description: 'When it changed.' }),
  }),
});

const AuditEntry = builder.prismaObject('AuditEntry', {
  name: 'InitiativeAuditEntry',
  description: 'One recorded write to an initiative, its measures or observations (staff and administrators only).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier.' }),
    action: t.exposeString('action', { description: 'What was done, e.g. "observation.add".' }),
    subjectId: t.exposeID('subjectId', { nullable: true, description: 'The measure or observation concerned.' }),
    details: t.string({
      description: 'What changed, as JSON (for updates: { field: [before, after] }).',
      resolve: (e) => JSON.stringify(e.details),
    }),
    actor: t.exposeString('actor', { description: 'Who did it ("staff:<user>", "admin:<user>", "system:…").' }),
    at: t.expose('at', { type: 'DateTime', description: 'When.' }),
  }),
});

export const Initiative = builder.prismaObject('Initiative', {
  description: 'A numbered strategic-plan initiative, such as 3.13.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier.' }),
    code: t.exposeString('code', { description: 'The plan number, e.g. "3.13".' }),
    title: t.string({
      description: 'The title as published.',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (i, { language }, ctx) => textIn(ctx, 'INITIATIVE', i.id, 'title', i.title, language),
    }),
    description: t.string({
      nullable: true,
      description: 'What the initiative does.',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (i, { language }, ctx) => textIn(ctx, 'INITIATIVE', i.id, 'description', i.description, language),
    }),
    content: t.field({
      type: [PlanText],
      description:
        'Its text fields in "en" or "es", each saying whether it is a machine translation and what the original is.',
      args: {
        language: t.arg.string({ required: true, description: '"en" or "es".' }),
        fields: t.arg.stringList({ description: FIELDS_ARG }),
      },
      listSize: { assumedSize: CONTENT_FIELDS.INITIATIVE.length },
      resolve: (i, { language, fields }, ctx) => contentIn(ctx, 'INITIATIVE', i.id, i, language, fields),
    }),
    status: t.field({
      type: InitiativeStatus,
      nullable: true,
      description: 'Current dashboard status; null where the city has not published one.',
      resolve: (i) => i.status,
    }),
    statusHistory: t.relation('statusHistory', {
      description: 'Status changes, newest first.',
      query: { orderBy: [{ changedAt: 'desc' }, { id: 'desc' }] },
    }),
    goal: t.relation('goal', { description: 'The goal it serves.' }),
    objective: t.relation('objective', { description: 'The objective it is numbered under.' }),
    leadDepartment: t.field({
      type: Organization,
      nullable: true,
      description: 'The department that leads it; its staff may update it.',
      resolve: (i) => (i.leadDepartmentId ? { id: i.leadDepartmentId } : null),
    }),
    partnerDepartments: t.field({
      type: [Organization],
      nullable: true,
      description: 'Departments that work on it with the lead (null while the resources service is unavailable).',
      resolve: (i) => i.partnerDepartmentIds.map((id) => ({ id })),
    }),
    themes: t.field({
      type: [Theme],
      description: 'Themes from the shared taxonomy.',
      resolve: (i) => i.themes as (typeof Theme.$inferType)[],
    }),
    startDate: t.string({
      nullable: true,
      description: 'When work starts (YYYY-MM-DD).',
      resolve: (i) => isoDate(i.startDate),
    }),
    targetDate: t.string({
      nullable: true,
      description: 'When it is due (YYYY-MM-DD).',
      resolve: (i) => isoDate(i.targetDate),
    }),
    whyItMatters: t.string({
      nullable: true,
      description: '"Why is this important?"',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (i, { language }, ctx) => textIn(ctx, 'INITIATIVE', i.id, 'whyItMatters', i.whyItMatters, language),
    }),
    whatWeHaveBeenDoing: t.string({
      nullable: true,
      description: '"What have we been doing?"',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (i, { language }, ctx) =>
        textIn(ctx, 'INITIATIVE', i.id, 'whatWeHaveBeenDoing', i.whatWeHaveBeenDoing, language),
    }),
    whatsNext: t.string({
      nullable: true,
      description: '"What\'s next?"',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (i, { language }, ctx) => textIn(ctx, 'INITIATIVE', i.id, 'whatsNext', i.whatsNext, language),
    }),
    measures: t.relation('measures', {
      description: 'Its measures, key measure first.',
      args: { first: t.arg.int({ description: 'Only the first this many (0–20), e.g. 1 for the key measure alone.' }) },
      listSize: { slicingArguments: ['first'], requireOneSlicingArgument: false },
      query: ({ first }) => {
        if (first != null && (first < 0 || first > 20)) {
          throw badInput('first must be between 0 and 20', [{ field: 'first', message: 'Between 0 and 20' }]);
        }
        return { orderBy: [{ position: 'asc' }, { createdAt: 'asc' }], ...(first != null ? { take: first } : {}) };
      },
    }),
    sourceUrl: t.exposeString('sourceUrl', { nullable: true, description: 'Where the city published it.' }),
    otherSourceUrls: t.exposeStringList('otherSourceUrls', {
      description: 'Other published versions of the same page.',
    }),
    relatedFacts: t.field({
      type: [RelatedFact],
      description: 'Other numbers its page states.',
      resolve: (i) => (Array.isArray(i.relatedFacts) ? (i.relatedFacts as unknown as RelatedFactShape[]) : []),
    }),
    notes: t.exposeString('notes', { nullable: true, description: 'Caveats about the published source.' }),
    viewerCanEdit: t.boolean({
      description: 'Whether the caller may change it (lead-department staff or an administrator).',
      resolve: (i, _args, ctx) => canEditInitiative(ctx.identity, i),
    }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'Last change.' }),
    auditTrail: t.field({
      type: [AuditEntry],
      nullable: true,
      description: 'The latest 100 writes, newest first; null unless the caller is staff or an administrator.',
      args: {},
      select: { auditEntries: { orderBy: [{ at: 'desc' }, { id: 'desc' }], take: 100 } },
      resolve: (i, _args, ctx) => (isStaff(ctx.identity) ? i.auditEntries : null),
    }),
  }),
});

builder.asEntity(Initiative, {
  key: builder.selection<{ id: string }>('id'),
  // One findUnique per reference with the selection the gateway asked for: Prisma batches the
  // references of one _entities request into one query per relation level, so nested measures and
  // observations cost the same few statements for any number of initiatives.
  resolveReference: ({ id }, ctx: Context, info) =>
    ctx.prisma.initiative.findUnique({
      ...queryFromInfo({ context: ctx, info, typeName: 'Initiative' }),
      where: { id },
    }),
});

builder.queryFields((t) => ({
  initiative: t.prismaField({
    type: 'Initiative',
    nullable: true,
    description: 'An initiative by id or by plan code (e.g. "3.13").',
    args: { id: t.arg.id({ description: 'Its id.' }), code: t.arg.string({ description: 'Its plan code.' }) },
    resolve: (query, _root, args, ctx) => {
      if (args.id) return ctx.prisma.initiative.findUnique({ ...query, where: { id: args.id } });
      if (args.code) return ctx.prisma.initiative.findUnique({ ...query, where: { code: args.code } });
      throw badInput('Give an id or a code', [{ field: 'id', message: 'Give an id or a code' }]);
    },
  }),
  initiatives: t.prismaField({
    type: ['Initiative'],
    description: 'Initiatives in plan order, optionally filtered (filters combine).',
    args: {
      goal: t.arg.int({ description: 'Goal number (1–5).' }),
      objective: t.arg.string({ description: 'Objective code, e.g. "3.1".' }),
      status: t.arg({ type: InitiativeStatus, description: 'Only this status.' }),
      statusPublished: t.arg.boolean({ description: 'false: only initiatives with no published status.' }),
      department: t.arg.id({ description: 'Led by, or partnered by, this department (Organization id).' }),
      theme: t.arg({ type: Theme, description: 'Tagged with this theme.' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const problems: FieldProblem[] = [];
      if (args.goal != null && !(await ctx.prisma.goal.findUnique({ where: { number: args.goal } }))) {
        problems.push({ field: 'goal', message: `There is no goal ${args.goal}` });
      }
      if (args.objective != null && !(await ctx.prisma.objective.findUnique({ where: { code: args.objective } }))) {
        problems.push({ field: 'objective', message: `There is no objective ${args.objective}` });
      }
      if (args.department != null && !DEPARTMENT_IDS.has(args.department)) {
        problems.push({ field: 'department', message: 'Unknown department id' });
      }
      if (problems.length) throw badInput('Unknown filter values', problems);
      const where: Prisma.InitiativeWhereInput[] = [];
      if (args.goal != null) where.push({ goal: { number: args.goal } });
      if (args.objective != null) where.push({ objective: { code: args.objective } });
      if (args.status != null) where.push({ status: args.status });
      if (args.statusPublished != null) where.push({ status: args.statusPublished ? { not: null } : null });
      if (args.department != null) {
        where.push({
          OR: [{ leadDepartmentId: args.department }, { partnerDepartmentIds: { has: args.department } }],
        });
      }
      if (args.theme != null) where.push({ themes: { has: args.theme } });
      return ctx.prisma.initiative.findMany({ ...query, where: { AND: where }, orderBy: { code: 'asc' } });
    },
  }),
}));

const UpdateStatusInput = builder.inputType('UpdateInitiativeStatusInput', {
  description: 'A new dashboard status and the public note explaining it.',
  fields: (t) => updateStatusFields.fields(t),
});

const UpdateInitiativeInput = builder.inputType('UpdateInitiativeInput', {
  description: 'Changes to an initiative; omitted fields stay as they are, null clears.',
  fields: (t) => updateInitiativeFields.fields(t),
});

builder.mutationFields((t) => ({
  updateInitiativeStatus: t.prismaField({
    type: 'Initiative',
    description: 'Sets the dashboard status and records it, with its note, in the status history.',
    args: { input: t.arg({ type: UpdateStatusInput, required: true, description: 'What to change.' }) },
    resolve: async (query, _root, { input }, ctx) => {
      const { id } = await updateInitiativeStatus(ctx, input);
      return ctx.prisma.initiative.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
  updateInitiative: t.prismaField({
    type: 'Initiative',
    description: 'Updates the narratives, themes, partner departments or dates.',
    args: { input: t.arg({ type: UpdateInitiativeInput, required: true, description: 'What to change.' }) },
    resolve: async (query, _root, { input }, ctx) => {
      const { id } = await updateInitiative(ctx, input);
      return ctx.prisma.initiative.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
}));
