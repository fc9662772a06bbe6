import { parseInput } from '@civic/graphql-kit/write';
import { badInput } from '@civic/server-kit/errors';
import type { ThemeCode } from '@civic/taxonomy/themes';
import { builder } from '../builder.ts';
import {
  type ACCOUNTABILITY_GROUPINGS,
  type AccountabilityReport,
  type AccountabilityRow,
  accountabilityReport,
  RESPONSE_WINDOW_DAYS,
  shareAnsweredWithinWindow,
} from '../domain/accountability.ts';
import { equityGapReport, type GapRow } from '../domain/equity-gap.ts';
import { monthBound } from '../domain/input-rules.ts';
import { heavyColumnsNotAsked, Neighborhood } from './neighborhood.ts';
import { Theme } from './scalars.ts';

/** Owned by resources: the active services of a theme covering a neighborhood, keyed "<neighborhood id>:<theme>". */
const NeighborhoodThemeCoverage = builder
  .externalRef('NeighborhoodThemeCoverage', builder.selection<{ id: string }>('id'))
  .implement({
    description: 'The active services of a theme covering a neighborhood (owned by the resources subgraph).',
    fields: (t) => ({
      id: t.exposeID('id', { description: 'The key: "<neighborhood id>:<theme>".' }),
    }),
  });

const EquityGap = builder.objectRef<GapRow>('EquityGap').implement({
  description: 'Published concerns of one neighborhood and theme that nothing is aligned with yet.',
  fields: (t) => ({
    neighborhood: t.field({
      type: Neighborhood,
      nullable: true,
      description: 'The neighborhood (null for concerns with none).',
      resolve: (r) => r.neighborhood,
    }),
    theme: t.field({
      type: Theme,
      nullable: true,
      description: 'The theme (null for concerns without one).',
      resolve: (r) => r.theme as ThemeCode | null,
    }),
    equityPriority: t.exposeBoolean('equityPriority', { description: 'Whether it is an equity-priority area.' }),
    unalignedConcerns: t.exposeInt('concerns', { description: 'Concerns with no aligned initiative or resource.' }),
    supportCount: t.exposeInt('support', { description: 'Their total support.' }),
    serviceCoverage: t.field({
      type: NeighborhoodThemeCoverage,
      nullable: true,
      description:
        'The active services of this theme whose area covers this neighborhood, by geometry (resources); activeServiceCount 0 with concerns is the equity gap. Null for the rows with no neighborhood or no theme. All rows are resolved in one batch.',
      resolve: (r) => (r.neighborhood && r.theme ? { id: `${r.neighborhood.id}:${r.theme}` } : null),
    }),
  }),
});

const AccountabilityGroupingEnum = builder.enumType('AccountabilityGrouping', {
  description: 'What a row of the accountability report counts.',
  values: {
    CITYWIDE: { description: 'Every published concern.' },
    NEIGHBORHOOD: { description: 'The concerns of one neighborhood (or of none: citywide concerns).' },
    EQUITY_PRIORITY: { description: 'The concerns of equity-priority areas, or of all other areas and none.' },
    LANGUAGE: { description: 'The concerns raised in one language.' },
  } satisfies Record<(typeof ACCOUNTABILITY_GROUPINGS)[number], { description: string }>,
});

const AccountabilityFigures = builder.objectRef<AccountabilityRow>('AccountabilityFigures').implement({
  description:
    'How long published concerns waited for the city. A concern is first heard on the day its conversation was held (when it was recorded, without a conversation); its first public response is its first status change away from NEW (every status change is on the public timeline with its note; the automatic ALIGNED of a first alignment carries the alignment’s public rationale). Days are fractional, never negative.',
  fields: (t) => ({
    grouping: t.field({
      type: AccountabilityGroupingEnum,
      description: 'What the row counts.',
      resolve: (r) => r.grouping,
    }),
    neighborhood: t.field({
      type: Neighborhood,
      nullable: true,
      description: 'NEIGHBORHOOD rows: the neighborhood; null for the row of concerns with none (citywide concerns).',
      resolve: (r, _args, ctx, info) =>
        r.neighborhoodId ? ctx.loaders.neighborhood(heavyColumnsNotAsked(info)).load(r.neighborhoodId) : null,
    }),
    equityPriority: t.boolean({
      nullable: true,
      description:
        'EQUITY_PRIORITY rows: true for equity-priority areas, false for all other concerns (other areas and none).',
      resolve: (r) => r.equityPriority,
    }),
    language: t.string({
      nullable: true,
      description: 'LANGUAGE rows: the BCP-47 language the concerns were raised in.',
      resolve: (r) => r.language,
    }),
    concerns: t.exposeInt('concerns', { description: 'Published concerns counted.' }),
    answered: t.exposeInt('answered', { description: 'Of them, those with a first public response.' }),
    addressed: t.exposeInt('addressed', { description: 'Of them, those marked ADDRESSED at least once.' }),
    medianDaysToFirstResponse: t.float({
      nullable: true,
      description: 'Median days from first hearing to first public response, over the answered ones (null: none).',
      resolve: (r) => r.medianDaysToFirstResponse,
    }),
    medianDaysToAddressed: t.float({
      nullable: true,
      description: 'Median days from first hearing to ADDRESSED, over the addressed ones (null: none).',
      resolve: (r) => r.medianDaysToAddressed,
    }),
    concernsDueWithin30Days: t.exposeInt('dueWithinWindow', {
      description: `Concerns first heard at least ${RESPONSE_WINDOW_DAYS} days ago (their ${RESPONSE_WINDOW_DAYS} days have run out).`,
    }),
    answeredWithin30Days: t.exposeInt('answeredWithinWindow', {
      description: `Of those, the ones with a first public response within ${RESPONSE_WINDOW_DAYS} days of first hearing.`,
    }),
    shareAnsweredWithin30Days: t.float({
      nullable: true,
      description: `answeredWithin30Days / concernsDueWithin30Days, 0–1 (null when no concern is ${RESPONSE_WINDOW_DAYS} days old).`,
      resolve: (r) => shareAnsweredWithinWindow(r),
    }),
  }),
});

const AccountabilityReportRef = builder.objectRef<AccountabilityReport>('AccountabilityReport').implement({
  description: 'Response times of published concerns, citywide and by neighborhood, equity priority and language.',
  fields: (t) => ({
    citywide: t.field({
      type: AccountabilityFigures,
      description: 'Every published concern.',
      resolve: (r) => r.citywide,
    }),
    byNeighborhood: t.field({
      type: [AccountabilityFigures],
      description: 'One row per neighborhood with published concerns, and one (neighborhood null) for those with none.',
      resolve: (r) => r.byNeighborhood,
    }),
    byEquityPriority: t.field({
      type: [AccountabilityFigures],
      description: 'Equity-priority areas first, then all other concerns (rows only where there are concerns).',
      resolve: (r) => r.byEquityPriority,
    }),
    byLanguage: t.field({
      type: [AccountabilityFigures],
      description: 'One row per language concerns were raised in, by language tag.',
      resolve: (r) => r.byLanguage,
    }),
  }),
});

interface MonthRow {
  month: string;
  published: number;
}

const ConversationMonth = builder.objectRef<MonthRow>('ConversationMonth').implement({
  description: 'Published conversations held in one month.',
  fields: (t) => ({
    month: t.exposeString('month', { description: 'The month, "YYYY-MM".' }),
    published: t.exposeInt('published', { description: 'Published conversations held in it.' }),
  }),
});

function nextMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

builder.queryFields((t) => ({
  accountabilityReport: t.field({
    type: AccountabilityReportRef,
    description:
      'Accountability figures: how long published concerns waited for a first public response and for ADDRESSED, and the share answered within 30 days, citywide and by neighborhood, equity priority and language (one query; public data only).',
    resolve: (_root, _args, ctx) => accountabilityReport(ctx.prisma),
  }),
  equityGapReport: t.field({
    type: [EquityGap],
    description:
      'Published, accepted concerns without an aligned initiative or resource, counted by neighborhood and theme (a concern counts once per theme); equity-priority areas first, then the largest gaps.',
    args: { ward: t.arg.int({ required: false, description: 'Only this council ward.' }) },
    resolve: (_root, args, ctx, info) =>
      equityGapReport(ctx.prisma, args.ward ?? null, heavyColumnsNotAsked(info, ['neighborhood'])),
  }),
  conversationStats: t.field({
    type: [ConversationMonth],
    description:
      'Published conversations by the month they were held (feeds the "Community Conversations Uploaded" measure). Months between the first and last (or from and to) are all listed, empty ones with 0.',
    args: {
      from: t.arg.string({ required: false, description: 'First month, "YYYY-MM" (inclusive).' }),
      to: t.arg.string({ required: false, description: 'Last month, "YYYY-MM" (inclusive).' }),
    },
    resolve: async (_root, args, ctx) => {
      const from = args.from == null ? null : parseInput(monthBound, args.from, 'from');
      const to = args.to == null ? null : parseInput(monthBound, args.to, 'to');
      if (from && to && from > to) throw badInput('from is after to', [{ field: 'from', message: 'after to' }]);
      const rows = await ctx.prisma.$queryRaw<MonthRow[]>`
        SELECT to_char(c."heldOn", 'YYYY-MM') AS month, count(*)::int AS published
        FROM "Conversation" c
        WHERE c."status" = 'PUBLISHED'
          AND (${from}::text IS NULL OR to_char(c."heldOn", 'YYYY-MM') >= ${from}::text)
          AND (${to}::text IS NULL OR to_char(c."heldOn", 'YYYY-MM') <= ${to}::text)
        GROUP BY 1 ORDER BY 1`;
      const first = from ?? rows[0]?.month;
      const last = to ?? rows.at(-1)?.month;
      if (!first || !last) return [];
      const counts = new Map(rows.map((r) => [r.month, r.published]));
      const months: MonthRow[] = [];
      for (let m = first; m <= last && months.length < 1200; m = nextMonth(m)) {
        months.push({ month: m, published: counts.get(m) ?? 0 });
      }
      return months;
    },
  }),
}));
