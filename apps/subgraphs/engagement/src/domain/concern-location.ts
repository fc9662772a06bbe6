import { type Area, areasContaining, type IndexedArea, indexAreas } from '@civic/geo/geometry';
import { badInput, type FieldProblem } from '@civic/server-kit/errors';
import { z } from 'zod';
import type { EngagementPrisma } from '../db.ts';
import { inputTable } from './input-rules.ts';

/**
 * A concern's point is where a resident said something happens, often their street or home, so it
 * is personal data: staff read it exactly, everyone else (the public API, open data, Open311) reads
 * it rounded to this many decimals of a degree (about 110 m of latitude, 90 m of longitude in Durham).
 */
export const PUBLIC_POINT_DECIMALS = 3;

export interface ConcernPoint {
  latitude: number;
  longitude: number;
}

const degrees = (name: string, limit: number) =>
  z
    .number({ message: `${name} must be a number` })
    .finite(`${name} must be a finite number`)
    .min(-limit, `${name} must be between -${limit} and ${limit}`)
    .max(limit, `${name} must be between -${limit} and ${limit}`);

export const LOCATION_INPUT = inputTable({
  latitude: {
    field: (t) => t.float({ required: true, description: 'Latitude in decimal degrees (WGS84), −90 to 90.' }),
    schema: degrees('latitude', 90),
  },
  longitude: {
    field: (t) => t.float({ required: true, description: 'Longitude in decimal degrees (WGS84), −180 to 180.' }),
    schema: degrees('longitude', 180),
  },
});

/** An optional point: absent or null is "no point". */
export const locationRule = LOCATION_INPUT.schema.nullish();

/** The point as the caller may see it: exact for staff, rounded for everyone else. */
export function visiblePoint(
  row: { latitude: number | null; longitude: number | null },
  staff: boolean,
): (ConcernPoint & { exact: boolean }) | null {
  if (row.latitude === null || row.longitude === null) return null;
  if (staff) return { latitude: row.latitude, longitude: row.longitude, exact: true };
  const factor = 10 ** PUBLIC_POINT_DECIMALS;
  const round = (v: number) => Math.round(v * factor) / factor;
  return { latitude: round(row.latitude), longitude: round(row.longitude), exact: false };
}

/** The stored neighborhoods and wards, to tell which of them hold a point. */
export interface CityAreas {
  /** The neighborhoods whose published boundary holds the point (boundary included), by name. */
  neighborhoodsAt(point: ConcernPoint): string[];
  /** Whether any neighborhood or council ward holds the point. */
  inCity(point: ConcernPoint): boolean;
  nameOf(neighborhoodId: string): string;
}

export async function loadCityAreas(prisma: EngagementPrisma): Promise<CityAreas> {
  const [neighborhoods, wards] = await Promise.all([
    prisma.neighborhood.findMany({ select: { id: true, name: true, boundary: true }, orderBy: { name: 'asc' } }),
    prisma.ward.findMany({ select: { number: true, boundary: true } }),
  ]);
  const names = new Map(neighborhoods.map((n) => [n.id, n.name]));
  const isArea = (value: unknown): value is Area => {
    const type = (value as { type?: unknown } | null)?.type;
    return type === 'Polygon' || type === 'MultiPolygon';
  };
  const neighborhoodAreas: IndexedArea<string>[] = indexAreas(
    neighborhoods.flatMap((n) => (isArea(n.boundary) ? [{ key: n.id, area: n.boundary }] : [])),
  );
  const wardAreas = indexAreas(wards.flatMap((w) => (isArea(w.boundary) ? [{ key: w.number, area: w.boundary }] : [])));
  const position = (p: ConcernPoint) => [p.longitude, p.latitude];
  return {
    neighborhoodsAt: (p) => areasContaining(position(p), neighborhoodAreas),
    inCity: (p) =>
      areasContaining(position(p), neighborhoodAreas).length > 0 || areasContaining(position(p), wardAreas).length > 0,
    nameOf: (id) => names.get(id) ?? id,
  };
}

export interface PlacedConcern {
  location?: ConcernPoint | null;
  neighborhoodId?: string | null;
}

/** A problem with the place of concern `index` of a list, on its `location` or `neighborhoodId`. */
export interface PlaceProblem {
  index: number;
  field: 'location' | 'neighborhoodId';
  message: string;
}

const describe = (p: ConcernPoint) => `(${p.latitude}, ${p.longitude})`;

/**
 * Checks each concern's point against the city's areas: a point no neighborhood or ward holds is
 * refused; a concern with a point and no neighborhood gets the neighborhood holding it (the first by
 * name where published boundaries overlap); a neighborhood given with a point must hold it.
 * `keep[i]`, when given, is a neighborhood to keep if it holds the point (a patch's current one).
 */
export function placeConcerns<T extends PlacedConcern>(
  areas: CityAreas,
  concerns: readonly T[],
  keep: readonly (string | null | undefined)[] = [],
): { placed: T[]; problems: PlaceProblem[] } {
  const problems: PlaceProblem[] = [];
  const placed = concerns.map((concern, index) => {
    const point = concern.location;
    if (!point) return concern;
    if (!areas.inCity(point)) {
      problems.push({
        index,
        field: 'location',
        message: `the point ${describe(point)} is outside the city: no neighborhood or council ward contains it`,
      });
      return concern;
    }
    const holding = areas.neighborhoodsAt(point);
    const given = concern.neighborhoodId;
    if (given) {
      if (!holding.includes(given)) {
        const where = holding.length
          ? `lies in "${areas.nameOf(holding[0] as string)}"`
          : 'lies in no published neighborhood';
        const message = `the point ${describe(point)} ${where}, not in the neighborhood given, "${areas.nameOf(given)}"`;
        problems.push({ index, field: 'location', message }, { index, field: 'neighborhoodId', message });
      }
      return concern;
    }
    const current = keep[index];
    const neighborhoodId = current && holding.includes(current) ? current : (holding[0] ?? null);
    return { ...concern, neighborhoodId };
  });
  return { placed, problems };
}

/** placeConcerns for an API input list: refused as BAD_USER_INPUT with `<prefix>.<index>.<field>` paths. */
export async function placeConcernsOrRefuse<T extends PlacedConcern>(
  prisma: EngagementPrisma,
  concerns: readonly T[],
  prefix: string,
  keep: readonly (string | null | undefined)[] = [],
): Promise<T[]> {
  if (!concerns.some((c) => c.location)) return [...concerns];
  const { placed, problems } = placeConcerns(await loadCityAreas(prisma), concerns, keep);
  if (problems.length > 0) {
    const list: FieldProblem[] = problems.map((p) => ({
      field: `${prefix}.${p.index}.${p.field}`,
      message: p.message,
    }));
    throw badInput(`${list[0]?.field}: ${list[0]?.message}`, list);
  }
  return placed;
}

/** The stored columns of an optional point. */
export function pointColumns(location: ConcernPoint | null | undefined) {
  return { latitude: location?.latitude ?? null, longitude: location?.longitude ?? null };
}
