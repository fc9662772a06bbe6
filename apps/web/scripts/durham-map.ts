import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { durhamNeighborhoods, durhamWards } from '@civic/reference-data/durham-neighborhoods';
import type { Feature, FeatureCollection, MultiPolygon } from 'geojson';
import { quantize } from 'topojson-client';
import { topology } from 'topojson-server';
import { presimplify, quantile, simplify } from 'topojson-simplify';
import type { Objects, Topology } from 'topojson-specification';

/**
 * Durham's published neighborhoods and council wards as one TopoJSON asset for the web's maps:
 * shared borders stored once (topojson-server), simplified with Visvalingam's area weights keeping
 * borders shared (topojson-simplify), and coordinates quantized to a grid of `QUANTIZATION` steps.
 * Feature ids are the API's neighborhood ids and ward numbers; rings keep RFC 7946 winding.
 */

/** Share of the boundary points kept, those with the largest Visvalingam weights (arc ends always stay). */
export const RETAINED_POINT_SHARE = 0.4;
/** Grid steps across the city's extent (about 5 m at Durham's 40 km). */
export const QUANTIZATION = 1e4;

export interface NeighborhoodProperties {
  name: string;
  nameEs: string;
}

export interface WardProperties {
  name: string;
  nameEs: string;
}

export interface DurhamMapAsset {
  topology: Topology;
  /** The JSON as served. */
  source: string;
  /** First 10 hex digits of its SHA-256: the file name changes whenever the content does. */
  hash: string;
  fileName: string;
  gzipBytes: number;
}

export function durhamMapTopology(options: { retainedPointShare?: number; quantization?: number } = {}): Topology {
  const neighborhoods: FeatureCollection<MultiPolygon, NeighborhoodProperties> = {
    type: 'FeatureCollection',
    features: durhamNeighborhoods().map(
      (n): Feature<MultiPolygon, NeighborhoodProperties> => ({
        type: 'Feature',
        id: n.id,
        properties: { name: n.name, nameEs: n.nameEs },
        geometry: n.boundary,
      }),
    ),
  };
  const wards: FeatureCollection<MultiPolygon, WardProperties> = {
    type: 'FeatureCollection',
    features: durhamWards().map((w) => ({
      type: 'Feature',
      id: w.number,
      properties: { name: w.name, nameEs: w.nameEs },
      geometry: w.boundary,
    })),
  };
  // The typings disagree on property types (GeoJsonProperties vs {}); every step takes and gives a Topology.
  const full = presimplify(topology({ neighborhoods, wards }, 1e6) as unknown as Topology<Objects<{}>>);
  const minWeight = quantile(full, options.retainedPointShare ?? RETAINED_POINT_SHARE);
  keepEveryRing(full, minWeight);
  const simplified = simplify(full, minWeight);
  return quantize(simplified, options.quantization ?? QUANTIZATION) as Topology;
}

type WeightedTopology = Topology<Objects<{}>> & { arcs: [number, number, number][][] };

/**
 * Simplification by weight alone flattens a small neighborhood (all its points weigh little) to
 * nothing: in every ring that would keep fewer than three corners, the three heaviest points are kept.
 */
function keepEveryRing(presimplified: Topology<Objects<{}>>, minWeight: number): void {
  const { arcs, objects } = presimplified as WeightedTopology;
  const rings: number[][] = [];
  for (const object of Object.values(objects)) {
    if (object.type !== 'GeometryCollection') continue;
    for (const geometry of object.geometries) {
      if (geometry.type === 'Polygon') rings.push(...geometry.arcs);
      if (geometry.type === 'MultiPolygon') for (const polygon of geometry.arcs) rings.push(...polygon);
    }
  }
  for (const ring of rings) {
    const points = ring.flatMap((index) => arcs[index < 0 ? ~index : index] ?? []);
    const kept = new Set(points.filter((p) => p[2] >= minWeight).map((p) => `${p[0]},${p[1]}`));
    for (const point of points.filter((p) => p[2] < minWeight).sort((a, b) => b[2] - a[2])) {
      if (kept.size >= 3) break;
      point[2] = Number.POSITIVE_INFINITY;
      kept.add(`${point[0]},${point[1]}`);
    }
  }
}

export function durhamMapAsset(): DurhamMapAsset {
  const built = durhamMapTopology();
  const source = JSON.stringify(built);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 10);
  return {
    topology: built,
    source,
    hash,
    fileName: `assets/durham-map-${hash}.json`,
    gzipBytes: gzipSync(source, { level: 9 }).length,
  };
}
