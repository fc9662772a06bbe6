import turfArea from '@turf/area';
import booleanIntersects from '@turf/boolean-intersects';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { featureCollection, feature as turfFeature } from '@turf/helpers';
import turfIntersect from '@turf/intersect';
import type { MultiPolygon, Polygon, Position } from 'geojson';

/** An area as GeoJSON geometry (WGS84 longitude/latitude). */
export type Area = Polygon | MultiPolygon;
/** `[west, south, east, north]`. */
export type BBox = [number, number, number, number];

/** The area's polygons as a list of ring lists, whichever of the two types it is. */
function polygonsOf(area: Area): Position[][][] {
  return area.type === 'Polygon' ? [area.coordinates] : area.coordinates;
}

export function toMultiPolygon(area: Area): MultiPolygon {
  return area.type === 'MultiPolygon' ? area : { type: 'MultiPolygon', coordinates: [area.coordinates] };
}

export function bbox(area: Area): BBox {
  let west = Number.POSITIVE_INFINITY;
  let south = Number.POSITIVE_INFINITY;
  let east = Number.NEGATIVE_INFINITY;
  let north = Number.NEGATIVE_INFINITY;
  for (const polygon of polygonsOf(area)) {
    for (const [x, y] of polygon[0] ?? []) {
      if (x === undefined || y === undefined) continue;
      if (x < west) west = x;
      if (x > east) east = x;
      if (y < south) south = y;
      if (y > north) north = y;
    }
  }
  return [west, south, east, north];
}

function bboxesOverlap(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

function inBBox([x, y]: Position, box: BBox): boolean {
  return x !== undefined && y !== undefined && x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3];
}

/** Whether a `[longitude, latitude]` point lies in the area (holes excluded, the boundary counts as inside). */
export function pointInArea(point: Position, area: Area, box: BBox = bbox(area)): boolean {
  if (!inBBox(point, box)) return false;
  return booleanPointInPolygon(point, turfFeature(area));
}

/** Whether two areas share any point (touching edges count). */
export function areasIntersect(a: Area, b: Area): boolean {
  if (!bboxesOverlap(bbox(a), bbox(b))) return false;
  return booleanIntersects(turfFeature(a), turfFeature(b));
}

/** The area two areas share, or null when they share none. */
export function intersection(a: Area, b: Area): Area | null {
  if (!bboxesOverlap(bbox(a), bbox(b))) return null;
  const shared = turfIntersect(featureCollection([turfFeature(a), turfFeature(b)]));
  return shared ? shared.geometry : null;
}

/** Geodesic area in square metres. */
export function areaOf(area: Area): number {
  return turfArea(area);
}

/** Square metres shared by two areas (0 when they only touch or are apart). */
export function overlapArea(a: Area, b: Area): number {
  const shared = intersection(a, b);
  return shared ? turfArea(shared) : 0;
}

/** Share of `a`'s area that lies in `b`, 0–1. */
export function overlapShare(a: Area, b: Area): number {
  const total = turfArea(a);
  return total > 0 ? overlapArea(a, b) / total : 0;
}

/** Twice the signed planar area of a ring: positive when counter-clockwise. */
export function ringSignedArea(ring: readonly Position[]): number {
  let sum = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const p = ring[i];
    const q = ring[i + 1];
    if (!p || !q) continue;
    sum += (p[0] ?? 0) * (q[1] ?? 0) - (q[0] ?? 0) * (p[1] ?? 0);
  }
  return sum;
}

function wound(ring: Position[], counterClockwise: boolean): Position[] {
  const ccw = ringSignedArea(ring) > 0;
  return ccw === counterClockwise ? ring.map((p) => [...p]) : ring.map((p) => [...p]).reverse();
}

/**
 * RFC 7946 §3.1.6 winding: exterior rings counter-clockwise, holes clockwise. Returns a new
 * geometry of the same type; the input is left as it is.
 */
export function rewindRfc7946<T extends Area>(area: T): T {
  const rewindPolygon = (rings: Position[][]) => rings.map((ring, index) => wound(ring, index === 0));
  if (area.type === 'Polygon') return { ...area, coordinates: rewindPolygon(area.coordinates) };
  return { ...area, coordinates: (area as MultiPolygon).coordinates.map(rewindPolygon) } as T;
}

/**
 * RFC 7946 winding for any stored GeoJSON area: a Polygon or MultiPolygon, or a Feature,
 * FeatureCollection or GeometryCollection holding them, at any depth. Anything else (a Point,
 * null, a value that is not GeoJSON) is returned as it is; the input is left as it is.
 */
export function rewindGeoJson<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const object = value as Record<string, unknown>;
  switch (object.type) {
    case 'Polygon':
    case 'MultiPolygon':
      return Array.isArray(object.coordinates) ? (rewindRfc7946(object as unknown as Area) as T) : value;
    case 'Feature':
      return { ...object, geometry: rewindGeoJson(object.geometry) } as T;
    case 'FeatureCollection':
      return Array.isArray(object.features)
        ? ({ ...object, features: object.features.map(rewindGeoJson) } as T)
        : value;
    case 'GeometryCollection':
      return Array.isArray(object.geometries)
        ? ({ ...object, geometries: object.geometries.map(rewindGeoJson) } as T)
        : value;
    default:
      return value;
  }
}

/** Whether every exterior ring is counter-clockwise and every hole clockwise. */
export function isRfc7946Wound(area: Area): boolean {
  return polygonsOf(area).every((rings) =>
    rings.every((ring, index) => (index === 0 ? ringSignedArea(ring) > 0 : ringSignedArea(ring) < 0)),
  );
}

/** A prepared area for repeated point and overlap tests (its bounding box computed once). */
export interface IndexedArea<K> {
  key: K;
  area: Area;
  box: BBox;
}

export function indexAreas<K>(entries: Iterable<{ key: K; area: Area }>): IndexedArea<K>[] {
  return [...entries].map(({ key, area }) => ({ key, area, box: bbox(area) }));
}

/** The keys of the areas that contain the point, in index order. */
export function areasContaining<K>(point: Position, areas: readonly IndexedArea<K>[]): K[] {
  return areas.filter((a) => pointInArea(point, a.area, a.box)).map((a) => a.key);
}

/** For each indexed area that shares area with `target`: its key, the shared square metres and the share of it covered. */
export function overlaps<K>(
  target: Area,
  areas: readonly IndexedArea<K>[],
): { key: K; sharedArea: number; shareOfArea: number }[] {
  const box = bbox(target);
  const result: { key: K; sharedArea: number; shareOfArea: number }[] = [];
  for (const a of areas) {
    if (!bboxesOverlap(box, a.box)) continue;
    const shared = intersection(target, a.area);
    if (!shared) continue;
    const sharedArea = turfArea(shared);
    if (sharedArea <= 0) continue;
    const total = turfArea(a.area);
    result.push({ key: a.key, sharedArea, shareOfArea: total > 0 ? sharedArea / total : 0 });
  }
  return result;
}
