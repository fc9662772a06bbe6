import type { MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  areaOf,
  areasContaining,
  areasIntersect,
  bbox,
  indexAreas,
  intersection,
  isRfc7946Wound,
  overlapArea,
  overlapShare,
  overlaps,
  pointInArea,
  rewindGeoJson,
  rewindRfc7946,
  ringSignedArea,
  toMultiPolygon,
} from './geometry.ts';

/** An axis-aligned square, counter-clockwise, with corners (x0,y0) and (x1,y1). */
function square(x0: number, y0: number, x1: number, y1: number): Polygon {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [x0, y0],
        [x1, y0],
        [x1, y1],
        [x0, y1],
        [x0, y0],
      ],
    ],
  };
}

function clockwise(p: Polygon): Polygon {
  return { type: 'Polygon', coordinates: p.coordinates.map((ring) => [...ring].reverse()) };
}

const unit = square(0, 0, 1, 1);
const withHole: Polygon = {
  type: 'Polygon',
  coordinates: [square(0, 0, 4, 4).coordinates[0] ?? [], [...(square(1, 1, 3, 3).coordinates[0] ?? [])].reverse()],
};

describe('pointInArea', () => {
  it('finds points inside, outside and in holes', () => {
    expect(pointInArea([0.5, 0.5], unit)).toBe(true);
    expect(pointInArea([1.5, 0.5], unit)).toBe(false);
    expect(pointInArea([0.5, 0.5], withHole)).toBe(true);
    expect(pointInArea([2, 2], withHole)).toBe(false);
  });

  it('works on multipolygons and either winding', () => {
    const multi: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [unit.coordinates, square(5, 5, 6, 6).coordinates],
    };
    expect(pointInArea([5.5, 5.5], multi)).toBe(true);
    expect(pointInArea([3, 3], multi)).toBe(false);
    expect(pointInArea([0.5, 0.5], clockwise(unit))).toBe(true);
  });
});

describe('intersection and overlap', () => {
  it('computes the shared area of overlapping polygons', () => {
    const a = square(0, 0, 0.02, 0.02);
    const b = square(0.01, 0, 0.03, 0.02);
    const shared = intersection(a, b);
    expect(shared).not.toBeNull();
    expect(bbox(shared as Polygon)).toEqual([0.01, 0, 0.02, 0.02]);
    expect(overlapArea(a, b)).toBeCloseTo(areaOf(a) / 2, -2);
    expect(overlapShare(a, b)).toBeCloseTo(0.5, 3);
    expect(areasIntersect(a, b)).toBe(true);
  });

  it('returns null and zero for disjoint areas, and touching areas share no area', () => {
    const a = square(0, 0, 1, 1);
    expect(intersection(a, square(2, 2, 3, 3))).toBeNull();
    expect(overlapArea(a, square(2, 2, 3, 3))).toBe(0);
    expect(areasIntersect(a, square(2, 2, 3, 3))).toBe(false);
    expect(overlapArea(a, square(1, 0, 2, 1))).toBe(0);
    expect(areasIntersect(a, square(1, 0, 2, 1))).toBe(true);
  });

  it('intersects multipolygons and respects holes', () => {
    const multi: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [square(0, 0, 0.01, 0.01).coordinates, square(0.02, 0, 0.03, 0.01).coordinates],
    };
    const band = square(0.005, 0, 0.025, 0.01);
    expect(overlapShare(multi, band)).toBeCloseTo(0.5, 3);
    expect(overlapArea(withHole, square(1.2, 1.2, 2.8, 2.8))).toBe(0);
  });

  it('lists overlaps and containing areas from an index', () => {
    const index = indexAreas([
      { key: 'west', area: square(0, 0, 0.01, 0.01) },
      { key: 'east', area: square(0.01, 0, 0.02, 0.01) },
      { key: 'far', area: square(1, 1, 1.01, 1.01) },
    ]);
    expect(areasContaining([0.005, 0.005], index)).toEqual(['west']);
    expect(areasContaining([0.5, 0.5], index)).toEqual([]);
    const found = overlaps(square(0.005, 0, 0.02, 0.01), index);
    expect(found.map((o) => o.key)).toEqual(['west', 'east']);
    expect(found[0]?.shareOfArea).toBeCloseTo(0.5, 3);
    expect(found[1]?.shareOfArea).toBeCloseTo(1, 3);
  });
});

describe('RFC 7946 winding', () => {
  it('makes exterior rings counter-clockwise and holes clockwise', () => {
    const bad: Polygon = {
      type: 'Polygon',
      coordinates: withHole.coordinates.map((ring) => [...ring].reverse()),
    };
    expect(isRfc7946Wound(bad)).toBe(false);
    const fixed = rewindRfc7946(bad);
    expect(isRfc7946Wound(fixed)).toBe(true);
    expect(ringSignedArea(fixed.coordinates[0] ?? [])).toBeGreaterThan(0);
    expect(ringSignedArea(fixed.coordinates[1] ?? [])).toBeLessThan(0);
    expect(isRfc7946Wound(bad)).toBe(false);
    expect(fixed.coordinates[0]?.[0]).toEqual(fixed.coordinates[0]?.at(-1));
  });

  it('keeps rings already wound and rewinds every polygon of a multipolygon', () => {
    expect(rewindRfc7946(unit)).toEqual(unit);
    const multi = toMultiPolygon(clockwise(unit));
    multi.coordinates.push(square(2, 2, 3, 3).coordinates);
    const fixed = rewindRfc7946(multi);
    expect(fixed.type).toBe('MultiPolygon');
    expect(isRfc7946Wound(fixed)).toBe(true);
    expect(fixed.coordinates[1]).toEqual(square(2, 2, 3, 3).coordinates);
    expect(areaOf(fixed)).toBeCloseTo(areaOf(multi), 0);
  });

  it('rewinds polygons inside Features, FeatureCollections and GeometryCollections; leaves other values alone', () => {
    const feature = { type: 'Feature', properties: { name: 'x' }, geometry: clockwise(unit) };
    const collection = {
      type: 'FeatureCollection',
      features: [feature, { type: 'Feature', properties: null, geometry: { type: 'Point', coordinates: [1, 2] } }],
    };
    const fixed = rewindGeoJson(collection);
    expect(fixed.features[0]?.geometry).toEqual(rewindRfc7946(clockwise(unit)));
    expect(isRfc7946Wound(fixed.features[0]?.geometry as Polygon)).toBe(true);
    expect(fixed.features[0]?.properties).toEqual({ name: 'x' });
    expect(fixed.features[1]).toEqual(collection.features[1]);
    expect(isRfc7946Wound(collection.features[0]?.geometry as Polygon)).toBe(false);
    const geometries = rewindGeoJson({ type: 'GeometryCollection', geometries: [clockwise(unit)] });
    expect(isRfc7946Wound(geometries.geometries[0] as Polygon)).toBe(true);
    expect(rewindGeoJson(toMultiPolygon(clockwise(unit)))).toEqual(toMultiPolygon(unit));
    for (const other of [null, 'text', 3, [1, 2], { type: 'Point', coordinates: [1, 2] }, { type: 'Polygon' }]) {
      expect(rewindGeoJson(other)).toEqual(other);
    }
  });
});
