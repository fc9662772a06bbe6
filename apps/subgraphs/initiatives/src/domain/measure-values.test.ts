import { describe, expect, it } from 'vitest';
import { newestTwo, periodProblems, trendOf, valueProblems } from './measure-values.ts';

describe('periodProblems', () => {
  it('takes a year, a month or a date range that starts before it ends', () => {
    for (const period of ['2024', '2024-02', '2024-01-01/2024-03-31', '2024-02-29/2024-02-29']) {
      expect(periodProblems(period, null), period).toEqual([]);
    }
  });

  it('refuses other shapes, impossible dates and reversed ranges', () => {
    expect(periodProblems('2024-13', null).map((p) => p.field)).toEqual(['period']);
    expect(periodProblems('January', null).map((p) => p.field)).toEqual(['period']);
    expect(periodProblems('2023-02-29/2023-03-01', null).map((p) => p.field)).toEqual(['period']);
    expect(periodProblems('2024-03-01/2024-02-01', null)).toEqual([
      { field: 'period', message: 'The range must start before it ends' },
    ]);
  });

  it('an undated observation needs a label', () => {
    expect(periodProblems(null, 'July (year not stated)')).toEqual([]);
    expect(periodProblems(null, '  ').map((p) => p.field)).toEqual(['label']);
  });
});

describe('valueProblems', () => {
  it('counts are whole and not negative, percentages 0–100, numbers only finite', () => {
    expect(valueProblems(3, 'COUNT')).toEqual([]);
    expect(valueProblems(2.5, 'COUNT')).toHaveLength(1);
    expect(valueProblems(-1, 'COUNT')).toHaveLength(1);
    expect(valueProblems(100, 'PERCENT')).toEqual([]);
    expect(valueProblems(120, 'PERCENT')).toHaveLength(1);
    expect(valueProblems(-7.5, 'NUMBER')).toEqual([]);
    expect(valueProblems(Number.POSITIVE_INFINITY, 'NUMBER')).toHaveLength(1);
  });
});

describe('trend', () => {
  const point = (period: string | null, value: number, segment = '') => ({ period, value, segment });

  it('compares the two newest points of the main series by direction', () => {
    const [latest, previous] = newestTwo([point('2024-03', 5), point('2024-03', 9, 'Ward 1'), point('2024-02', 3)]);
    expect(latest?.value).toBe(5);
    expect(previous?.value).toBe(3);
    expect(trendOf(latest, previous, 'UP_IS_BETTER')).toBe('IMPROVING');
    expect(trendOf(latest, previous, 'DOWN_IS_BETTER')).toBe('WORSENING');
    expect(trendOf(latest, previous, null)).toBe('UNKNOWN');
    expect(trendOf(point('2024-03', 3), previous, null)).toBe('STEADY');
  });

  it('is UNKNOWN with fewer than two dated points', () => {
    expect(trendOf(point('2024-03', 5), undefined, 'UP_IS_BETTER')).toBe('UNKNOWN');
    expect(trendOf(point(null, 5), point('2024-02', 3), 'UP_IS_BETTER')).toBe('UNKNOWN');
    expect(newestTwo([point('2024', 1, 'Site A'), point('2023', 2, 'Site A')])).toEqual([
      point('2024', 1, 'Site A'),
      undefined,
    ]);
  });
});
