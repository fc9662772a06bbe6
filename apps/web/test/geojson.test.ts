import { describe, expect, it } from 'vitest';
import { polygons } from '../src/components/geojson.ts';

const ring = [
  [0, 0],
  [1, 0],
  [1, 1],
  [0, 0],
];

describe('polygons', () => {
  it('reads Polygon, MultiPolygon, Feature and FeatureCollection alike', () => {
    expect(polygons({ type: 'Polygon', coordinates: [ring] })).toEqual([[ring]]);
    expect(polygons({ type: 'MultiPolygon', coordinates: [[ring], [ring]] })).toHaveLength(2);
    expect(polygons({ type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] } })).toEqual([[ring]]);
    expect(
      polygons({
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', geometry: { type: 'Polygon', coordinates: [ring] } },
          { type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: [[ring]] } },
        ],
      }),
    ).toHaveLength(2);
  });

  it('draws nothing for a missing boundary or another geometry', () => {
    expect(polygons(null)).toEqual([]);
    expect(polygons({ type: 'Point', coordinates: [0, 0] })).toEqual([]);
  });
});
