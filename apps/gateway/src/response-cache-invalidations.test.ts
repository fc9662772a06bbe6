import { describe, expect, test } from 'vitest';
import { pageInvalidation } from './response-cache-invalidations.ts';
import { ALL_TAG } from './response-cache-store.ts';

const page = (latest: number, oldest: number, entries: { seq: number; tags: string[] }[] = []) => ({
  latest,
  oldest,
  entries,
  more: false,
});

describe('what a page of a subgraph’s invalidation feed clears', () => {
  test('a new follower starts at the newest record and replays nothing', () => {
    expect(pageInvalidation(undefined, page(41, 3), false)).toEqual({ tags: [], after: 41 });
  });

  test('a first read after failed ones clears everything (what happened meanwhile is unknown)', () => {
    expect(pageInvalidation(undefined, page(41, 3), true)).toEqual({ tags: [ALL_TAG], after: 41 });
  });

  test('entries are widened like a mutation’s answer: the entity, its type’s lists, derived answers', () => {
    const next = pageInvalidation(
      7,
      page(9, 1, [
        { seq: 8, tags: ['Concern:c1', 'Concern:c2'] },
        { seq: 9, tags: ['Concern', 'ProposedCitywideConcern'] },
      ]),
      false,
    );
    expect(next.after).toBe(9);
    expect(new Set(next.tags)).toEqual(
      new Set(['derived', 'Concern', 'Concern:c1', 'Concern:c2', 'ProposedCitywideConcern']),
    );
  });

  test('an in-place change clears the answers holding that entity, not every list of its type', () => {
    const next = pageInvalidation(
      3,
      page(4, 1, [{ seq: 4, tags: ['=Initiative:i1', '=Initiative:i2', '=Measure:m1', '=Observation:o1'] }]),
      false,
    );
    expect(new Set(next.tags)).toEqual(
      new Set([
        'derived',
        'Initiative:i1',
        'Initiative:i2',
        'Initiative:?',
        'Measure:m1',
        'Measure:?',
        'Observation:o1',
        'Observation:?',
      ]),
    );
    // An answer listing initiatives is tagged `Initiative`: it is left alone; one holding i1 is not.
    expect(next.tags).not.toContain('Initiative');
    expect(next.tags).not.toContain('Measure');
  });

  test('nothing new: nothing cleared, the place kept', () => {
    expect(pageInvalidation(9, page(9, 1), false)).toEqual({ tags: [], after: 9 });
  });

  test('records pruned past the follower’s place, or a feed that went back, clear everything', () => {
    expect(pageInvalidation(5, page(90, 20, [{ seq: 20, tags: ['Measure:m1'] }]), false)).toEqual({
      tags: [ALL_TAG],
      after: 90,
    });
    expect(pageInvalidation(50, page(3, 1), false)).toEqual({ tags: [ALL_TAG], after: 3 });
  });
});
