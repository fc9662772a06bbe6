import { describe, expect, test } from 'vitest';
import { centroid, rewind, windingProblems } from '../src/geo.ts';

const square = [
  [0, 0],
  [0, 2],
  [2, 2],
  [2, 0],
  [0, 0],
];
const hole = [
  [0.5, 0.5],
  [1.5, 0.5],
  [1.5, 1.5],
  [0.5, 1.5],
  [0.5, 0.5],
];

describe('rewind', () => {
  test('winds exterior rings counter-clockwise and holes clockwise, leaving the input alone', () => {
    const polygon = { type: 'Polygon', coordinates: [square, hole] };
    expect(windingProblems(polygon)).toEqual(['polygon 0 ring 0', 'polygon 0 ring 1']);
    const fixed = rewind(polygon);
    expect(windingProblems(fixed)).toEqual([]);
    expect(fixed).not.toBeNull();
    expect((fixed as { coordinates: number[][][] }).coordinates[0]).toEqual([...square].reverse());
    expect(polygon.coordinates[0]).toBe(square);
    expect(centroid(fixed)).toEqual(centroid(polygon));
  });

  test('fixes every polygon of a MultiPolygon and keeps points and null as they are', () => {
    const multi = { type: 'MultiPolygon', coordinates: [[square], [[...square].reverse()]] };
    expect(windingProblems(multi)).toEqual(['polygon 0 ring 0']);
    expect(windingProblems(rewind(multi))).toEqual([]);
    const point = { type: 'Point', coordinates: [1, 2] };
    expect(rewind(point)).toBe(point);
    expect(rewind(null)).toBeNull();
  });
});
