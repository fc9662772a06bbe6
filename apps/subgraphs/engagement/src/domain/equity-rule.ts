import { actorOf } from '@civic/graphql-kit/actor';
import { inTransaction, parseInput } from '@civic/graphql-kit/write';
import type { IndicatorKey, IndicatorUnit } from '@civic/reference-data/durham-neighborhoods';
import { DEFAULT_EQUITY_RULE } from '@civic/reference-data/neighborhoods';
import { z } from 'zod';
import type { Context } from '../context.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { EquityComparisonEnum } from '../schema/enums.ts';
import { EquityRuleClauseInputRef, EquityRuleConditionInputRef } from '../schema/input-refs.ts';
import { audit } from './audit.ts';
import { inputTable } from './input-rules.ts';

/** The published indicators a rule may name, with their units (what a threshold is checked against). */
export const EQUITY_INDICATORS: Record<IndicatorKey, IndicatorUnit> = {
  sviOverall: 'percentile',
  sviSocioeconomic: 'percentile',
  sviHouseholdDisability: 'percentile',
  sviMinorityLanguage: 'percentile',
  sviHousingTransportation: 'percentile',
  povertyRate: 'share',
  peopleOfColorShare: 'share',
  hispanicShare: 'share',
  blackShare: 'share',
  whiteShare: 'share',
  medianHouseholdIncome: 'usd',
  population: 'people',
};

/** Indicators that also have a column of their own (used when a neighborhood has no `indicators`). */
const COLUMN_INDICATORS = [
  'sviOverall',
  'povertyRate',
  'peopleOfColorShare',
  'hispanicShare',
  'blackShare',
  'whiteShare',
  'medianHouseholdIncome',
  'population',
] as const;

export type EquityComparison = 'AT_LEAST' | 'AT_MOST';

export interface EquityCondition {
  indicator: IndicatorKey;
  comparison: EquityComparison;
  threshold: number;
}

export interface EquityClause {
  key: string;
  conditions: EquityCondition[];
}

/** The documented default: SVI overall ≥ 0.7, or poverty ≥ 0.25 and people of color ≥ 0.6. */
export const DEFAULT_EQUITY_CLAUSES: EquityClause[] = [
  {
    key: 'SVI_OVERALL',
    conditions: [{ indicator: 'sviOverall', comparison: 'AT_LEAST', threshold: DEFAULT_EQUITY_RULE.sviOverallAtLeast }],
  },
  {
    key: 'POVERTY_AND_PEOPLE_OF_COLOR',
    conditions: [
      { indicator: 'povertyRate', comparison: 'AT_LEAST', threshold: DEFAULT_EQUITY_RULE.povertyRateAtLeast },
      {
        indicator: 'peopleOfColorShare',
        comparison: 'AT_LEAST',
        threshold: DEFAULT_EQUITY_RULE.peopleOfColorShareAtLeast,
      },
    ],
  },
];

export const EQUITY_RULE_CONDITION_INPUT = inputTable({
  indicator: {
    field: (t) =>
      t.string({ required: true, description: `A published indicator: ${Object.keys(EQUITY_INDICATORS).join(', ')}.` }),
    schema: z.enum(Object.keys(EQUITY_INDICATORS) as [IndicatorKey, ...IndicatorKey[]], {
      message: `An indicator is one of ${Object.keys(EQUITY_INDICATORS).join(', ')}`,
    }),
  },
  comparison: {
    field: (t) => t.field({ type: EquityComparisonEnum, required: true, description: 'Comparison.' }),
    schema: z.enum(['AT_LEAST', 'AT_MOST']),
  },
  threshold: {
    field: (t) =>
      t.float({
        required: true,
        description: 'Threshold in the indicator’s unit (shares and percentiles 0–1; dollars and people ≥ 0).',
      }),
    schema: z.number().finite({ message: 'A threshold is a finite number' }),
  },
});

const conditionInput = EQUITY_RULE_CONDITION_INPUT.schema.superRefine((c, ctx) => {
  const unit = EQUITY_INDICATORS[c.indicator];
  if ((unit === 'share' || unit === 'percentile') && (c.threshold < 0 || c.threshold > 1)) {
    ctx.addIssue({ code: 'custom', path: ['threshold'], message: `A ${unit} threshold is between 0 and 1` });
  }
  if ((unit === 'usd' || unit === 'people') && c.threshold < 0) {
    ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'A threshold in US dollars or people is ≥ 0' });
  }
});

export const EQUITY_RULE_CLAUSE_INPUT = inputTable({
  key: {
    field: (t) =>
      t.string({ required: true, description: 'Stable name, 1–40 capitals, digits or _, e.g. "SVI_HIGH".' }),
    schema: z
      .string()
      .regex(/^[A-Z][A-Z0-9_]{0,39}$/, { message: 'A clause key is 1–40 capitals, digits or _, e.g. "SVI_HIGH"' }),
  },
  conditions: {
    field: (t) => t.field({ type: [EquityRuleConditionInputRef], required: true, description: '1–6 conditions.' }),
    schema: z
      .array(conditionInput)
      .min(1, { message: 'A clause has at least one condition' })
      .max(6, { message: 'A clause has at most 6 conditions' }),
  },
});

export const EQUITY_PRIORITY_RULE_INPUT = inputTable({
  clauses: {
    field: (t) => t.field({ type: [EquityRuleClauseInputRef], required: true, description: '1–10 clauses.' }),
    schema: z
      .array(EQUITY_RULE_CLAUSE_INPUT.schema)
      .min(1, { message: 'A rule has at least one clause' })
      .max(10, { message: 'A rule has at most 10 clauses' })
      .superRefine((clauses, ctx) => {
        const seen = new Set<string>();
        clauses.forEach((c, i) => {
          if (seen.has(c.key)) ctx.addIssue({ code: 'custom', path: [i, 'key'], message: 'Clause keys are unique' });
          seen.add(c.key);
        });
      }),
  },
  note: {
    field: (t) => t.string({ required: false, description: 'Why (≤ 500 characters).' }),
    schema: z.string().trim().max(500, { message: 'A note is at most 500 characters' }).optional().nullable(),
  },
});
const equityRuleInput = EQUITY_PRIORITY_RULE_INPUT.schema;

export function toStored(row: {
  version: number;
  clauses: unknown;
  note: string | null;
  changedBy: string | null;
  changedAt: Date;
}): StoredEquityRule {
  return { ...row, clauses: row.clauses as EquityClause[] };
}

/**
 * setEquityPriorityRule: stores the rule as a new version and, in the same transaction, recomputes
 * every neighborhood's flag (the facets trigger moves their concerns along) and audits the change.
 */
export async function setEquityPriorityRule(ctx: Context, rawInput: unknown): Promise<StoredEquityRule> {
  const input = parseInput(equityRuleInput, rawInput);
  const clauses: EquityClause[] = input.clauses.map((c) => ({
    key: c.key,
    conditions: c.conditions.map((k) => ({ indicator: k.indicator, comparison: k.comparison, threshold: k.threshold })),
  }));
  return inTransaction(ctx.prisma, async (tx) => {
    const run: RunSql = (text, params) => tx.$queryRawUnsafe(text, ...params);
    // One rule change at a time: the next version number is read under this lock.
    await tx.$executeRawUnsafe('LOCK TABLE "EquityPriorityRule" IN EXCLUSIVE MODE');
    const previous = await tx.equityPriorityRule.findFirst({ orderBy: { version: 'desc' } });
    const row = await tx.equityPriorityRule.create({
      data: {
        version: (previous?.version ?? 0) + 1,
        clauses: clauses as unknown as Prisma.InputJsonValue,
        note: input.note || null,
        changedBy: ctx.identity.subject,
      },
    });
    const moved = await recomputeEquityPriority(run, clauses);
    await audit(tx, actorOf(ctx.identity), [
      {
        action: 'SET_EQUITY_PRIORITY_RULE',
        entity: 'EquityPriorityRule',
        entityId: String(row.version),
        before: { clauses: previous?.clauses ?? DEFAULT_EQUITY_CLAUSES },
        after: { clauses, note: row.note, becamePriority: moved.added, stoppedBeingPriority: moved.removed },
      },
    ]);
    return toStored(row);
  });
}

/** A figure as the rule reads it: the latest value, with what it comes from. */
export interface EquityFigure {
  value: number | null;
  year: number | null;
  vintage: string | null;
  source: string | null;
}

export interface EquityInputsRow {
  indicators?: unknown;
  [column: string]: unknown;
}

export function equityFigure(n: EquityInputsRow, indicator: IndicatorKey): EquityFigure {
  const stored = (n.indicators && typeof n.indicators === 'object' ? n.indicators : {}) as Record<
    string,
    Partial<EquityFigure> | undefined
  >;
  const published = stored[indicator];
  if (published) {
    return {
      value: typeof published.value === 'number' ? published.value : null,
      year: published.year ?? null,
      vintage: published.vintage ?? null,
      source: published.source ?? null,
    };
  }
  const column = (COLUMN_INDICATORS as readonly string[]).includes(indicator) ? n[indicator] : null;
  return { value: typeof column === 'number' ? column : null, year: null, vintage: null, source: null };
}

export interface MetCondition extends EquityCondition, EquityFigure {
  value: number;
}

export interface EquityReason {
  clause: string;
  conditions: MetCondition[];
}

/** The clauses a neighborhood meets, each with the figures that meet it; no figure never meets a condition. */
export function equityReasons(n: EquityInputsRow, clauses: EquityClause[]): EquityReason[] {
  const reasons: EquityReason[] = [];
  for (const clause of clauses) {
    const met: MetCondition[] = [];
    for (const condition of clause.conditions) {
      const figure = equityFigure(n, condition.indicator);
      if (figure.value == null) break;
      const holds =
        condition.comparison === 'AT_LEAST' ? figure.value >= condition.threshold : figure.value <= condition.threshold;
      if (!holds) break;
      met.push({ ...condition, ...figure, value: figure.value });
    }
    if (met.length === clause.conditions.length) reasons.push({ clause: clause.key, conditions: met });
  }
  return reasons;
}

export interface StoredEquityRule {
  /** 0: the documented default (no rule stored yet). */
  version: number;
  clauses: EquityClause[];
  note: string | null;
  changedBy: string | null;
  changedAt: Date | null;
}

/** Runs one SQL statement with positional parameters (a Prisma transaction or an @civic/db client). */
export type RunSql = <Row>(text: string, params: unknown[]) => Promise<Row[]>;

export const DEFAULT_STORED_RULE: StoredEquityRule = {
  version: 0,
  clauses: DEFAULT_EQUITY_CLAUSES,
  note: null,
  changedBy: null,
  changedAt: null,
};

export async function equityRuleHistory(run: RunSql, limit = 1): Promise<StoredEquityRule[]> {
  const rows = await run<{
    version: number;
    clauses: EquityClause[];
    note: string | null;
    changedBy: string | null;
    changedAt: Date | string;
  }>(
    `SELECT "version", "clauses", "note", "changedBy", "changedAt" FROM "EquityPriorityRule" ORDER BY "version" DESC LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({
    ...r,
    changedAt: r.changedAt instanceof Date ? r.changedAt : new Date(`${r.changedAt}Z`),
  }));
}

export async function currentEquityRule(run: RunSql): Promise<StoredEquityRule> {
  return (await equityRuleHistory(run, 1))[0] ?? DEFAULT_STORED_RULE;
}

/**
 * Sets every neighborhood's stored `equityPriority` flag from the rule (the facets trigger moves
 * their concerns' search facets with it). Run inside the transaction that changed the rule or the
 * figures. Returns the ids of neighborhoods that became, and that stopped being, priority areas.
 */
export async function recomputeEquityPriority(
  run: RunSql,
  clauses: EquityClause[],
): Promise<{ added: string[]; removed: string[] }> {
  const rows = await run<EquityInputsRow & { id: string; equityPriority: boolean }>(
    `SELECT "id", "equityPriority", ${COLUMN_INDICATORS.map((c) => `"${c}"`).join(', ')},
       (SELECT jsonb_object_agg(e.k, e.v - 'series' - 'method')
          FROM jsonb_each(CASE WHEN jsonb_typeof("indicators") = 'object' THEN "indicators" ELSE '{}'::jsonb END) AS e(k, v)
       ) AS "indicators"
     FROM "Neighborhood"`,
    [],
  );
  const added: string[] = [];
  const removed: string[] = [];
  for (const n of rows) {
    const priority = equityReasons(n, clauses).length > 0;
    if (priority && !n.equityPriority) added.push(n.id);
    if (!priority && n.equityPriority) removed.push(n.id);
  }
  if (added.length + removed.length > 0) {
    await run(
      `UPDATE "Neighborhood" SET "equityPriority" = NOT "equityPriority"
       WHERE "id" IN (SELECT jsonb_array_elements_text($1::jsonb))`,
      [JSON.stringify([...added, ...removed])],
    );
  }
  return { added, removed };
}
