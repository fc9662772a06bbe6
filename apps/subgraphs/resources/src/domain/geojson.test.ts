import { describe, expect, it } from 'vitest';
import { geoJsonAreaProblems } from './geojson.ts';

const ring = [
  [-78.9, 35.99],
  [-78.89, 35.99],
  [-78.89, 36.0],
  [-78.9, 35.99],
];

describe('geoJsonAreaProblems', () => {
  it('accepts polygons, multipolygons, features and feature collections', () => {
    const polygon = { type: 'Polygon', coordinates: [ring] };
    expect(geoJsonAreaProblems(polygon, 'f')).toEqual([]);
    expect(geoJsonAreaProblems({ type: 'MultiPolygon', coordinates: [[ring], [ring]] }, 'f')).toEqual([]);
    expect(geoJsonAreaProblems({ type: 'Feature', properties: null, geometry: polygon }, 'f')).toEqual([]);
    expect(
      geoJsonAreaProblems({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: polygon }] }, 'f'),
    ).toEqual([]);
  });

  it.each([
    ['a point', { type: 'Point', coordinates: [-78.9, 35.99] }, /must be a Polygon/],
    ['an unclosed ring', { type: 'Polygon', coordinates: [[...ring.slice(0, 3), [-78.8, 35.9]]] }, /not closed/],
    ['too few positions', { type: 'Polygon', coordinates: [ring.slice(0, 3)] }, /at least four/],
    [
      'a latitude out of range',
      {
        type: 'Polygon',
        coordinates: [
          [
            [0, 95],
            [1, 0],
            [1, 1],
            [0, 95],
          ],
        ],
      },
      /in range/,
    ],
    [
      'text coordinates',
      {
        type: 'Polygon',
        coordinates: [
          [
            ['0', '0'],
            [1, 0],
            [1, 1],
            ['0', '0'],
          ],
        ],
      },
      /in range/,
    ],
    ['an empty collection', { type: 'FeatureCollection', features: [] }, /at least one feature/],
    ['a feature without geometry', { type: 'Feature', geometry: null }, /GeoJSON object/],
    ['a string', 'POLYGON((0 0))', /GeoJSON object/],
  ])('rejects %s', (_name, value, message) => {
    const problems = geoJsonAreaProblems(value, 'serviceAreaGeoJson');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]?.field).toBe('serviceAreaGeoJson');
    expect(problems[0]?.message).toMatch(message);
  });
});
