import { parseInput } from '@civic/graphql-kit/write';
import { badInput } from '@civic/server-kit/errors';
import type { ThemeCode } from '@civic/taxonomy/themes';
import { builder } from '../builder.ts';
import { monthBound } from '../domain/input-rules.ts';
import { publicConcernSql } from '../domain/visibility.ts';
import { Neighborhood } from './neighborhood.ts';
import { Theme } from './scalars.ts';

interface GapRow {
  neighborhoodId: string | null;
  theme: string | null;
  concerns: number;
  support: number;
  equityPriority: boolean;
}

const EquityGap = builder.objectRef<GapRow>('EquityGap').implement({
  description: 'Published concerns of one neighborhood and theme that nothing is aligned with yet.',
  fields: (t) => ({
    neighborhood: t.field({
      type: Neighborhood,
      nullable: true,
      description: 'The neighborhood (null for concerns with none).',
      resolve: (r, _args, ctx) => (r.neighborhoodId ? ctx.loaders.neighborhood.load(r.neighborhoodId) : null),
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
  equityGapReport: t.field({
    type: [EquityGap],
    description:
      'Published, accepted concerns without an aligned initiative or resource, counted by neighborhood and theme (a concern counts once per theme); equity-priority areas first, then the largest gaps.',
    args: { ward: t.arg.int({ required: false, description: 'Only this council ward.' }) },
    resolve: (_root, args, ctx) => {
      const ward = args.ward ?? null;
      return ctx.prisma.$queryRaw<GapRow[]>`
        SELECT c."neighborhoodId", t.theme, count(*)::int AS concerns,
               coalesce(sum(c."supportCount"), 0)::int AS support,
               coalesce(bool_or(n."equityPriority"), false) AS "equityPriority"
        FROM "Concern" c
        LEFT JOIN "Neighborhood" n ON n."id" = c."neighborhoodId"
        LEFT JOIN LATERAL unnest(c."themes") AS t(theme) ON true
        WHERE ${publicConcernSql('c')}
          AND NOT EXISTS (SELECT 1 FROM "Alignment" a WHERE a."concernId" = c."id")
          AND (${ward}::int IS NULL OR n."ward" = ${ward}::int)
        GROUP BY c."neighborhoodId", n."name", t.theme
        ORDER BY "equityPriority" DESC, concerns DESC, n."name" ASC NULLS LAST, t.theme ASC NULLS LAST`;
    },
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
