import { gunzipSync, gzipSync } from 'node:zlib';
import { durhamNeighborhoods, durhamWards } from '@civic/reference-data/durham-neighborhoods';
import type { FeatureCollection } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection } from 'topojson-specification';
import { describe, expect, it } from 'vitest';
import { durhamMapAsset, durhamMapTopology } from '../scripts/durham-map.ts';
import { classBreaks, classOf, shapesOf, windForD3 } from '../src/components/durham-map-shapes.ts';

// The map asset (issue 19): Durham's 237 neighborhoods and 3 wards, simplified, under 100 kB gzipped.
const asset = durhamMapAsset();

describe('the Durham map asset', () => {
  it('holds every published neighborhood under the id the API gives it, and the three wards', () => {
    const neighborhoods = asset.topology.objects.neighborhoods as GeometryCollection<{ name: string; nameEs: string }>;
    const wards = asset.topology.objects.wards as GeometryCollection;
    expect(neighborhoods.geometries).toHaveLength(237);
    expect(new Set(neighborhoods.geometries.map((g) => g.id))).toEqual(new Set(durhamNeighborhoods().map((n) => n.id)));
    expect(wards.geometries.map((g) => g.id).sort()).toEqual(
      durhamWards()
        .map((w) => w.number)
        .sort(),
    );
    const walltown = neighborhoods.geometries.find(
      (g) => (g.properties as { name?: string } | undefined)?.name === 'Walltown',
    );
    expect(walltown?.id).toBe(durhamNeighborhoods().find((n) => n.slug === 'walltown')?.id);
    expect(
      neighborhoods.geometries.every(
        (g) => typeof (g.properties as { nameEs?: string } | undefined)?.nameEs === 'string',
      ),
    ).toBe(true);
  });

  it('is under 100 kB gzipped, and far smaller than the published boundaries', () => {
    expect(asset.gzipBytes).toBeLessThan(100_000);
    expect(gunzipSync(gzipSync(asset.source, { level: 9 })).length).toBe(asset.source.length);
    expect(gzipSync(asset.source, { level: 9 }).length).toBe(asset.gzipBytes);
    const published = JSON.stringify({
      neighborhoods: durhamNeighborhoods().map((n) => n.boundary),
      wards: durhamWards().map((w) => w.boundary),
    }).length;
    expect(asset.source.length).toBeLessThan(published / 2);
  });

  it('names the file by a hash of its content, the same for the same data', () => {
    expect(asset.fileName).toMatch(/^assets\/durham-map-[0-9a-f]{10}\.json$/);
    expect(durhamMapAsset().fileName).toBe(asset.fileName);
    const coarser = JSON.stringify(durhamMapTopology({ retainedPointShare: 0.1 }));
    expect(coarser.length).toBeLessThan(asset.source.length);
  });

  it('keeps every neighborhood drawable: no ring is simplified away, every path is non-empty', () => {
    const shapes = shapesOf(JSON.parse(asset.source));
    expect(shapes.neighborhoods).toHaveLength(237);
    for (const n of shapes.neighborhoods) expect(n.d, n.name).toMatch(/^M[\d.]+,[\d.]+/);
    expect(shapes.wardOutlines.length).toBeGreaterThan(100);
    // Projected inside the drawing: Durham is taller than wide, so the width is the full 600 units.
    const xs = shapes.neighborhoods.flatMap((n) => [...n.d.matchAll(/[ML]([\d.]+),/g)].map((m) => Number(m[1])));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThanOrEqual(shapes.width);
    const topology = JSON.parse(asset.source);
    for (const f of (feature(topology, topology.objects.neighborhoods) as unknown as FeatureCollection).features) {
      expect(windForD3(f.geometry as never).coordinates.length, String(f.properties?.name)).toBeGreaterThan(0);
    }
  });
});

describe('windForD3', () => {
  const ccw = [
    [0, 0],
    [1, 0],
    [1, 1],
    [0, 1],
    [0, 0],
  ];
  it('turns an RFC 7946 outer ring clockwise and its hole counter-clockwise, and drops flat rings', () => {
    const hole = [
      [0.2, 0.2],
      [0.2, 0.8],
      [0.8, 0.8],
      [0.2, 0.2],
    ];
    const flat = [
      [0, 0],
      [1, 1],
      [0, 0],
    ];
    const wound = windForD3({ type: 'Polygon', coordinates: [ccw, hole, flat] });
    expect(wound.coordinates).toHaveLength(1);
    expect(wound.coordinates[0]?.[0]).toEqual([...ccw].reverse());
    expect(wound.coordinates[0]?.[1]).toEqual([...hole].reverse());
    expect(wound.coordinates[0]).toHaveLength(2);
  });
});

describe('classBreaks', () => {
  it('splits the range into five equal classes, ignoring missing values, and places values in them', () => {
    const breaks = classBreaks([0, null, 10, 5]);
    expect(breaks).toEqual([0, 2, 4, 6, 8, 10]);
    expect(classOf(0, breaks)).toBe(0);
    expect(classOf(5, breaks)).toBe(2);
    expect(classOf(10, breaks)).toBe(4);
    expect(classBreaks([null, null])).toEqual([]);
    expect(classBreaks([3, 3])).toEqual([3, 3]);
  });
});
