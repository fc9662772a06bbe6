import { DEPARTMENTS } from '@civic/reference-data/departments';
import { stableId } from '@civic/reference-data/stable-id';
import { loadStrategicPlan } from '@civic/reference-data/strategic-plan';
import {
  pick,
  prng,
  SYNTHETIC_EPOCH,
  SYNTHETIC_WORDS,
  syntheticCounts,
  syntheticId,
  syntheticInitiativeId,
} from '@civic/reference-data/synthetic';
import { bulkInsert, type ScaleSeeder } from '@civic/server-kit/seed-command';
import { THEME_CODES } from '@civic/taxonomy/themes';

const ACTOR = 'seed:synthetic';
const STATUSES = ['IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'ON_HOLD', 'COMPLETE_ONGOING'] as const;
const MEASURE_NAMES = [
  'Residents served',
  'Requests closed',
  'Projects completed',
  'Response time (days)',
  'Share on target',
];

/** Initiatives' part of `civic seed --scale N`: the plan's goals and objectives, then synthetic initiatives. */
export const initiativesScaleSeed: ScaleSeeder = {
  tables: ['AuditEntry', 'Observation', 'Measure', 'InitiativeStatusChange', 'Initiative', 'Objective', 'Goal'],
  total(scale) {
    const plan = loadStrategicPlan();
    const c = syntheticCounts(scale);
    const objectives = plan.goals.reduce((n, g) => n + g.objectives.length, 0);
    return (
      plan.goals.length + objectives + c.initiatives * (2 + c.measuresPerInitiative * (1 + c.observationsPerMeasure))
    );
  },
  async run({ sql, scale, inserted }) {
    const plan = loadStrategicPlan();
    const counts = syntheticCounts(scale);
    const random = prng('initiatives');
    const goals = plan.goals.map((g) => ({
      id: stableId('goal', String(g.number)),
      number: g.number,
      title: g.title,
      statement: g.statement,
      sourceUrl: g.sourceUrl ?? null,
    }));
    await bulkInsert(
      sql,
      'Goal',
      [
        ['id', 'text'],
        ['number', 'int'],
        ['title', 'text'],
        ['statement', 'text'],
        ['sourceUrl', 'text'],
      ],
      goals,
      inserted,
    );
    const objectives = plan.goals.flatMap((g) =>
      g.objectives.map((o) => ({
        id: stableId('objective', o.code),
        code: o.code,
        title: o.title,
        goalId: stableId('goal', String(g.number)),
        sourceUrl: o.sourceUrl ?? null,
      })),
    );
    await bulkInsert(
      sql,
      'Objective',
      [
        ['id', 'text'],
        ['code', 'text'],
        ['title', 'text'],
        ['goalId', 'text'],
        ['sourceUrl', 'text'],
      ],
      objectives,
      inserted,
    );

    const initiatives = [];
    const history = [];
    const measures = [];
    const observations = [];
    const createdAt = new Date(SYNTHETIC_EPOCH).toISOString();
    for (let i = 0; i < counts.initiatives; i++) {
      const objective = objectives[i % objectives.length];
      const theme = pick(random, THEME_CODES);
      const words = SYNTHETIC_WORDS[theme] ?? ['service'];
      const status = pick(random, STATUSES);
      const id = syntheticInitiativeId(i);
      initiatives.push({
        id,
        code: `${objective?.code}.S${i}`,
        title: `Improve ${pick(random, words)} and ${pick(random, words)} (synthetic ${i})`,
        description: `A synthetic initiative about ${words.join(', ')}.`,
        status,
        goalId: objective?.goalId,
        objectiveId: objective?.id,
        leadDepartmentId: pick(random, DEPARTMENTS).id,
        partnerDepartmentIds: random() < 0.3 ? [pick(random, DEPARTMENTS).id] : [],
        themes: [theme],
        startDate: '2024-07-01',
        targetDate: '2028-06-30',
        whyItMatters: `Residents raised ${words[0]} in many conversations.`,
        createdAt,
        updatedAt: createdAt,
      });
      history.push({
        id: syntheticId('initiative-status', i),
        initiativeId: id,
        status,
        changedBy: ACTOR,
        changedAt: createdAt,
      });
      for (let m = 0; m < counts.measuresPerInitiative; m++) {
        const measureId = syntheticId('measure', i * counts.measuresPerInitiative + m);
        const base = 10 + Math.floor(random() * 500);
        measures.push({
          id: measureId,
          initiativeId: id,
          position: m,
          name: pick(random, MEASURE_NAMES),
          unit: 'count',
          direction: 'UP_IS_BETTER',
          valueType: 'COUNT',
          target: base * 2,
          frequency: 'MONTHLY',
          createdAt,
          updatedAt: createdAt,
        });
        for (let o = 0; o < counts.observationsPerMeasure; o++) {
          observations.push({
            id: syntheticId('observation', (i * counts.measuresPerInitiative + m) * counts.observationsPerMeasure + o),
            measureId,
            period: `2025-${String(12 - counts.observationsPerMeasure + o + 1).padStart(2, '0')}`,
            segment: '',
            value: base + Math.floor(random() * 50) * o,
            recordedBy: ACTOR,
            createdAt,
            updatedAt: createdAt,
          });
        }
      }
    }
    await bulkInsert(
      sql,
      'Initiative',
      [
        ['id', 'text'],
        ['code', 'text'],
        ['title', 'text'],
        ['description', 'text'],
        ['status', 'text', '"InitiativeStatus"'],
        ['goalId', 'text'],
        ['objectiveId', 'text'],
        ['leadDepartmentId', 'text'],
        ['partnerDepartmentIds', 'text[]'],
        ['themes', 'text[]'],
        ['startDate', 'date'],
        ['targetDate', 'date'],
        ['whyItMatters', 'text'],
        ['createdAt', 'timestamp(3)'],
        ['updatedAt', 'timestamp(3)'],
      ],
      initiatives,
      inserted,
    );
    await bulkInsert(
      sql,
      'InitiativeStatusChange',
      [
        ['id', 'text'],
        ['initiativeId', 'text'],
        ['status', 'text', '"InitiativeStatus"'],
        ['changedBy', 'text'],
        ['changedAt', 'timestamp(3)'],
      ],
      history,
      inserted,
    );
    await bulkInsert(
      sql,
      'Measure',
      [
        ['id', 'text'],
        ['initiativeId', 'text'],
        ['position', 'int'],
        ['name', 'text'],
        ['unit', 'text'],
        ['direction', 'text', '"MeasureDirection"'],
        ['valueType', 'text', '"MeasureValueType"'],
        ['target', 'float8'],
        ['frequency', 'text', '"MeasureFrequency"'],
        ['createdAt', 'timestamp(3)'],
        ['updatedAt', 'timestamp(3)'],
      ],
      measures,
      inserted,
    );
    await bulkInsert(
      sql,
      'Observation',
      [
        ['id', 'text'],
        ['measureId', 'text'],
        ['period', 'text'],
        ['segment', 'text'],
        ['value', 'float8'],
        ['recordedBy', 'text'],
        ['createdAt', 'timestamp(3)'],
        ['updatedAt', 'timestamp(3)'],
      ],
      observations,
      inserted,
    );
    return {
      goals: goals.length,
      objectives: objectives.length,
      initiatives: initiatives.length,
      initiativeStatusChanges: history.length,
      measures: measures.length,
      observations: observations.length,
    };
  },
};
