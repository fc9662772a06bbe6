import type { FieldProblem } from '@civic/server-kit/errors';
import type { MeasureDirection, MeasureValueType } from '../generated/prisma/enums.ts';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const YEAR = /^\d{4}$/;
const RANGE = /^(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})$/;

function isCalendarDate(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** Problems with an observation period: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD/YYYY-MM-DD' (start ≤ end). */
export function periodProblems(period: string | null | undefined, label: string | null | undefined): FieldProblem[] {
  if (period == null) {
    return label?.trim() ? [] : [{ field: 'label', message: 'An observation without a period needs a label' }];
  }
  if (YEAR.test(period) || MONTH.test(period)) return [];
  const range = RANGE.exec(period);
  if (range?.[1] && range[2] && isCalendarDate(range[1]) && isCalendarDate(range[2])) {
    return range[1] <= range[2] ? [] : [{ field: 'period', message: 'The range must start before it ends' }];
  }
  return [{ field: 'period', message: "Use 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD/YYYY-MM-DD'" }];
}

/** Problems with a value for a measure of this type (counts are whole and non-negative, percents 0–100). */
export function valueProblems(value: number, valueType: MeasureValueType): FieldProblem[] {
  if (!Number.isFinite(value)) return [{ field: 'value', message: 'The value must be a finite number' }];
  if (valueType === 'COUNT' && (!Number.isInteger(value) || value < 0)) {
    return [{ field: 'value', message: 'This measure counts things: use a whole number of at least 0' }];
  }
  if (valueType === 'PERCENT' && (value < 0 || value > 100)) {
    return [{ field: 'value', message: 'This measure is a percentage: use a number from 0 to 100' }];
  }
  return [];
}

export type Trend = 'IMPROVING' | 'WORSENING' | 'STEADY' | 'UNKNOWN';

interface Point {
  period: string | null;
  segment: string;
  value: number;
}

/**
 * The two newest points of the main series (segment ''); a measure published only as a breakdown
 * falls back to its newest point, with no previous one to compare.
 */
export function newestTwo<P extends Point>(newestFirst: P[]): [P | undefined, P | undefined] {
  const main = newestFirst.filter((p) => p.segment === '');
  if (main.length > 0) return [main[0], main[1]];
  return [newestFirst[0], undefined];
}

/**
 * Latest against previous, by period. Undated observations cannot be placed in the series,
 * so a comparison that involves one is UNKNOWN.
 */
export function trendOf(
  latest: Point | undefined,
  previous: Point | undefined,
  direction: MeasureDirection | null,
): Trend {
  if (!latest || !previous || latest.period == null || previous.period == null) return 'UNKNOWN';
  if (latest.value === previous.value) return 'STEADY';
  if (!direction) return 'UNKNOWN';
  const rose = latest.value > previous.value;
  return rose === (direction === 'UP_IS_BETTER') ? 'IMPROVING' : 'WORSENING';
}

/** Newest first: dated observations by period (descending), then undated ones by entry time. */
export const NEWEST_FIRST = [{ period: { sort: 'desc', nulls: 'last' } }, { createdAt: 'desc' }] as const;

/** The series order (Measure.observations): NEWEST_FIRST reversed, undated observations first. */
export const OLDEST_FIRST = [{ period: { sort: 'asc', nulls: 'first' } }, { createdAt: 'asc' }] as const;

/** A series read OLDEST_FIRST, newest first (a copy). */
export function newestFirst<P>(oldestFirst: readonly P[]): P[] {
  return [...oldestFirst].reverse();
}
