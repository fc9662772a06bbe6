import { type GeoPermissibleObjects, geoMercator, geoPath } from 'd3-geo';
import type { Feature, MultiLineString, MultiPolygon, Polygon, Position } from 'geojson';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

// The map asset projected for SVG: the pure part of NeighborhoodMap, apart so that tests run it in Node.

/** Drawing size in SVG units; the SVG scales to its container. */
const WIDTH = 600;
const MARGIN = 4;

/** ColorBrewer's 5-class sequential "Blues" (colour-blind safe), lightest for the lowest values. */
export const CLASS_COLORS = ['#eff3ff', '#bdd7e7', '#6baed6', '#3182bd', '#08519c'] as const;

export interface NeighborhoodShape {
  id: string;
  name: string;
  nameEs: string;
  d: string;
}

export interface DurhamMapShapes {
  width: number;
  height: number;
  neighborhoods: NeighborhoodShape[];
  /** Every ward border, drawn once. */
  wardOutlines: string;
}

export type Properties = { name: string; nameEs: string };
export type DurhamTopology = Topology<{
  neighborhoods: GeometryCollection<Properties>;
  wards: GeometryCollection<Properties>;
}>;

/** Twice the signed planar area of a ring of [lon, lat]: positive when counter-clockwise. */
function signedArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x1 = 0, y1 = 0] = ring[j] as Position;
    const [x2 = 0, y2 = 0] = ring[i] as Position;
    sum += x1 * y2 - x2 * y1;
  }
  return sum;
}

/**
 * The asset keeps RFC 7946 winding (outer rings counter-clockwise); d3-geo works on the sphere and
 * reads a counter-clockwise ring as everything outside it. Outer rings are turned clockwise and holes
 * counter-clockwise, and rings that simplification flattened to nothing are left out.
 */
export function windForD3(geometry: Polygon | MultiPolygon): MultiPolygon {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const coordinates = polygons
    .map((polygon) =>
      polygon
        .filter((ring) => signedArea(ring) !== 0)
        .map((ring, index) => {
          const clockwise = signedArea(ring) < 0;
          const wantClockwise = index === 0;
          return clockwise === wantClockwise ? ring : [...ring].reverse();
        }),
    )
    .filter((polygon) => polygon.length > 0);
  return { type: 'MultiPolygon', coordinates };
}

/** Projects the asset once: Web Mercator fitted to the wards, SVG path strings per neighborhood. */
export function shapesOf(topology: DurhamTopology): DurhamMapShapes {
  const neighborhoods = feature(topology, topology.objects.neighborhoods).features as Feature<
    Polygon | MultiPolygon,
    Properties
  >[];
  const wards = feature(topology, topology.objects.wards).features as Feature<Polygon | MultiPolygon, Properties>[];
  const wound = (f: Feature<Polygon | MultiPolygon, Properties>) => ({ ...f, geometry: windForD3(f.geometry) });
  const city = { type: 'FeatureCollection', features: [...wards, ...neighborhoods].map(wound) } as const;
  const projection = geoMercator();
  projection.fitWidth(WIDTH - 2 * MARGIN, city as GeoPermissibleObjects);
  const [[, y0], [, y1]] = geoPath(projection).bounds(city as GeoPermissibleObjects);
  projection.translate([projection.translate()[0] + MARGIN, projection.translate()[1] + MARGIN]);
  const path = geoPath(projection);
  const outlines: MultiLineString = mesh(topology, topology.objects.wards);
  return {
    width: WIDTH,
    height: Math.ceil(y1 - y0 + 2 * MARGIN),
    neighborhoods: neighborhoods.map((n) => ({
      id: String(n.id),
      name: n.properties.name,
      nameEs: n.properties.nameEs,
      d: path(wound(n)) ?? '',
    })),
    wardOutlines: path(outlines) ?? '',
  };
}

/** Equal-width classes between the smallest and largest value (fewer when the values are few). */
export function classBreaks(values: Iterable<number | null>): number[] {
  const present = [...values].filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return [];
  const min = Math.min(...present);
  const max = Math.max(...present);
  if (min === max) return [min, max];
  const classes = CLASS_COLORS.length;
  return Array.from({ length: classes + 1 }, (_, i) => min + ((max - min) * i) / classes);
}

export function classOf(value: number, breaks: readonly number[]): number {
  for (let i = 1; i < breaks.length - 1; i++) if (value < (breaks[i] as number)) return i - 1;
  return Math.max(0, breaks.length - 2);
}
