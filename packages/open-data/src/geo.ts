import type { GeoJsonGeometry } from './types.ts';

type Ring = [number, number][];

function ringAreaAndCentroid(ring: Ring): { area: number; x: number; y: number } {
  let area = 0;
  let x = 0;
  let y = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0, y0] = ring[j] as [number, number];
    const [x1, y1] = ring[i] as [number, number];
    const cross = x0 * y1 - x1 * y0;
    area += cross;
    x += (x0 + x1) * cross;
    y += (y0 + y1) * cross;
  }
  return { area: area / 2, x, y };
}

/**
 * The area-weighted centroid of a Polygon or MultiPolygon (holes subtracted), rounded to six
 * decimals; null for other geometries or an empty shape. It stands for "somewhere in this area"
 * on a map; for a concave area it may fall outside it.
 */
export function centroid(geometry: GeoJsonGeometry | null | undefined): [number, number] | null {
  if (!geometry) return null;
  const polygons =
    geometry.type === 'Polygon'
      ? [geometry.coordinates as Ring[]]
      : geometry.type === 'MultiPolygon'
        ? (geometry.coordinates as Ring[][])
        : [];
  let area = 0;
  let x = 0;
  let y = 0;
  for (const polygon of polygons) {
    polygon.forEach((ring, index) => {
      const part = ringAreaAndCentroid(ring);
      // Outer rings add, holes subtract, whatever their winding order.
      const sign = index === 0 ? Math.sign(part.area) : -Math.sign(part.area);
      area += sign * part.area;
      x += sign * part.x;
      y += sign * part.y;
    });
  }
  if (area === 0) return null;
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  return [round(x / (6 * area)), round(y / (6 * area))];
}

function signedArea(ring: Ring): number {
  return ringAreaAndCentroid(ring).area;
}

function wound(ring: Ring, counterClockwise: boolean): Ring {
  const area = signedArea(ring);
  return area === 0 || area > 0 === counterClockwise ? ring : [...ring].reverse();
}

/**
 * The geometry with RFC 7946 §3.1.6 winding: exterior rings counter-clockwise, holes clockwise
 * (planar longitude/latitude, as GeoJSON consumers compute it). Other geometries are returned as
 * they are; the input is not changed.
 */
export function rewind(geometry: GeoJsonGeometry | null): GeoJsonGeometry | null {
  if (!geometry) return geometry;
  const polygon = (rings: Ring[]) => rings.map((ring, index) => wound(ring, index === 0));
  if (geometry.type === 'Polygon') return { ...geometry, coordinates: polygon(geometry.coordinates as Ring[]) };
  if (geometry.type === 'MultiPolygon') {
    return { ...geometry, coordinates: (geometry.coordinates as Ring[][]).map(polygon) };
  }
  return geometry;
}

/** Rings of the geometry that break RFC 7946 winding, as "polygon p ring r" (empty when none do). */
export function windingProblems(geometry: GeoJsonGeometry | null): string[] {
  if (!geometry) return [];
  const polygons =
    geometry.type === 'Polygon'
      ? [geometry.coordinates as Ring[]]
      : geometry.type === 'MultiPolygon'
        ? (geometry.coordinates as Ring[][])
        : [];
  const problems: string[] = [];
  polygons.forEach((rings, p) => {
    rings.forEach((ring, r) => {
      const area = signedArea(ring);
      if (area !== 0 && area > 0 !== (r === 0)) problems.push(`polygon ${p} ring ${r}`);
    });
  });
  return problems;
}
