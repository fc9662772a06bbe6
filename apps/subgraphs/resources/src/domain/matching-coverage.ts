import type { ServiceCoverage } from '@civic/alignment/types';
import { type Area, bbox, type IndexedArea, indexAreas, overlaps, pointInArea } from '@civic/geo/geometry';
import type { ResourcesPrisma } from '../db.ts';

/** A published neighborhood as coverage needs it. */
export interface NeighborhoodArea {
  id: string;
  /** Every council ward the neighborhood overlaps. */
  wards: readonly number[];
  boundary: Area;
}

export interface CoverageInput {
  servesCitywide: boolean;
  serviceWards: readonly number[];
  serviceNeighborhoodIds: readonly string[];
  serviceAreaDescription: string | null;
  serviceAreaGeoJson: unknown;
}

/**
 * A neighborhood is covered by an extent when at least this share of its area lies inside it: an
 * extent drawn as the union of some neighborhoods (simplified to ~40 m) covers each of them almost
 * whole and its neighbours only along a sliver of their edge.
 */
export const COVERED_SHARE = 0.5;
/** Sample points per side of a neighborhood's box, and how near the threshold an estimate must be to be computed exactly. */
const SAMPLE_GRID = 16;
const EXACT_MARGIN = 0.2;

/**
 * A part of a text-only area that means the whole city: Durham itself, the county, the state (the
 * city lies in both), in English or Spanish. A part merely mentioning Durham ("Durham Tech students",
 * "East Durham" when it is no published name) does not.
 */
const WHOLE_CITY_PART =
  /^(?:(?:all of |the )?(?:city of durham|durham(?:,? (?:nc|north carolina))?|durham city|durham county|durham county,? nc)|(?:the )?(?:state of )?north carolina|nc|statewide|citywide|city-wide|countywide|county-wide|(?:toda )?la ciudad(?: de durham)?|toda la ciudad|ciudad de durham|(?:el )?condado de durham|(?:todo )?durham|carolina del norte)$/;
/** A longer part that names the city or county as a whole ("Residents of Durham County", "Serves the City of Durham"). */
const WHOLE_CITY_WORDS =
  /\b(?:city of durham|durham county|ciudad de durham|condado de durham|citywide|city-wide|countywide|county-wide|statewide|north carolina|carolina del norte|toda la ciudad)\b/;
/** Council wards named in text: "Ward 2", "Wards 1 and 3", "Distrito 1 y 2". */
const WARDS = /\b(?:wards?|distritos?)\s+(\d(?:\s*(?:,|&|and|y|or|o)\s*\d)*)\b/gi;

/** What a text-only area says, read against the published names. */
export interface TextArea {
  citywide: boolean;
  wards: number[];
  neighborhoodIds: string[];
  /** The parts that name nothing we know, as given. */
  unresolved: string[];
}

const lower = (text: string) => text.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
const strip = (text: string) => text.trim().replace(/^[\s.,;:()-]+|[\s.,;:()-]+$/g, '');

/**
 * Reads a text-only area, one area per line as the HSDS import keeps them ("name — description"):
 * wards, published neighborhood names (English, Spanish or a demo alias), and phrases meaning the
 * whole city or county. A line's description is read when its name says nothing known.
 */
export function readTextArea(index: Pick<CoverageIndex, 'resolveName'>, text: string): TextArea {
  const result: TextArea = { citywide: false, wards: [], neighborhoodIds: [], unresolved: [] };
  const wards = new Set<number>();
  const hoods = new Set<string>();
  const readPart = (part: string): boolean => {
    const clean = strip(part);
    if (!clean) return true;
    const id = index.resolveName(clean);
    if (id) {
      hoods.add(id);
      return true;
    }
    const key = lower(clean);
    if (WHOLE_CITY_PART.test(key) || WHOLE_CITY_WORDS.test(key)) {
      result.citywide = true;
      return true;
    }
    return false;
  };
  /** A segment's parts; undefined when it names nothing known, so the caller can try another. */
  const readSegment = (segment: string): string[] | undefined => {
    let rest = segment.replace(WARDS, (_match, numbers: string) => {
      for (const n of numbers.match(/\d/g) ?? []) wards.add(Number(n));
      return ',';
    });
    const before = hoods.size + wards.size + (result.citywide ? 1 : 0);
    const unresolved: string[] = [];
    rest = rest.replace(/^[^:,]*:/, '');
    if (!readPart(rest)) {
      for (const piece of rest.split(/[,;]/)) {
        if (readPart(piece)) continue;
        const words = piece.split(/\s(?:and|y|&|or|o)\s/i);
        const missed = words.filter((w) => !readPart(w));
        if (missed.length === words.length) unresolved.push(strip(piece));
        else unresolved.push(...missed.map(strip).filter(Boolean));
      }
    }
    const after = hoods.size + wards.size + (result.citywide ? 1 : 0);
    return after > before || unresolved.length === 0 ? unresolved : undefined;
  };
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const [name = '', ...described] = line.split(' — ');
    const description = described.join(' — ');
    const fromName = readSegment(name);
    if (fromName !== undefined) {
      result.unresolved.push(...fromName);
      continue;
    }
    const fromDescription = description ? readSegment(description) : undefined;
    result.unresolved.push(...(fromDescription ?? [strip(line)]));
  }
  result.wards = [...wards].filter((w) => w >= 1 && w <= 3).sort();
  result.neighborhoodIds = [...hoods];
  result.unresolved = [...new Set(result.unresolved.filter(Boolean))];
  return result;
}

/** Whether a service's area is words alone (no citywide flag, ward, neighborhood or drawn extent). */
export function isTextOnlyArea(service: CoverageInput): boolean {
  return (
    !service.servesCitywide &&
    service.serviceWards.length === 0 &&
    service.serviceNeighborhoodIds.length === 0 &&
    (service.serviceAreaGeoJson === null || service.serviceAreaGeoJson === undefined) &&
    !!service.serviceAreaDescription?.trim()
  );
}

/**
 * An extent holding this share of every council ward serves the whole city. Neighborhoods on the
 * city limits lie mostly outside it, so an extent drawn as the city itself never covers them by
 * area; judged by neighborhoods alone it would be "not citywide" and never offered to a concern
 * without a neighborhood.
 */
export const CITY_SHARE = 0.95;

export interface CoverageIndex {
  neighborhoods: readonly NeighborhoodArea[];
  indexed: IndexedArea<string>[];
  /** Resolves a neighborhood named in an area's text to its published id. */
  resolveName(name: string): string | null;
  /** Extents seen before (many services share the same citywide or multi-neighborhood extent). */
  extentCache: Map<string, string[]>;
  /** Each neighborhood's sample points, made once. */
  samples: Map<string, number[][]>;
  /** The council wards: together, the city. */
  wards: IndexedArea<number>[];
  /** Extents seen before: whether each covers the whole city. */
  cityCache: Map<string, boolean>;
}

export function createCoverageIndex(
  neighborhoods: readonly NeighborhoodArea[],
  resolveName: (name: string) => string | null,
  wards: readonly { ward: number; boundary: Area }[] = [],
): CoverageIndex {
  return {
    neighborhoods,
    indexed: indexAreas(neighborhoods.map((n) => ({ key: n.id, area: n.boundary }))),
    resolveName,
    extentCache: new Map(),
    samples: new Map(),
    wards: indexAreas(wards.map((w) => ({ key: w.ward, area: w.boundary }))),
    cityCache: new Map(),
  };
}

/** Whether the extent holds (almost) all of every ward, i.e. the whole city. */
function extentCoversCity(index: CoverageIndex, extent: unknown): boolean {
  if (index.wards.length === 0) return false;
  const key = JSON.stringify(extent);
  const cached = index.cityCache.get(key);
  if (cached !== undefined) return cached;
  const share = new Map<number, number>();
  for (const area of areasOf(extent)) {
    for (const o of overlaps(area, index.wards)) share.set(o.key, (share.get(o.key) ?? 0) + o.shareOfArea);
  }
  const covers = index.wards.every((w) => (share.get(w.key) ?? 0) >= CITY_SHARE);
  index.cityCache.set(key, covers);
  return covers;
}

function isArea(value: unknown): value is Area {
  const type = (value as { type?: unknown } | null)?.type;
  return (
    (type === 'Polygon' || type === 'MultiPolygon') && Array.isArray((value as { coordinates?: unknown }).coordinates)
  );
}

/** A GeoJSON geometry, Feature or FeatureCollection as the areas it holds. */
function areasOf(value: unknown): Area[] {
  if (isArea(value)) return [value];
  const v = value as { type?: string; geometry?: unknown; features?: unknown[] } | null;
  if (v?.type === 'Feature') return areasOf(v.geometry);
  if (v?.type === 'FeatureCollection' && Array.isArray(v.features)) return v.features.flatMap(areasOf);
  return [];
}

/** Points spread evenly over a neighborhood (a grid over its box, kept where inside it): its area, sampled. */
function samplePoints(area: Area): number[][] {
  const [west, south, east, north] = bbox(area);
  const points: number[][] = [];
  for (let i = 0; i < SAMPLE_GRID; i++) {
    for (let j = 0; j < SAMPLE_GRID; j++) {
      const point = [
        west + ((i + 0.5) * (east - west)) / SAMPLE_GRID,
        south + ((j + 0.5) * (north - south)) / SAMPLE_GRID,
      ];
      if (pointInArea(point, area)) points.push(point);
    }
  }
  return points;
}

/**
 * The share of each neighborhood's area inside the extent. Estimated from points spread over
 * the neighborhood (cheap, a few per cent off at most); computed exactly by polygon intersection
 * only where the estimate is close enough to the threshold for that error to matter.
 */
function extentCoverage(index: CoverageIndex, extent: unknown): string[] {
  const key = JSON.stringify(extent);
  const cached = index.extentCache.get(key);
  if (cached) return cached;
  const covered = new Map<string, number>();
  for (const area of areasOf(extent)) {
    const box = bbox(area);
    const unsure: IndexedArea<string>[] = [];
    for (const n of index.indexed) {
      if (n.box[0] > box[2] || box[0] > n.box[2] || n.box[1] > box[3] || box[1] > n.box[3]) continue;
      const points = samples(index, n);
      const share = points.length === 0 ? 0 : points.filter((p) => pointInArea(p, area, box)).length / points.length;
      if (Math.abs(share - COVERED_SHARE) < EXACT_MARGIN) unsure.push(n);
      else covered.set(n.key, (covered.get(n.key) ?? 0) + share);
    }
    for (const o of overlaps(area, unsure)) covered.set(o.key, (covered.get(o.key) ?? 0) + o.shareOfArea);
  }
  const ids = [...covered].filter(([, share]) => share >= COVERED_SHARE).map(([id]) => id);
  index.extentCache.set(key, ids);
  return ids;
}

function samples(index: CoverageIndex, n: IndexedArea<string>): number[][] {
  let points = index.samples.get(n.key);
  if (!points) {
    points = samplePoints(n.area);
    index.samples.set(n.key, points);
  }
  return points;
}

/**
 * The published neighborhoods a service's area covers, by the first of these that the service
 * has: citywide; a GeoJSON extent holding every ward (all of the city); a GeoJSON extent (by area overlap); wards (their neighborhoods); neighborhoods;
 * a text-only area naming neighborhoods; a text-only area naming Durham, the county or the state
 * (all of the city); no area at all (all of the city: nothing limits it). A text-only area naming
 * only somewhere else covers nothing.
 */
export function coverageOf(index: CoverageIndex, service: CoverageInput): ServiceCoverage {
  const all = index.neighborhoods.map((n) => n.id);
  const finish = (ids: Iterable<string>): ServiceCoverage => {
    const set = new Set(ids);
    return all.length > 0 && all.every((id) => set.has(id))
      ? { citywide: true, neighborhoodIds: [] }
      : { citywide: false, neighborhoodIds: all.filter((id) => set.has(id)) };
  };
  if (service.servesCitywide) return { citywide: true, neighborhoodIds: [] };
  if (service.serviceAreaGeoJson && extentCoversCity(index, service.serviceAreaGeoJson)) {
    return { citywide: true, neighborhoodIds: [] };
  }
  const listed = new Set<string>();
  if (service.serviceAreaGeoJson !== null && service.serviceAreaGeoJson !== undefined) {
    for (const id of extentCoverage(index, service.serviceAreaGeoJson)) listed.add(id);
  }
  if (service.serviceWards.length > 0) {
    for (const n of index.neighborhoods) if (n.wards.some((w) => service.serviceWards.includes(w))) listed.add(n.id);
  }
  for (const id of service.serviceNeighborhoodIds) listed.add(id);
  if (listed.size > 0 || service.serviceAreaGeoJson) return finish(listed);
  const text = service.serviceAreaDescription?.trim() ?? '';
  if (text) {
    const read = readTextArea(index, text);
    if (read.citywide) return { citywide: true, neighborhoodIds: [] };
    const named = new Set(read.neighborhoodIds);
    for (const n of index.neighborhoods) if (n.wards.some((w) => read.wards.includes(w))) named.add(n.id);
    // Nothing known named: no neighborhood is counted (coverage unknown), never the whole city.
    return named.size > 0 ? finish(named) : { citywide: false, neighborhoodIds: [] };
  }
  return { citywide: true, neighborhoodIds: [] };
}

/**
 * Recomputes the coverage of services marked stale (new rows, and rows whose area changed: a
 * trigger marks them) or of the given ids. Safe to run from several processes at once: each
 * writes the same result.
 */
export async function refreshCoverage(
  prisma: ResourcesPrisma,
  index: CoverageIndex,
  ids?: readonly string[],
): Promise<number> {
  const stale = await prisma.service.findMany({
    where: ids ? { id: { in: [...ids] } } : { coverageComputed: false },
    select: {
      id: true,
      servesCitywide: true,
      serviceWards: true,
      serviceNeighborhoodIds: true,
      serviceAreaDescription: true,
      serviceAreaGeoJson: true,
      updatedAt: true,
    },
  });
  // One statement per thousand services, each row written only if it is still as read: an area
  // changed meanwhile stays stale for the next refresh. "updatedAt" moves, so matchers rebuild.
  for (let i = 0; i < stale.length; i += 1000) {
    const batch = stale.slice(i, i + 1000).map((service) => ({ service, coverage: coverageOf(index, service) }));
    await prisma.$executeRaw`
      UPDATE "Service" s SET "coverageComputed" = true, "coverageCitywide" = u.citywide,
        "coverageNeighborhoodIds" = ARRAY(SELECT jsonb_array_elements_text(u.hoods::jsonb)), "updatedAt" = now() AT TIME ZONE 'UTC'
      FROM unnest(
        ${batch.map((b) => b.service.id)}::text[],
        ${batch.map((b) => b.service.updatedAt)}::timestamp(3)[],
        ${batch.map((b) => b.coverage.citywide)}::boolean[],
        ${batch.map((b) => JSON.stringify(b.coverage.neighborhoodIds))}::text[]
      ) AS u(id, updated, citywide, hoods)
      WHERE s."id" = u.id AND s."updatedAt" = u.updated`;
  }
  return stale.length;
}
