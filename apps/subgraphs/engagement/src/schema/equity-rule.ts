import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import {
  DEFAULT_EQUITY_CLAUSES,
  EQUITY_INDICATORS,
  EQUITY_PRIORITY_RULE_INPUT,
  EQUITY_RULE_CLAUSE_INPUT,
  EQUITY_RULE_CONDITION_INPUT,
  type EquityClause,
  type EquityCondition,
  type StoredEquityRule,
  setEquityPriorityRule,
  toStored,
} from '../domain/equity-rule.ts';
import { EquityComparisonEnum } from './enums.ts';
import { EquityRuleClauseInputRef, EquityRuleConditionInputRef } from './input-refs.ts';

/** A rule as text whatever the key order (JSONB reorders an object's keys). */
function canonical(clauses: EquityClause[]): string {
  return JSON.stringify(clauses.map((c) => [c.key, c.conditions.map((k) => [k.indicator, k.comparison, k.threshold])]));
}

/** The current rule, read once per request (the stored one, else the documented default). */
export function currentRuleFor(ctx: Context): Promise<StoredEquityRule> {
  return ctx.loaders.equityRule.load('current');
}

const EquityRuleCondition = builder.objectRef<EquityCondition>('EquityRuleCondition').implement({
  description: 'One condition of a clause: a published indicator compared with a threshold.',
  fields: (t) => ({
    indicator: t.exposeString('indicator', { description: 'The indicator’s key (see NeighborhoodIndicator.key).' }),
    comparison: t.field({ type: EquityComparisonEnum, description: 'Comparison.', resolve: (c) => c.comparison }),
    threshold: t.exposeFloat('threshold', { description: 'Threshold, in the indicator’s unit.' }),
    unit: t.string({
      description: 'The indicator’s unit: share (0–1), percentile (0–1), usd or people.',
      resolve: (c) => EQUITY_INDICATORS[c.indicator],
    }),
  }),
});

const EquityRuleClause = builder.objectRef<EquityClause>('EquityRuleClause').implement({
  description: 'A clause of the rule: it holds when all of its conditions hold (a missing figure never holds).',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'Stable name of the clause, e.g. "SVI_OVERALL".' }),
    conditions: t.field({ type: [EquityRuleCondition], description: 'Conditions.', resolve: (c) => c.conditions }),
  }),
});

const EquityRuleVersion = builder.objectRef<StoredEquityRule>('EquityPriorityRuleVersion').implement({
  description: 'One version of the equity-priority rule.',
  fields: (t) => ({
    version: t.exposeInt('version', { description: 'Version number (0: the documented default, never set).' }),
    clauses: t.field({
      type: [EquityRuleClause],
      description: 'A neighborhood is an equity-priority area when any clause holds.',
      resolve: (r) => r.clauses,
    }),
    note: t.exposeString('note', { nullable: true, description: 'Why the rule was set this way.' }),
    changedBy: t.exposeString('changedBy', {
      nullable: true,
      description: 'The administrator who set it (null for the default).',
    }),
    changedAt: t.expose('changedAt', { type: 'DateTime', nullable: true, description: 'When it was set.' }),
  }),
});

interface RuleView extends StoredEquityRule {
  history: StoredEquityRule[];
  priorityAreas: number;
}

const EquityRule = builder.objectRef<RuleView>('EquityPriorityRule').implement({
  description:
    'The equity-priority rule: which neighborhoods are equity-priority areas, from thresholds on their published indicators. An administrator sets it with `setEquityPriorityRule`; every stored flag, the gap report, the concern filters, the open data and the map follow it.',
  fields: (t) => ({
    version: t.exposeInt('version', { description: 'Current version (0: the documented default, never set).' }),
    clauses: t.field({
      type: [EquityRuleClause],
      description: 'A neighborhood is an equity-priority area when any clause holds.',
      resolve: (r) => r.clauses,
    }),
    note: t.exposeString('note', { nullable: true, description: 'Why the rule was set this way.' }),
    changedBy: t.exposeString('changedBy', {
      nullable: true,
      description: 'The administrator who set it (null while the default applies).',
    }),
    changedAt: t.expose('changedAt', { type: 'DateTime', nullable: true, description: 'When it was set.' }),
    isDefault: t.boolean({
      description: 'Whether the rule is the documented default.',
      resolve: (r) => canonical(r.clauses) === canonical(DEFAULT_EQUITY_CLAUSES),
    }),
    defaultClauses: t.field({
      type: [EquityRuleClause],
      description:
        'The documented default: SVI overall ≥ 0.7 (SVI_OVERALL), or poverty rate ≥ 0.25 and people-of-color share ≥ 0.6 (POVERTY_AND_PEOPLE_OF_COLOR).',
      resolve: () => DEFAULT_EQUITY_CLAUSES,
    }),
    indicators: t.stringList({
      description: 'The indicator keys a clause may name.',
      resolve: () => Object.keys(EQUITY_INDICATORS),
    }),
    priorityAreas: t.exposeInt('priorityAreas', { description: 'Neighborhoods the rule marks as priority areas.' }),
    history: t.field({
      type: [EquityRuleVersion],
      description: 'Every version set so far, newest first (the current one included).',
      resolve: (r) => r.history,
    }),
  }),
});

async function ruleView(ctx: Context): Promise<RuleView> {
  const [rule, rows, priorityAreas] = await Promise.all([
    currentRuleFor(ctx),
    ctx.prisma.equityPriorityRule.findMany({ orderBy: { version: 'desc' }, take: 100 }),
    ctx.prisma.neighborhood.count({ where: { equityPriority: true } }),
  ]);
  return { ...rule, history: rows.map(toStored), priorityAreas };
}

EquityRuleConditionInputRef.implement({
  description: 'A condition: an indicator compared with a threshold.',
  fields: (t) => EQUITY_RULE_CONDITION_INPUT.fields(t),
});
EquityRuleClauseInputRef.implement({
  description: 'A clause: it holds when all of its conditions hold.',
  fields: (t) => EQUITY_RULE_CLAUSE_INPUT.fields(t),
});
const RuleInput = builder.inputType('EquityPriorityRuleInput', {
  description: 'A new equity-priority rule: a neighborhood is a priority area when any clause holds.',
  fields: (t) => EQUITY_PRIORITY_RULE_INPUT.fields(t),
});

builder.queryFields((t) => ({
  equityPriorityRule: t.field({
    type: EquityRule,
    description: 'The current equity-priority rule, who set it and when, its history and the documented default.',
    resolve: (_root, _args, ctx) => ruleView(ctx),
  }),
}));

builder.mutationFields((t) => ({
  setEquityPriorityRule: t.field({
    type: EquityRule,
    authScopes: { admin: true },
    description:
      'Administrators: replace the equity-priority rule. Every neighborhood’s flag (and its concerns’ filters) is recomputed in the same transaction; the change is audited. An invalid rule is refused with BAD_USER_INPUT and nothing changes.',
    args: { input: t.arg({ type: RuleInput, required: true, description: 'The rule.' }) },
    resolve: async (_root, args, ctx) => {
      const stored = await setEquityPriorityRule(ctx, args.input);
      ctx.loaders.equityRule.clear('current').prime('current', stored);
      return ruleView(ctx);
    },
  }),
}));
