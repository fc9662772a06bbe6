import { describe, expect, it } from 'vitest';
import {
  type GoldConcern,
  ndcgAt5,
  type Observed,
  precisionAbstentionCurve,
  precisionAt3,
  scoreByLanguage,
} from '../src/eval/metrics.ts';

const gold: Record<string, GoldConcern> = {
  a: { themes: ['HOUSING', 'EQUITY'], services: { s1: 2, s2: 1 }, initiatives: ['3.22'], group: 'g1', language: 'en' },
  b: { themes: ['TRANSPORTATION'], services: {}, initiatives: [], group: 'g1', language: 'es' },
  c: {
    themes: ['PUBLIC_SAFETY'],
    services: { s3: 2, s4: 2, s5: 1, s6: 1 },
    initiatives: ['1.1', '1.2'],
    group: null,
    language: 'en',
  },
  d: { themes: ['YOUTH'], services: {}, initiatives: [], group: 'g2', language: 'es' },
};

const observed: Observed[] = [
  // themes: 1 right, 1 wrong (PARKS), 1 missed (EQUITY); resources: s2 then s1 (both relevant); initiative hit; similar → b (g1).
  { key: 'a', themes: ['HOUSING', 'PARKS'], resources: ['s2', 's1', 'x'], initiatives: ['3.22'], similar: ['b'] },
  // no relevant service and none suggested: abstains; similar → d (another group).
  { key: 'b', themes: ['TRANSPORTATION'], resources: [], initiatives: [], similar: ['d', 'a'] },
  // 4 relevant: top 3 = s3, x, s5 → 2 / 3; initiatives: one of two in the top 3 → 1 / 2.
  { key: 'c', themes: [], resources: ['s3', 'x', 's5', 's4'], initiatives: ['9.9', '1.2'], similar: [] },
  // no relevant service but a suggestion: does not abstain; no similar concern at all.
  { key: 'd', themes: ['YOUTH'], resources: ['s9'], initiatives: [], similar: [] },
];

describe('alignment metrics', () => {
  it('P@3 divides by min(3, relevant)', () => {
    expect(precisionAt3(['a', 'b', 'c'], new Set(['a']))).toBe(1);
    expect(precisionAt3(['x', 'b', 'c', 'a'], new Set(['a', 'b']))).toBe(0.5);
    expect(precisionAt3(['a', 'b', 'x'], new Set(['a', 'b', 'c', 'd']))).toBeCloseTo(2 / 3);
  });

  it('nDCG@5 uses 2^grade − 1 gains, a log2 discount and the sorted gold as ideal', () => {
    expect(ndcgAt5(['s1', 's2'], { s1: 2, s2: 1 })).toBe(1);
    // swapped: (1 + 3/log2 3) / (3 + 1/log2 3)
    expect(ndcgAt5(['s2', 's1'], { s1: 2, s2: 1 })).toBeCloseTo((1 + 3 / Math.log2(3)) / (3 + 1 / Math.log2(3)), 10);
    expect(ndcgAt5(['x', 'y'], { s1: 2 })).toBe(0);
    // only the first five count
    expect(ndcgAt5(['a', 'b', 'c', 'd', 'e', 's1'], { s1: 2 })).toBe(0);
  });

  it('pools themes (micro-F1) and averages each figure over the concerns it is defined for, per language', () => {
    const { overall, en, es } = scoreByLanguage(observed, gold);
    // tp = HOUSING, TRANSPORTATION, YOUTH = 3; fp = PARKS = 1; fn = EQUITY, PUBLIC_SAFETY = 2
    const p = 3 / 4;
    const r = 3 / 5;
    expect(overall.themeF1.value).toBeCloseTo((2 * p * r) / (p + r), 10);
    expect(overall.themeF1.n).toBe(4);
    expect(overall.resourceP3.value).toBeCloseTo((1 + 2 / 3) / 2, 10);
    expect(overall.resourceP3.n).toBe(2);
    const ndcgA = (1 + 3 / Math.log2(3)) / (3 + 1 / Math.log2(3));
    // c: s3 (3) at 1, s5 (1) at 3, s4 (3) at 4; ideal 3, 3, 1, 1
    const ndcgCExact = (3 + 1 / Math.log2(4) + 3 / Math.log2(5)) / (3 + 3 / Math.log2(3) + 1 / 2 + 1 / Math.log2(5));
    expect(overall.resourceNdcg5.value).toBeCloseTo((ndcgA + ndcgCExact) / 2, 10);
    expect(overall.abstention).toEqual({ value: 0.5, n: 2 });
    expect(overall.initiativeP3.value).toBeCloseTo((1 + 0.5) / 2, 10);
    expect(overall.sameIssueP1).toEqual({ value: 1 / 3, n: 3 });
    expect(en.resourceP3.n).toBe(2);
    expect(en.abstention).toEqual({ value: null, n: 0 });
    expect(es.abstention).toEqual({ value: 0.5, n: 2 });
    expect(es.themeF1.value).toBe(1);
    expect(es.sameIssueP1).toEqual({ value: 0, n: 2 });
  });

  it('draws the precision/abstention curve by dropping suggestions below each cutoff', () => {
    const scored: Observed[] = observed.map((o) => ({
      ...o,
      resourceScores:
        o.key === 'a' ? [0.9, 0.4, 0.2] : o.key === 'c' ? [0.8, 0.7, 0.6, 0.5] : o.resources.map(() => 0.3),
    }));
    const [asReturned, higher] = precisionAbstentionCurve(scored, gold, [0, 0.45]);
    expect(asReturned?.resourceP3).toBeCloseTo((1 + 2 / 3) / 2, 10);
    expect(asReturned?.abstention).toBe(0.5);
    expect(asReturned?.coverage).toBe(1);
    // a keeps s2 only (1 of its 2 relevant); c keeps all four; d's only suggestion (0.3) goes
    expect(higher?.resourceP3).toBeCloseTo((0.5 + 2 / 3) / 2, 10);
    expect(higher?.abstention).toBe(1);
  });
});
