import { scaleLinear } from 'd3-scale';
import { utcTicks } from 'd3-time';

/**
 * A linear scale over time (UTC milliseconds) with calendar ticks from d3-time: d3-scale's scaleUtc
 * would add its default time-format locale (about 26 kB) that the reader's Intl formats replace.
 */
export function timeScale(from: Date, to: Date, range: [number, number]) {
  const linear = scaleLinear().domain([from.getTime(), to.getTime()]).range(range);
  const x = (date: Date) => linear(date.getTime());
  x.ticks = (count: number) => utcTicks(from, to, count);
  return x;
}
