import { readFileSync } from 'node:fs';
import { isRfc7946Wound } from '@civic/geo/geometry';
import { describe, expect, it } from 'vitest';
import {
  type DurhamNeighborhood,
  durhamNeighborhoods,
  durhamWards,
  neighborhoodAliases,
  neighborhoodsAt,
  neighborhoodsOverlapping,
  placeNeighborhood,
  publishedAreas,
  resolveNeighborhoodName,
  schoolZones,
} from './durham-neighborhoods.ts';
import { stableId } from './stable-id.ts';

const data = (path: string) => readFileSync(new URL(`../data/durham/${path}`, import.meta.url), 'utf8');

/** The raw block-group file as geoid → y_2023 text, read without the module's parser. */
function raw2023(file: string): Map<string, number> {
  const [header, ...lines] = data(`compass/blockgroup/${file}.csv`).trim().split('\n');
  const column = (header as string).split(',').indexOf('y_2023');
  const out = new Map<string, number>();
  for (const line of lines) {
    const cells = line.split(',');
    if (cells[column] !== '') out.set(cells[0] as string, Number(cells[column]));
  }
  return out;
}

function rawMembers(name: string): string[] {
  return data('crosswalk-2010.csv')
    .trim()
    .split('\n')
    .filter((line) => line.startsWith(`neighborhood,"${name}",blockgroup,`))
    .map((line) => line.split(',').at(-1) as string);
}

function byName(name: string) {
  const found = durhamNeighborhoods().find((n) => n.name === name);
  if (!found) throw new Error(`no neighborhood ${name}`);
  return found;
}

describe('Durham published neighborhoods', () => {
  it('has all 237, each with a boundary in RFC 7946 winding and a stable id from its slug', () => {
    const all = durhamNeighborhoods();
    expect(all).toHaveLength(237);
    expect(all.filter((n) => n.boundary.type === 'MultiPolygon' && n.boundary.coordinates.length > 0)).toHaveLength(
      237,
    );
    expect(all.every((n) => isRfc7946Wound(n.boundary))).toBe(true);
    expect(new Set(all.map((n) => n.slug)).size).toBe(237);
    for (const n of all) expect(n.id).toBe(stableId('neighborhood', n.slug));
    expect(byName('Southside / St. Teresa').slug).toBe('southside-st-teresa');
  });

  it('computes people-of-color share and median income as the Compass does: Σr / Σd over member block groups', () => {
    const r = { poc: raw2023('rPTPOC'), inc: raw2023('rMEDINC') };
    const d = { poc: raw2023('dPTPOC'), inc: raw2023('dMEDINC') };
    const sum = (table: Map<string, number>, ids: string[]) => ids.reduce((s, id) => s + (table.get(id) ?? 0), 0);
    for (const name of ['Walltown', 'Albright', 'Trinity Park', 'Southside / St. Teresa']) {
      const members = rawMembers(name);
      expect(members.length).toBeGreaterThan(0);
      const n = byName(name);
      expect(new Set(n.blockGroups)).toEqual(new Set(members));
      const incomeMembers = members.filter((id) => r.inc.has(id) && d.inc.has(id));
      expect(n.indicators.peopleOfColorShare.value).toBeCloseTo(sum(r.poc, members) / sum(d.poc, members), 12);
      expect(n.indicators.medianHouseholdIncome.value).toBeCloseTo(
        sum(r.inc, incomeMembers) / sum(d.inc, incomeMembers),
        6,
      );
      expect(n.indicators.peopleOfColorShare).toMatchObject({ year: 2023, vintage: 'ACS 2019–2023' });
      expect(n.indicators.peopleOfColorShare.source).toMatch(/Neighborhood Compass/);
      expect(n.indicators.peopleOfColorShare.series[0]).toMatchObject({ year: 2010, vintage: 'Census 2010' });
    }
    // A one-block-group neighborhood's margin of error is the published one.
    const single = durhamNeighborhoods().find((n) => n.blockGroups.length === 1) as DurhamNeighborhood;
    const [header, ...lines] = data('compass/blockgroup/mPTPOC-accuracy.csv').trim().split('\n');
    const col = (header as string).split(',').indexOf('y_2023');
    const row = lines.find((l) => l.startsWith(`${single.blockGroups[0]},`)) as string;
    expect(single.indicators.peopleOfColorShare.marginOfError).toBeCloseTo(Number(row.split(',')[col]) / 100, 12);
  });

  it('keeps tract-only figures as population-weighted means and leaves areas without members null, never zero', () => {
    const walltown = byName('Walltown');
    expect(walltown.indicators.sviOverall).toMatchObject({ vintage: 'SVI 2018', unit: 'percentile' });
    expect(walltown.indicators.povertyRate.vintage).toBe('ACS 2014–2018');
    expect(walltown.indicators.povertyRate.value).toBeGreaterThan(0);
    expect(walltown.indicators.povertyRate.value).toBeLessThan(1);
    for (const name of ['Briarcliff', 'Bradford', 'Pleasant Green Woods']) {
      const n = byName(name);
      expect(n.blockGroups).toEqual([]);
      for (const indicator of Object.values(n.indicators)) {
        expect(indicator.value).toBeNull();
        expect(indicator.series).toEqual([]);
      }
    }
    const withFigures = durhamNeighborhoods().filter((n) => n.indicators.peopleOfColorShare.value !== null);
    expect(withFigures).toHaveLength(234);
  });

  it('places a point inside a neighborhood in it', () => {
    expect(neighborhoodsAt([-78.9403, 36.0019]).map((n) => n.name)).toEqual(['Duke West Campus']); // Duke Chapel
    expect(neighborhoodsAt([-78.9036, 35.9935]).map((n) => n.name)).toEqual(['American Tobacco Campus']);
    expect(neighborhoodsAt([-78.9135, 36.016]).map((n) => n.name)).toEqual(['Walltown']);
    expect(neighborhoodsAt([-80.0, 36.0])).toEqual([]);
    const covered = neighborhoodsOverlapping(byName('Walltown').boundary).map((o) => o.neighborhood.name);
    expect(covered).toContain('Walltown');
  });

  it('assigns wards and school zones by geometry, as the precomputed file says', () => {
    const { neighborhoods, wards, zones } = publishedAreas();
    for (const key of ['Old East Durham', 'Walltown', 'Abron Drive']) {
      const boundary = neighborhoods.find((n) => n.key === key)?.boundary;
      const n = byName(key);
      const placed = placeNeighborhood(boundary as NonNullable<typeof boundary>, wards, zones);
      expect(n.wards).toEqual(placed.wards);
      expect(n.ward).toBe(placed.wards[0]?.ward ?? null);
      expect(n.schoolZone?.key ?? null).toBe(placed.schoolZone);
    }
    expect(byName('Old East Durham').wards.map((w) => w.ward)).toEqual([1, 2]);
    expect(durhamWards().map((w) => w.number)).toEqual([1, 2, 3]);
    expect(durhamWards().every((w) => isRfc7946Wound(w.boundary))).toBe(true);
    expect(schoolZones()).toHaveLength(23);
  });

  it('resolves published English and Spanish names and the demo aliases, case-insensitively', () => {
    expect(resolveNeighborhoodName('Hayti')?.name).toBe('Southside / St. Teresa');
    expect(resolveNeighborhoodName('  few GARDENS ')?.name).toBe('Eastway Village');
    expect(resolveNeighborhoodName('east durham')?.name).toBe('Old East Durham');
    expect(resolveNeighborhoodName('southside / st. teresa')?.name).toBe('Southside / St. Teresa');
    expect(resolveNeighborhoodName(byName('Walltown').nameEs)?.name).toBe('Walltown');
    expect(resolveNeighborhoodName('Smallhouse Rd')).toBeUndefined();
    expect(neighborhoodAliases()).toHaveLength(12);
    for (const alias of neighborhoodAliases())
      expect(resolveNeighborhoodName(alias.name)?.name).toBe(alias.neighborhood);
  });
});
