import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The shape of `data/durham/strategic-plan.json` (fields the seeds use). */
export interface PlanObservation {
  period: string | null;
  value: number;
  label?: string;
  periodInferred?: boolean;
  sourceUrl?: string;
}
export interface PlanMeasure {
  name: string | null;
  unit: string | null;
  observations: PlanObservation[];
  note?: string;
}
export interface PlanInitiative {
  code: string;
  title: string;
  status: 'IN_PROGRESS' | 'ON_HOLD' | 'COMPLETE_ONGOING' | null;
  measures: PlanMeasure[];
  summary: { why?: string | null; doing?: string | null; next?: string | null; description?: string | null } | null;
  sourceUrl: string | null;
  otherSourceUrls?: string[];
  notes?: string;
}
export interface PlanObjective {
  code: string;
  title: string | null;
  sourceUrl?: string;
  notes?: string;
  initiatives: PlanInitiative[];
}
export interface PlanGoal {
  number: number;
  title: string;
  statement: string | null;
  sourceUrl?: string;
  objectives: PlanObjective[];
}
export interface StrategicPlan {
  source: string;
  goals: PlanGoal[];
}

export function loadStrategicPlan(): StrategicPlan {
  // Resolved against this package, which also works from a bundled app (the file is not inlined).
  const path = createRequire(import.meta.url).resolve('@civic/reference-data/data/durham/strategic-plan.json');
  return JSON.parse(readFileSync(path, 'utf8')) as StrategicPlan;
}
