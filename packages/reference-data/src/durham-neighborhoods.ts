import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  type Area,
  areaOf,
  areasContaining,
  type IndexedArea,
  indexAreas,
  overlaps,
  rewindRfc7946,
  toMultiPolygon,
} from '@civic/geo/geometry';
import type { MultiPolygon, Position } from 'geojson';
import { stableId } from './stable-id.ts';

/**
 * Durham's 237 published neighborhoods (DataWorks NC, Durham Neighborhood Compass), its three
 * council wards and 23 elementary school assignment zones, with each neighborhood's equity
 * figures computed the way the Compass computes them. Sources, licences and formulas:
 * `data/durham/README.md`.
 */

const require = createRequire(import.meta.url);

function dataFile(path: string): string {
  return readFileSync(require.resolve(`@civic/reference-data/data/durham/${path}`), 'utf8');
}

/** A small CSV reader for the published files: comma-separated, fields optionally double-quoted. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows.filter((r) => r.length > 1 || (r[0] ?? '') !== '');
  if (!header) return [];
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

/** A published figure as a number, or null when the file leaves it empty or `NA`. */
function numberOrNull(text: string | undefined): number | null {
  if (text === undefined || text === '' || text === 'NA') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** A Compass metric file: geography id → year → value. */
type MetricTable = Map<string, Map<number, number | null>>;

function readMetric(geography: 'blockgroup' | 'tract', file: string): MetricTable {
  const table: MetricTable = new Map();
  for (const row of parseCsv(dataFile(`compass/${geography}/${file}.csv`))) {
    const years = new Map<number, number | null>();
    for (const [key, value] of Object.entries(row)) {
      if (key.startsWith('y_')) years.set(Number(key.slice(2)), numberOrNull(value));
    }
    table.set(row.id as string, years);
  }
  return table;
}

export const COMPASS_SOURCE = 'Durham Neighborhood Compass (DataWorks NC), from U.S. Census Bureau data';
export const COMPASS_SOURCE_URL = 'https://compass.durhamnc.gov';
export const SVI_SOURCE = 'CDC/ATSDR Social Vulnerability Index 2018, via the Opioid Environment Policy Scan';
export const POVERTY_SOURCE = 'U.S. Census Bureau ACS 2014–2018 (S1701), via the Opioid Environment Policy Scan';
/** The year whose figure is each indicator's current value: ACS 2019–2023. */
export const LATEST_YEAR = 2023;

/** What a Compass year stands for: the 2010 census, or the ACS five-year estimate ending that year. */
export function compassVintage(year: number, metric: string): string {
  if (year === 2010 && metric !== 'MEDINC') return 'Census 2010';
  return `ACS ${year - 4}–${year}`;
}

export type IndicatorKey =
  | 'peopleOfColorShare'
  | 'hispanicShare'
  | 'blackShare'
  | 'whiteShare'
  | 'medianHouseholdIncome'
  | 'population'
  | 'povertyRate'
  | 'sviOverall'
  | 'sviSocioeconomic'
  | 'sviHouseholdDisability'
  | 'sviMinorityLanguage'
  | 'sviHousingTransportation';

/** `share`: 0–1; `usd`: US dollars; `people`: a count; `percentile`: 0–1 national percentile rank. */
export type IndicatorUnit = 'share' | 'usd' | 'people' | 'percentile';

export interface IndicatorPoint {
  year: number;
  vintage: string;
  value: number;
}

export interface Indicator {
  key: IndicatorKey;
  unit: IndicatorUnit;
  /** The current figure (latest year), or null when the area has no published data for it. */
  value: number | null;
  year: number | null;
  vintage: string | null;
  source: string;
  /**
   * 90 % margin of error of `value`, in the value's unit, where the Compass publishes one. For an
   * area of several block groups it combines theirs as independent errors (√Σ(dᵢ·mᵢ)² / Σdᵢ),
   * the Census Bureau's approximation for aggregates.
   */
  marginOfError: number | null;
  /** How the area's value is derived from its member geographies. */
  method: string;
  /** Every year with a figure, oldest first. */
  series: IndicatorPoint[];
}

export type Indicators = Record<IndicatorKey, Indicator>;

export interface SchoolZone {
  /** The published id, e.g. "Eastway". */
  key: string;
  name: string;
  nameEs: string;
}

export interface DurhamWard {
  number: number;
  name: string;
  nameEs: string;
  /** MultiPolygon, RFC 7946 winding. */
  boundary: MultiPolygon;
}

export interface DurhamNeighborhood {
  id: string;
  slug: string;
  /** The published `id` in the Compass's files. */
  key: string;
  /** Published English label. */
  name: string;
  /** Published Spanish label. */
  nameEs: string;
  /** The ward holding most of the neighborhood's area (null only if it lies in no ward). */
  ward: number | null;
  /** Every ward it overlaps, with the share of the neighborhood's area in each, largest first. */
  wards: { ward: number; share: number }[];
  /** The elementary school assignment zone holding most of its area. */
  schoolZone: SchoolZone | null;
  /** MultiPolygon, RFC 7946 winding (outer rings counter-clockwise). */
  boundary: MultiPolygon;
  /** Member 2010 block groups and tracts (GEOIDs) from the Compass crosswalk. */
  blockGroups: string[];
  tracts: string[];
  indicators: Indicators;
}

interface Feature {
  properties: { id: string; label: string; label_es: string; feature_type: string };
  geometry: Area;
}

/** The URL-safe slug of a published label ("Southside / St. Teresa" → "southside-st-teresa"). */
export function slugify(label: string): string {
  return label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Six decimals (about 0.1 m) is finer than the survey behind the file and keeps what is stored and sent small. */
function roundCoordinates(area: MultiPolygon): MultiPolygon {
  const round = (p: Position) => p.map((v) => Math.round(v * 1e6) / 1e6);
  return { type: 'MultiPolygon', coordinates: area.coordinates.map((poly) => poly.map((ring) => ring.map(round))) };
}

function loadFeatures(): Feature[] {
  return (JSON.parse(dataFile('neighborhoods-wards-schools.geojson')) as { features: Feature[] }).features;
}

function loadCrosswalk(): Map<string, { blockGroups: string[]; tracts: string[] }> {
  const members = new Map<string, { blockGroups: string[]; tracts: string[] }>();
  for (const row of parseCsv(dataFile('crosswalk-2010.csv'))) {
    if (row.group_type !== 'neighborhood') continue;
    const entry = members.get(row.group_name as string) ?? { blockGroups: [], tracts: [] };
    if (row.geography === 'blockgroup') entry.blockGroups.push(row.geoid as string);
    else if (row.geography === 'tract') entry.tracts.push(row.geoid as string);
    members.set(row.group_name as string, entry);
  }
  return members;
}

interface Tables {
  blockgroup: Map<string, MetricTable>;
  tractPopulation: MetricTable;
  svi: Map<string, Record<string, number | null>>;
  poverty: Map<string, number | null>;
}

const BLOCKGROUP_FILES = [
  'rPTPOC',
  'dPTPOC',
  'mPTPOC-accuracy',
  'rPTLAT',
  'dPTLAT',
  'mPTLAT-accuracy',
  'rPTBLKNL',
  'dPTBLKNL',
  'rPTWHNL',
  'dPTWHNL',
  'rMEDINC',
  'dMEDINC',
  'mMEDINC-accuracy',
  'rPOP',
] as const;

function loadTables(): Tables {
  const blockgroup = new Map<string, MetricTable>();
  for (const file of BLOCKGROUP_FILES) blockgroup.set(file, readMetric('blockgroup', file));
  const svi = new Map<string, Record<string, number | null>>();
  for (const row of parseCsv(dataFile('cdc-census/svi-2018-tracts.csv'))) {
    svi.set(row.GEOID as string, {
      SVIS: numberOrNull(row.SVIS),
      SVIth1: numberOrNull(row.SVIth1),
      SVIth2: numberOrNull(row.SVIth2),
      SVIth3: numberOrNull(row.SVIth3),
      SVIth4: numberOrNull(row.SVIth4),
    });
  }
  const poverty = new Map<string, number | null>();
  for (const row of parseCsv(dataFile('cdc-census/economic-acs2014-2018-tracts.csv'))) {
    const pct = numberOrNull(row.povP);
    poverty.set(row.GEOID as string, pct === null ? null : pct / 100);
  }
  return { blockgroup, tractPopulation: readMetric('tract', 'rPOP'), svi, poverty };
}

const SUM_RATIO = 'Σ numerators / Σ denominators over member block groups (the Compass method)';

/**
 * Σr / Σd over the member block groups, per year: a member missing either figure for a year is
 * left out of that year.
 */
function ratioIndicator(
  tables: Tables,
  key: IndicatorKey,
  unit: IndicatorUnit,
  metric: string,
  members: readonly string[],
  withMargin: boolean,
): Indicator {
  const r = tables.blockgroup.get(`r${metric}`) as MetricTable;
  const d = tables.blockgroup.get(`d${metric}`) as MetricTable;
  const m = withMargin ? tables.blockgroup.get(`m${metric}-accuracy`) : undefined;
  const years = [...(r.get(members[0] ?? '')?.keys() ?? [])].sort((a, b) => a - b);
  const series: IndicatorPoint[] = [];
  let marginOfError: number | null = null;
  for (const year of years) {
    let sumR = 0;
    let sumD = 0;
    let sumSquaredCountMargins = 0;
    let marginComplete = m !== undefined;
    let counted = 0;
    for (const geoid of members) {
      const rv = r.get(geoid)?.get(year);
      const dv = d.get(geoid)?.get(year);
      if (rv === null || rv === undefined || dv === null || dv === undefined) continue;
      sumR += rv;
      sumD += dv;
      counted++;
      const mv = m?.get(geoid)?.get(year);
      if (mv === null || mv === undefined) marginComplete = false;
      // The published margin is of the member's own ratio (percentage points or dollars): × dᵢ gives it in counts.
      else sumSquaredCountMargins += ((mv / (unit === 'share' ? 100 : 1)) * dv) ** 2;
    }
    if (counted === 0 || sumD <= 0) continue;
    series.push({ year, vintage: compassVintage(year, metric), value: sumR / sumD });
    if (year === LATEST_YEAR) marginOfError = marginComplete ? Math.sqrt(sumSquaredCountMargins) / sumD : null;
  }
  return finish(key, unit, COMPASS_SOURCE, SUM_RATIO, series, marginOfError);
}

function populationIndicator(tables: Tables, members: readonly string[]): Indicator {
  const pop = tables.blockgroup.get('rPOP') as MetricTable;
  const years = [...(pop.get(members[0] ?? '')?.keys() ?? [])].sort((a, b) => a - b);
  const series: IndicatorPoint[] = [];
  for (const year of years) {
    const values = members.map((g) => pop.get(g)?.get(year)).filter((v): v is number => typeof v === 'number');
    if (values.length === 0) continue;
    series.push({ year, vintage: compassVintage(year, 'POP'), value: values.reduce((a, b) => a + b, 0) });
  }
  return finish('population', 'people', COMPASS_SOURCE, 'Σ over member block groups', series, null);
}

/** Population-weighted mean over member tracts (weights: 2018 tract population, the figures' vintage). */
function tractMean(
  tables: Tables,
  key: IndicatorKey,
  unit: IndicatorUnit,
  source: string,
  vintage: string,
  tracts: readonly string[],
  value: (geoid: string) => number | null | undefined,
): Indicator {
  let weighted = 0;
  let weights = 0;
  for (const geoid of tracts) {
    const v = value(geoid);
    const w = tables.tractPopulation.get(geoid)?.get(2018);
    if (v === null || v === undefined || w === null || w === undefined || w <= 0) continue;
    weighted += v * w;
    weights += w;
  }
  const series = weights > 0 ? [{ year: 2018, vintage, value: weighted / weights }] : [];
  return finish(
    key,
    unit,
    source,
    'population-weighted mean over member tracts (weights: Compass 2018 tract population)',
    series,
    null,
  );
}

function finish(
  key: IndicatorKey,
  unit: IndicatorUnit,
  source: string,
  method: string,
  series: IndicatorPoint[],
  marginOfError: number | null,
): Indicator {
  const last = series.at(-1);
  return {
    key,
    unit,
    value: last?.value ?? null,
    year: last?.year ?? null,
    vintage: last?.vintage ?? null,
    source,
    marginOfError: last ? marginOfError : null,
    method,
    series,
  };
}

/** The Compass figures for an area made of the given block groups and tracts. */
export function computeIndicators(blockGroups: readonly string[], tracts: readonly string[]): Indicators {
  const tables = getTables();
  const svi = (theme: string) => (g: string) => tables.svi.get(g)?.[theme];
  const sviIndicator = (key: IndicatorKey, theme: string) =>
    tractMean(tables, key, 'percentile', SVI_SOURCE, 'SVI 2018', tracts, svi(theme));
  return {
    peopleOfColorShare: ratioIndicator(tables, 'peopleOfColorShare', 'share', 'PTPOC', blockGroups, true),
    hispanicShare: ratioIndicator(tables, 'hispanicShare', 'share', 'PTLAT', blockGroups, true),
    blackShare: ratioIndicator(tables, 'blackShare', 'share', 'PTBLKNL', blockGroups, false),
    whiteShare: ratioIndicator(tables, 'whiteShare', 'share', 'PTWHNL', blockGroups, false),
    medianHouseholdIncome: ratioIndicator(tables, 'medianHouseholdIncome', 'usd', 'MEDINC', blockGroups, true),
    population: populationIndicator(tables, blockGroups),
    povertyRate: tractMean(tables, 'povertyRate', 'share', POVERTY_SOURCE, 'ACS 2014–2018', tracts, (g) =>
      tables.poverty.get(g),
    ),
    sviOverall: sviIndicator('sviOverall', 'SVIS'),
    sviSocioeconomic: sviIndicator('sviSocioeconomic', 'SVIth1'),
    sviHouseholdDisability: sviIndicator('sviHouseholdDisability', 'SVIth2'),
    sviMinorityLanguage: sviIndicator('sviMinorityLanguage', 'SVIth3'),
    sviHousingTransportation: sviIndicator('sviHousingTransportation', 'SVIth4'),
  };
}

let tablesCache: Tables | undefined;
function getTables(): Tables {
  tablesCache ??= loadTables();
  return tablesCache;
}

interface Loaded {
  neighborhoods: DurhamNeighborhood[];
  wards: DurhamWard[];
  schoolZones: (SchoolZone & { boundary: MultiPolygon })[];
}

let loaded: Loaded | undefined;

/** Share of a neighborhood's area below which a ward overlap is an edge sliver of the two surveys, not an overlap. */
export const WARD_OVERLAP_MIN_SHARE = 0.01;

export interface NeighborhoodGeography {
  wards: { ward: number; share: number }[];
  schoolZone: string | null;
}

/**
 * Where a neighborhood lies: the wards it overlaps (share of its area in each, largest first) and
 * the school zone holding most of its area. Intersecting 237 boundaries takes seconds, so
 * `scripts/durham-geography.ts` runs this once into `data/durham/neighborhood-geography.json`.
 */
export function placeNeighborhood(
  boundary: MultiPolygon,
  wards: readonly IndexedArea<number>[],
  zones: readonly IndexedArea<string>[],
): NeighborhoodGeography {
  const total = areaOf(boundary);
  const wardShares = overlaps(boundary, wards)
    .map((o) => ({ ward: o.key, share: Math.round((o.sharedArea / total) * 1e4) / 1e4 }))
    .filter((o) => o.share >= WARD_OVERLAP_MIN_SHARE)
    .sort((a, b) => b.share - a.share || a.ward - b.ward);
  const zone = overlaps(boundary, zones).sort((a, b) => b.sharedArea - a.sharedArea)[0]?.key ?? null;
  return { wards: wardShares, schoolZone: zone };
}

interface Published {
  neighborhoods: { key: string; name: string; nameEs: string; boundary: MultiPolygon }[];
  wards: DurhamWard[];
  schoolZones: (SchoolZone & { boundary: MultiPolygon })[];
}
let published: Published | undefined;

/** The published features as this module reads them (boundaries rewound and rounded), without derived facts. */
function loadPublished(): Published {
  if (published) return published;
  const features = loadFeatures();
  const geometry = (f: Feature) => roundCoordinates(rewindRfc7946(toMultiPolygon(f.geometry)));
  const ofType = (type: string) => features.filter((f) => f.properties.feature_type === type);
  published = {
    neighborhoods: ofType('neighborhood').map((f) => ({
      key: f.properties.id,
      name: f.properties.label,
      nameEs: f.properties.label_es,
      boundary: geometry(f),
    })),
    wards: ofType('ward')
      .map((f) => {
        const number = Number(f.properties.id.replace(/\D/g, ''));
        return {
          number,
          name: f.properties.label,
          nameEs: f.properties.label_es === f.properties.label ? `Distrito ${number}` : f.properties.label_es,
          boundary: geometry(f),
        };
      })
      .sort((x, y) => x.number - y.number),
    schoolZones: ofType('elementary_school_assignment_zone').map((f) => ({
      key: f.properties.id,
      name: f.properties.label,
      nameEs: f.properties.label_es,
      boundary: geometry(f),
    })),
  };
  return published;
}

/** The published areas indexed for `placeNeighborhood`. */
export function publishedAreas(): {
  neighborhoods: { key: string; boundary: MultiPolygon }[];
  wards: IndexedArea<number>[];
  zones: IndexedArea<string>[];
} {
  const { neighborhoods, wards, schoolZones: zones } = loadPublished();
  return {
    neighborhoods: neighborhoods.map((n) => ({ key: n.key, boundary: n.boundary })),
    wards: indexAreas(wards.map((w) => ({ key: w.number, area: w.boundary }))),
    zones: indexAreas(zones.map((z) => ({ key: z.key, area: z.boundary }))),
  };
}

function loadGeography(): Record<string, NeighborhoodGeography> {
  return JSON.parse(dataFile('neighborhood-geography.json')) as Record<string, NeighborhoodGeography>;
}

function load(): Loaded {
  if (loaded) return loaded;
  const { neighborhoods: publishedNeighborhoods, wards, schoolZones } = loadPublished();
  const crosswalk = loadCrosswalk();
  const precomputed = loadGeography();
  const neighborhoods = publishedNeighborhoods
    .map((f): DurhamNeighborhood => {
      const slug = slugify(f.name);
      const placed = precomputed[f.key];
      if (!placed) throw new Error(`neighborhood-geography.json lacks "${f.key}": run scripts/durham-geography.ts`);
      const zone = schoolZones.find((z) => z.key === placed.schoolZone);
      const members = crosswalk.get(f.key) ?? { blockGroups: [], tracts: [] };
      return {
        id: stableId('neighborhood', slug),
        slug,
        key: f.key,
        name: f.name,
        nameEs: f.nameEs,
        ward: placed.wards[0]?.ward ?? null,
        wards: placed.wards,
        schoolZone: zone ? { key: zone.key, name: zone.name, nameEs: zone.nameEs } : null,
        boundary: f.boundary,
        blockGroups: members.blockGroups,
        tracts: members.tracts,
        indicators: computeIndicators(members.blockGroups, members.tracts),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'en'));
  loaded = { neighborhoods, wards, schoolZones };
  return loaded;
}

/** All 237 published neighborhoods, by English name. Loaded (and figures computed) on first use. */
export function durhamNeighborhoods(): readonly DurhamNeighborhood[] {
  return load().neighborhoods;
}

/** The three council wards, with DataWorks NC's 2020 boundaries. */
export function durhamWards(): readonly DurhamWard[] {
  return load().wards;
}

/** The 23 elementary school assignment zones. */
export function schoolZones(): readonly (SchoolZone & { boundary: MultiPolygon })[] {
  return load().schoolZones;
}

export function neighborhoodById(id: string): DurhamNeighborhood | undefined {
  return byId().get(id);
}

let idMap: Map<string, DurhamNeighborhood> | undefined;
function byId(): Map<string, DurhamNeighborhood> {
  idMap ??= new Map(durhamNeighborhoods().map((n) => [n.id, n]));
  return idMap;
}

/** Neighborhood ids and boundaries, for subgraphs that intersect their own areas with them. */
export function neighborhoodAreas(): readonly IndexedArea<string>[] {
  areaIndex ??= indexAreas(durhamNeighborhoods().map((n) => ({ key: n.id, area: n.boundary })));
  return areaIndex;
}
let areaIndex: IndexedArea<string>[] | undefined;

/** The neighborhoods containing a `[longitude, latitude]` point (more than one only on a shared edge). */
export function neighborhoodsAt(point: Position): DurhamNeighborhood[] {
  return areasContaining(point, neighborhoodAreas()).map((id) => byId().get(id) as DurhamNeighborhood);
}

/** The neighborhoods a polygon overlaps, with the share of each neighborhood's area it covers. */
export function neighborhoodsOverlapping(area: Area): { neighborhood: DurhamNeighborhood; shareOfArea: number }[] {
  return overlaps(area, neighborhoodAreas()).map((o) => ({
    neighborhood: byId().get(o.key) as DurhamNeighborhood,
    shareOfArea: o.shareOfArea,
  }));
}

export interface NeighborhoodAlias {
  /** The name used before the published neighborhoods (demo data, old CSV files). */
  name: string;
  /** The published neighborhood's label. */
  neighborhood: string;
  note: string;
}

let aliasCache: NeighborhoodAlias[] | undefined;
/** The demo-era names and the published neighborhoods they stand for (`data/durham/demo-aliases.csv`). */
export function neighborhoodAliases(): readonly NeighborhoodAlias[] {
  aliasCache ??= parseCsv(dataFile('demo-aliases.csv')).map((r) => ({
    name: r.name as string,
    neighborhood: r.neighborhood as string,
    note: r.note ?? '',
  }));
  return aliasCache;
}

function nameKey(name: string): string {
  return name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
}

let nameMap: Map<string, DurhamNeighborhood> | undefined;
function names(): Map<string, DurhamNeighborhood> {
  if (nameMap) return nameMap;
  const map = new Map<string, DurhamNeighborhood>();
  const byLabel = new Map(durhamNeighborhoods().map((n) => [n.name, n]));
  for (const n of durhamNeighborhoods()) {
    map.set(nameKey(n.name), n);
    map.set(nameKey(n.nameEs), n);
  }
  for (const alias of neighborhoodAliases()) {
    const target = byLabel.get(alias.neighborhood);
    if (!target) throw new Error(`demo-aliases.csv: "${alias.name}" names no published neighborhood`);
    if (!map.has(nameKey(alias.name))) map.set(nameKey(alias.name), target);
  }
  nameMap = map;
  return map;
}

/**
 * The published neighborhood a name stands for: its English or Spanish label or a demo-era alias,
 * case- and spacing-insensitively. Undefined for an unknown name.
 */
export function resolveNeighborhoodName(name: string): DurhamNeighborhood | undefined {
  return names().get(nameKey(name));
}

/** The neighborhood id the pre-published demo used for a slug (`stableId('neighborhood', slug)`). */
export function legacyNeighborhoodId(slug: string): string {
  return stableId('neighborhood', slug);
}
