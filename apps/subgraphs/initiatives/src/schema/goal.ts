import { badInput } from '@civic/server-kit/errors';
import { builder } from '../builder.ts';
import { CONTENT_FIELDS } from '../domain/content-translations.ts';
import type { Goal as GoalRow, InitiativeStatus as StatusValue } from '../generated/prisma/client.ts';
import { contentIn, FIELDS_ARG, LANGUAGE_ARG, PlanText, textIn } from './content.ts';
import { InitiativeStatus } from './enums.ts';

interface StatusCountShape {
  status: StatusValue | null;
  count: number;
}
interface GoalStatusSummaryShape {
  goal: GoalRow;
  total: number;
  counts: StatusCountShape[];
}

const GoalStatusSummary = builder.objectRef<GoalStatusSummaryShape>('GoalStatusSummary');

const Goal = builder.prismaObject('Goal', {
  description: 'One of the five goals of the strategic plan.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier.' }),
    number: t.exposeInt('number', { description: 'The goal number, 1 to 5.' }),
    title: t.string({
      description: 'The goal as the plan names it.',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (g, { language }, ctx) => textIn(ctx, 'GOAL', g.id, 'title', g.title, language),
    }),
    statement: t.string({
      nullable: true,
      description: 'The goal statement; null where the published dashboard page was not available.',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (g, { language }, ctx) => textIn(ctx, 'GOAL', g.id, 'statement', g.statement, language),
    }),
    whyItMatters: t.string({
      nullable: true,
      description: 'Why the goal matters (paraphrased).',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (g, { language }, ctx) => textIn(ctx, 'GOAL', g.id, 'whyItMatters', g.why, language),
    }),
    content: t.field({
      type: [PlanText],
      description:
        'Its text fields in "en" or "es", each saying whether it is a machine translation and what the original is.',
      args: {
        language: t.arg.string({ required: true, description: '"en" or "es".' }),
        fields: t.arg.stringList({ description: FIELDS_ARG }),
      },
      listSize: { assumedSize: CONTENT_FIELDS.GOAL.length },
      resolve: (g, { language, fields }, ctx) =>
        contentIn(ctx, 'GOAL', g.id, { title: g.title, statement: g.statement, whyItMatters: g.why }, language, fields),
    }),
    sourceUrl: t.exposeString('sourceUrl', { nullable: true, description: 'Where the city published this goal.' }),
    notes: t.exposeString('notes', { nullable: true, description: 'Caveats about the published source.' }),
    objectives: t.relation('objectives', {
      description: 'Objectives under this goal, in plan order.',
      query: { orderBy: { code: 'asc' } },
    }),
    initiatives: t.relation('initiatives', {
      description: 'All initiatives under this goal, in plan order.',
      query: { orderBy: { code: 'asc' } },
    }),
    statusSummary: t.field({
      type: GoalStatusSummary,
      description: 'How many of its initiatives are in each status, as the dashboard shows.',
      select: { initiatives: { select: { status: true } } },
      resolve: (goal) => summarize(goal, goal.initiatives),
    }),
  }),
});

builder.prismaObject('Objective', {
  description: 'An objective of a goal, such as 3.1; its initiatives are numbered under it (3.11, 3.12, …).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable identifier.' }),
    code: t.exposeString('code', { description: 'The plan number, e.g. "3.1".' }),
    title: t.string({
      nullable: true,
      description: 'The objective title; null where the plan pages did not publish it (see notes).',
      args: { language: t.arg.string({ description: LANGUAGE_ARG }) },
      resolve: (o, { language }, ctx) => textIn(ctx, 'OBJECTIVE', o.id, 'title', o.title, language),
    }),
    content: t.field({
      type: [PlanText],
      description:
        'Its text fields in "en" or "es", each saying whether it is a machine translation and what the original is.',
      args: {
        language: t.arg.string({ required: true, description: '"en" or "es".' }),
        fields: t.arg.stringList({ description: FIELDS_ARG }),
      },
      listSize: { assumedSize: CONTENT_FIELDS.OBJECTIVE.length },
      resolve: (o, { language, fields }, ctx) =>
        contentIn(ctx, 'OBJECTIVE', o.id, { title: o.title }, language, fields),
    }),
    sourceUrl: t.exposeString('sourceUrl', { nullable: true, description: 'Where the city published it.' }),
    notes: t.exposeString('notes', { nullable: true, description: 'Caveats, e.g. a code inferred from initiatives.' }),
    goal: t.relation('goal', { description: 'The goal this objective serves.' }),
    initiatives: t.relation('initiatives', {
      description: 'Initiatives under this objective, in plan order.',
      query: { orderBy: { code: 'asc' } },
    }),
  }),
});

const STATUSES: (StatusValue | null)[] = ['IN_PROGRESS', 'ON_HOLD', 'COMPLETE_ONGOING', null];

function summarize(goal: GoalRow, initiatives: { status: StatusValue | null }[]): GoalStatusSummaryShape {
  return {
    goal,
    total: initiatives.length,
    counts: STATUSES.map((status) => ({ status, count: initiatives.filter((i) => i.status === status).length })),
  };
}

const StatusCount = builder.objectRef<StatusCountShape>('InitiativeStatusCount').implement({
  description: 'How many initiatives have one status.',
  fields: (t) => ({
    status: t.field({
      type: InitiativeStatus,
      nullable: true,
      description: 'The status; null counts initiatives whose status the city has not published.',
      resolve: (c) => c.status,
    }),
    count: t.exposeInt('count', { description: 'Number of initiatives.' }),
  }),
});

const countOf = (s: GoalStatusSummaryShape, status: StatusValue | null) =>
  s.counts.find((c) => c.status === status)?.count ?? 0;

GoalStatusSummary.implement({
  description: "A goal's initiatives counted by status.",
  fields: (t) => ({
    goal: t.field({ type: Goal, description: 'The goal.', resolve: (s) => s.goal }),
    total: t.exposeInt('total', { description: 'All initiatives under the goal.' }),
    inProgress: t.int({ description: 'In Progress.', resolve: (s) => countOf(s, 'IN_PROGRESS') }),
    onHold: t.int({ description: 'On Hold.', resolve: (s) => countOf(s, 'ON_HOLD') }),
    completeOngoing: t.int({ description: 'Complete/Ongoing.', resolve: (s) => countOf(s, 'COMPLETE_ONGOING') }),
    notPublished: t.int({ description: 'No status published yet.', resolve: (s) => countOf(s, null) }),
    counts: t.field({
      type: [StatusCount],
      description: 'Every status with its count (including not published).',
      resolve: (s) => s.counts,
    }),
  }),
});

builder.queryFields((t) => ({
  goals: t.prismaField({
    type: ['Goal'],
    description: 'The strategic plan tree: goals in order, with objectives and initiatives beneath.',
    resolve: (query, _root, _args, ctx) => ctx.prisma.goal.findMany({ ...query, orderBy: { number: 'asc' } }),
  }),
  goal: t.prismaField({
    type: 'Goal',
    nullable: true,
    description: 'A goal by number (1–5).',
    args: { number: t.arg.int({ required: true, description: 'The goal number.' }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.goal.findUnique({ ...query, where: { number: args.number } }),
  }),
  objective: t.prismaField({
    type: 'Objective',
    nullable: true,
    description: 'An objective by plan code, e.g. "3.1".',
    args: { code: t.arg.string({ required: true, description: 'The objective code.' }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.objective.findUnique({ ...query, where: { code: args.code } }),
  }),
  statusSummary: t.field({
    type: [GoalStatusSummary],
    description: 'Initiatives counted by status for every goal (or one goal), as the dashboard shows.',
    args: { goal: t.arg.int({ description: 'Only this goal number.' }) },
    resolve: async (_root, args, ctx) => {
      const goals = await ctx.prisma.goal.findMany({
        where: args.goal == null ? {} : { number: args.goal },
        orderBy: { number: 'asc' },
        include: { initiatives: { select: { status: true } } },
      });
      if (args.goal != null && goals.length === 0) {
        throw badInput(`There is no goal ${args.goal}`, [{ field: 'goal', message: 'Unknown goal number' }]);
      }
      return goals.map((goal) => summarize(goal, goal.initiatives));
    },
  }),
}));
