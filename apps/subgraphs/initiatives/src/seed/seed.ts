import { departmentBySlug } from '@civic/reference-data/departments';
import { stableId } from '@civic/reference-data/stable-id';
import {
  loadStrategicPlan,
  type PlanGoal,
  type PlanInitiative,
  type PlanMeasure,
} from '@civic/reference-data/strategic-plan';
import type { Logger } from '@civic/server-kit/logger';
import { suggestThemes } from '@civic/taxonomy/themes';
import type { InitiativesPrisma } from '../db.ts';
import { sourceHash } from '../domain/content-translations.ts';
import type { MeasureDirection, MeasureValueType, Prisma } from '../generated/prisma/client.ts';
import { MEASURE_UNITS_ES, MEASURE_UNITS_ES_AUTHOR } from './measure-units-es.ts';

/** Fields of the plan file the shared loader's types leave out. */
type Goal = PlanGoal & { summary?: { why?: string | null } | null; notes?: string };
type Initiative = PlanInitiative & { relatedFacts?: Prisma.InputJsonValue[] };
interface RelatedFact {
  label: string;
  value: number;
  unit?: string | null;
  period?: string | null;
  sourceUrl?: string | null;
}

/**
 * DEMO ASSIGNMENT: the published plan does not name lead or partner departments; these follow
 * each initiative's subject so that department-scoped editing can be tried (see README).
 */
const DEMO_LEAD_BY_OBJECTIVE: Record<string, string> = {
  '1.1': 'economic-workforce-development',
  '1.2': 'economic-workforce-development',
  '1.3': 'community-development',
  '2.1': 'community-safety',
  '2.2': 'police',
  '2.3': 'fire',
  '3.1': 'communications-marketing',
  '3.2': 'equity-inclusion',
  '3.3': 'neighborhood-improvement-services',
  '4.1': 'transportation',
  '4.2': 'general-services',
  '5.2': 'sustainability',
};

/** DEMO ASSIGNMENT, as above. */
const DEMO_PARTNERS_BY_INITIATIVE: Record<string, string[]> = {
  '2.21': ['fire', 'community-safety'],
  '3.13': ['technology-solutions', 'equity-inclusion'],
  '3.21': ['community-development'],
  '3.22': ['community-development'],
  '3.31': ['parks-recreation'],
  '4.11': ['human-resources'],
  '4.12': ['human-resources'],
  '5.22': ['water-management'],
};

/**
 * DEMO ASSIGNMENT: the plan does not state which way its measures should move; these are the
 * evident readings of the measure names (others stay null, so their trend is UNKNOWN).
 */
const DEMO_DIRECTION: Record<string, MeasureDirection> = {
  'Microbusiness Graduation': 'UP_IS_BETTER',
  'Youth Works Participants': 'UP_IS_BETTER',
  'NC Training 2 Work Program': 'UP_IS_BETTER',
  'Youth Diagnosed with Anxiety or Depression': 'DOWN_IS_BETTER',
  'Joint Community Safety Events': 'UP_IS_BETTER',
  'Tutoring Program': 'UP_IS_BETTER',
  'Public Safety Vacancy Rates': 'DOWN_IS_BETTER',
  'Engaged City Attendees': 'UP_IS_BETTER',
  'Decision Making Opportunities for Youth': 'UP_IS_BETTER',
  'Community Conversations Uploaded': 'UP_IS_BETTER',
  'Completed Minor Repair Projects': 'UP_IS_BETTER',
  'Rental Units Created': 'UP_IS_BETTER',
  'Full-time Employee Turnover': 'DOWN_IS_BETTER',
  'Underutilized Business Enterprise (UBE)': 'UP_IS_BETTER',
  'Durham County Emissions by Source (MT CO2e)': 'DOWN_IS_BETTER',
};

/** The measure the engagement subgraph feeds: published conversations per month. */
export const AUTOMATIC_MEASURE = { initiative: '3.13', name: 'Community Conversations Uploaded' } as const;

/** The plan runs FY2024–FY2026 (adopted June 20, 2023); Durham's fiscal year starts July 1. */
const PLAN_START = new Date('2023-07-01T00:00:00Z');
const PLAN_END = new Date('2026-06-30T00:00:00Z');

function valueTypeOf(measure: PlanMeasure): MeasureValueType {
  const unit = measure.unit?.toLowerCase() ?? '';
  if (unit.startsWith('percent')) return 'PERCENT';
  const whole = measure.observations.every((o) => Number.isInteger(o.value) && o.value >= 0);
  return unit && !unit.includes('co2e') && whole ? 'COUNT' : 'NUMBER';
}

function isMonthly(measure: PlanMeasure): boolean {
  return measure.observations.length > 1 && measure.observations.every((o) => /^\d{4}-\d{2}$/.test(o.period ?? ''));
}

/** Observations that share a period are a breakdown (by group or site); their label names the segment. */
function segmentsOf(measure: PlanMeasure): string[] {
  return measure.observations.map((o) => {
    const shared = o.period != null && measure.observations.filter((x) => x.period === o.period).length > 1;
    return shared ? (o.label ?? '') : '';
  });
}

function relatedFacts(initiative: Initiative): Prisma.InputJsonValue {
  return ((initiative.relatedFacts ?? []) as unknown as RelatedFact[]).map((f) => ({
    label: f.label,
    value: f.value,
    unit: f.unit ?? null,
    period: f.period ?? null,
    sourceUrl: f.sourceUrl ?? null,
  }));
}

export async function seedDemo(prisma: InitiativesPrisma, logger: Logger): Promise<void> {
  const plan = loadStrategicPlan();
  const counts = { initiatives: 0, measures: 0, observations: 0, spanishUnits: 0 };
  await prisma.$transaction(
    async (tx) => {
      for (const goal of plan.goals as Goal[]) {
        const createdGoal = await tx.goal.create({
          data: {
            number: goal.number,
            title: goal.title,
            statement: goal.statement,
            why: goal.summary?.why ?? null,
            sourceUrl: goal.sourceUrl ?? null,
            notes: goal.notes ?? null,
          },
        });
        for (const objective of goal.objectives) {
          const createdObjective = await tx.objective.create({
            data: {
              code: objective.code,
              title: objective.title,
              goalId: createdGoal.id,
              sourceUrl: objective.sourceUrl ?? null,
              notes: objective.notes ?? null,
            },
          });
          const lead = DEMO_LEAD_BY_OBJECTIVE[objective.code];
          for (const initiative of objective.initiatives as Initiative[]) {
            const leadId = lead ? departmentBySlug(lead).id : null;
            const summary = initiative.summary ?? {};
            const created = await tx.initiative.create({
              data: {
                // Other subgraphs' seeds refer to plan initiatives by this id (see README).
                id: stableId('initiative', initiative.code),
                code: initiative.code,
                title: initiative.title,
                description: summary.description ?? null,
                status: initiative.status,
                goalId: createdGoal.id,
                objectiveId: createdObjective.id,
                leadDepartmentId: leadId,
                partnerDepartmentIds: (DEMO_PARTNERS_BY_INITIATIVE[initiative.code] ?? [])
                  .map((slug) => departmentBySlug(slug).id)
                  .filter((id) => id !== leadId),
                themes: suggestThemes(`${initiative.title} ${summary.description ?? ''}`),
                startDate: PLAN_START,
                targetDate: PLAN_END,
                whyItMatters: summary.why ?? null,
                whatWeHaveBeenDoing: summary.doing ?? null,
                whatsNext: summary.next ?? null,
                sourceUrl: initiative.sourceUrl,
                otherSourceUrls: initiative.otherSourceUrls ?? [],
                relatedFacts: relatedFacts(initiative),
                notes: initiative.notes ?? null,
              },
            });
            counts.initiatives++;
            if (initiative.status) {
              await tx.initiativeStatusChange.create({
                data: {
                  initiativeId: created.id,
                  status: initiative.status,
                  note: initiative.notes ?? 'As published on the strategic plan dashboard.',
                  changedBy: 'import:strategic-plan',
                },
              });
            }
            for (const [position, measure] of initiative.measures.entries()) {
              const automatic =
                initiative.code === AUTOMATIC_MEASURE.initiative && measure.name === AUTOMATIC_MEASURE.name;
              const segments = segmentsOf(measure);
              const createdMeasure = await tx.measure.create({
                data: {
                  initiativeId: created.id,
                  position,
                  name: measure.name,
                  unit: measure.unit,
                  note: measure.note ?? null,
                  valueType: valueTypeOf(measure),
                  direction: measure.name ? (DEMO_DIRECTION[measure.name] ?? null) : null,
                  frequency: isMonthly(measure) ? 'MONTHLY' : null,
                  automaticSource: automatic ? 'ENGAGEMENT_PUBLISHED_CONVERSATIONS' : null,
                  observations: {
                    create: measure.observations.map((o, i) => ({
                      period: o.period,
                      label: o.label ?? null,
                      segment: segments[i] ?? '',
                      value: o.value,
                      periodInferred: o.periodInferred ?? false,
                      sourceUrl: o.sourceUrl ?? null,
                    })),
                  },
                },
              });
              const unitEs = measure.unit ? MEASURE_UNITS_ES[measure.unit.trim()] : undefined;
              if (measure.unit && unitEs) {
                await tx.contentTranslation.create({
                  data: {
                    entity: 'MEASURE',
                    entityId: createdMeasure.id,
                    field: 'unit',
                    language: 'es',
                    text: unitEs,
                    sourceLanguage: 'en',
                    machineTranslated: true,
                    sourceHash: sourceHash(measure.unit.trim()),
                    updatedBy: MEASURE_UNITS_ES_AUTHOR,
                  },
                });
                counts.spanishUnits++;
              }
              counts.measures++;
              counts.observations += measure.observations.length;
            }
          }
        }
      }
    },
    { timeout: 60_000 },
  );
  logger.info('seeded the strategic plan', { goals: plan.goals.length, ...counts });
}
