import { useEffect, useRef, useState } from 'react';
import { dateFormat } from '../i18n/formatters.ts';

/** Where a period starts on a time axis ('YYYY', 'YYYY-MM', 'YYYY-MM-DD' or 'YYYY-MM-DD/YYYY-MM-DD'); null if undated. */
export function periodStart(period: string | null): Date | null {
  if (!period) return null;
  const match = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(period);
  if (!match) return null;
  return new Date(Date.UTC(Number(match[1]), Number(match[2] ?? 1) - 1, Number(match[3] ?? 1)));
}

export interface TimePoint {
  id: string;
  period: string;
  date: Date;
  value: number;
}

/** The dated observations of a series on a time axis, oldest first. */
export function timePoints(observations: readonly { id: string; period: string | null; value: number }[]): TimePoint[] {
  return observations
    .flatMap((o) => {
      const date = periodStart(o.period);
      return date && o.period ? [{ id: o.id, period: o.period, date, value: o.value }] : [];
    })
    .sort((a, b) => a.date.getTime() - b.date.getTime());
}

const DAY = 86_400_000;

/**
 * The series cut where it has no values for much longer than its usual spacing (a three-year pause
 * in a monthly series), so the line does not pretend to know what happened in between.
 */
export function runsWithoutGaps(points: TimePoint[]): TimePoint[][] {
  if (points.length < 2) return points.length ? [points] : [];
  const steps = points.slice(1).map((p, i) => p.date.getTime() - (points[i] as TimePoint).date.getTime());
  const usual = [...steps].sort((a, b) => a - b)[Math.floor(steps.length / 2)] as number;
  const limit = Math.max(usual * 2.5, 45 * DAY);
  const runs: TimePoint[][] = [[points[0] as TimePoint]];
  steps.forEach((step, i) => {
    const point = points[i + 1] as TimePoint;
    if (step > limit) runs.push([point]);
    else runs[runs.length - 1]?.push(point);
  });
  return runs;
}

/** A tick on the time axis in the reader's language: "dic 2023", or just the year for yearly ticks. */
export function timeTickFormat(locale: string, ticks: Date[]): (date: Date) => string {
  const yearly = ticks.every((d) => d.getUTCMonth() === 0 && d.getUTCDate() === 1);
  const format = dateFormat(locale, {
    timeZone: 'UTC',
    year: 'numeric',
    ...(yearly ? {} : { month: 'short' }),
  });
  return (date) => format.format(date);
}

/**
 * A linear map from `domain` onto `range` (what the sparkline needs of a scale; the initiative page's chart,
 * with its calendar ticks, uses d3 in time-scale.ts, which the pages that show only sparklines do not load).
 */
export function linearMap(domain: readonly [number, number], range: readonly [number, number]) {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0;
  return (value: number) => (span === 0 ? (r0 + r1) / 2 : r0 + ((value - d0) / span) * (r1 - r0));
}

/** The rendered width of an element (for charts that lay out text at its real size), `fallback` until known. */
export function useElementWidth<T extends HTMLElement>(fallback: number) {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const update = () => setWidth(Math.max(200, Math.floor(element.getBoundingClientRect().width)));
    update();
    const observer = new ResizeObserver(update);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
}
