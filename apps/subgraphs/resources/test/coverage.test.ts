import { durhamNeighborhoods, durhamWards, resolveNeighborhoodName } from '@civic/reference-data/durham-neighborhoods';
import type { MultiPolygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { areaStatusOf } from '../src/domain/area-status.ts';
import { coverageOf, readTextArea } from '../src/domain/matching-coverage.ts';
import { neighborhoodCoverageIndex } from '../src/domain/matching-neighborhoods.ts';

const id = (name: string) => {
  const found = resolveNeighborhoodName(name);
  if (!found) throw new Error(name);
  return found.id;
};
const boundary = (name: string) => durhamNeighborhoods().find((n) => n.id === id(name))?.boundary as MultiPolygon;
const union = (...names: string[]): MultiPolygon => ({
  type: 'MultiPolygon',
  coordinates: names.flatMap((n) => boundary(n).coordinates),
});

const area = (fields: Partial<Parameters<typeof coverageOf>[1]>) => ({
  servesCitywide: false,
  serviceWards: [],
  serviceNeighborhoodIds: [],
  serviceAreaDescription: null,
  serviceAreaGeoJson: null,
  ...fields,
});

describe('service coverage by geometry', () => {
  const index = neighborhoodCoverageIndex();

  it('an extent drawn around some neighborhoods covers those (and one lying inside them), not the ones it borders', () => {
    const coverage = coverageOf(index, area({ serviceAreaGeoJson: union('Walltown', 'West End', 'Trinity Park') }));
    expect(coverage.citywide).toBe(false);
    // Urban 900's published boundary lies inside West End and Trinity Park.
    expect([...coverage.neighborhoodIds].sort()).toEqual(
      [id('Walltown'), id('West End'), id('Trinity Park'), id('Urban 900')].sort(),
    );
    for (const bordering of [
      'Trinity Heights',
      'Old West Durham',
      'Lakewood Park',
      'Duke Park',
      'Warehouse District',
    ]) {
      expect(coverage.neighborhoodIds).not.toContain(id(bordering));
    }
  });

  it('the three wards together cover every published neighborhood inside them', () => {
    const wards: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: durhamWards().flatMap((w) => w.boundary.coordinates),
    };
    const coverage = coverageOf(index, area({ serviceAreaGeoJson: wards }));
    const inside = durhamNeighborhoods().filter((n) => n.wards.reduce((s, w) => s + w.share, 0) >= 0.5);
    const covered = new Set(coverage.citywide ? durhamNeighborhoods().map((n) => n.id) : coverage.neighborhoodIds);
    for (const n of inside) expect(covered.has(n.id), n.name).toBe(true);
  });

  it('an extent holding the whole city is citywide (so a concern with no neighborhood gets it); one ward is not', () => {
    const wards: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: durhamWards().flatMap((w) => w.boundary.coordinates),
    };
    expect(coverageOf(index, area({ serviceAreaGeoJson: wards }))).toEqual({ citywide: true, neighborhoodIds: [] });
    const one = durhamWards()[0]?.boundary as MultiPolygon;
    const coverage = coverageOf(index, area({ serviceAreaGeoJson: one }));
    expect(coverage.citywide).toBe(false);
    expect(coverage.neighborhoodIds.length).toBeGreaterThan(0);
  });

  it('a list of wards covers the neighborhoods of those wards only', () => {
    const coverage = coverageOf(index, area({ serviceWards: [2] }));
    const expected = durhamNeighborhoods().filter((n) => n.wards.some((w) => w.ward === 2));
    expect(coverage.neighborhoodIds).toHaveLength(expected.length);
    const outside = durhamNeighborhoods().filter((n) => n.wards.length > 0 && n.wards.every((w) => w.ward !== 2));
    expect(outside.length).toBeGreaterThan(0);
    for (const n of outside) expect(coverage.neighborhoodIds).not.toContain(n.id);
  });

  it('reads neighborhoods named in a text-only area; Durham, the county or the state mean all of the city', () => {
    const named = coverageOf(index, area({ serviceAreaDescription: 'Neighborhoods: Walltown, Hayti' }));
    expect([...named.neighborhoodIds].sort()).toEqual([id('Walltown'), id('Hayti')].sort());
    // as the HSDS import stores a service_area row: "name — description"
    const imported = coverageOf(
      index,
      area({ serviceAreaDescription: 'Neighborhoods: Walltown and West End — Limited to these neighborhoods.' }),
    );
    expect([...imported.neighborhoodIds].sort()).toEqual([id('Walltown'), id('West End')].sort());
    expect(coverageOf(index, area({ serviceAreaDescription: 'Durham County' })).citywide).toBe(true);
    expect(coverageOf(index, area({ serviceAreaDescription: 'Durham, Orange and Wake counties' })).citywide).toBe(true);
    expect(coverageOf(index, area({ serviceAreaDescription: 'Orange County' })).citywide).toBe(false);
    expect(coverageOf(index, area({ serviceAreaDescription: 'Chapel Hill' }))).toEqual({
      citywide: false,
      neighborhoodIds: [],
    });
    expect(coverageOf(index, area({})).citywide).toBe(true);
    expect(coverageOf(index, area({ servesCitywide: true, serviceWards: [1] })).citywide).toBe(true);
  });

  it('reads wards, Spanish names, former demo names and whole-city phrases in words; words naming nothing known are unknown, never citywide', () => {
    const ward2 = durhamNeighborhoods().filter((n) => n.wards.some((w) => w.ward === 2));
    const byWard = coverageOf(index, area({ serviceAreaDescription: 'Ward 2' }));
    expect([...byWard.neighborhoodIds].sort()).toEqual(ward2.map((n) => n.id).sort());
    expect(readTextArea(index, 'Wards 1 and 3')).toMatchObject({ wards: [1, 3], unresolved: [] });
    expect(readTextArea(index, 'Distrito 2')).toMatchObject({ wards: [2], unresolved: [] });
    // A published Spanish name (Durham publishes the neighborhoods' Spanish labels as their English
    // ones), in any case, and a former demo name ("Hayti") in a Spanish list resolve like the label.
    const spanish = durhamNeighborhoods().find((n) => n.id === id('Walltown'));
    if (!spanish) throw new Error('Walltown');
    const read = readTextArea(index, `Barrios: ${spanish.nameEs.toUpperCase()} y Hayti`);
    expect([...read.neighborhoodIds].sort()).toEqual([spanish.id, id('Hayti')].sort());
    expect(read.unresolved).toEqual([]);
    for (const whole of [
      'City of Durham',
      'Durham County',
      'Condado de Durham',
      'Residents of Durham County',
      'Citywide',
    ]) {
      expect(coverageOf(index, area({ serviceAreaDescription: whole })).citywide, whole).toBe(true);
      expect(areaStatusOf({ ...area({ serviceAreaDescription: whole }), status: 'ACTIVE', themes: [] }).coverage).toBe(
        'CITYWIDE',
      );
    }
    // Words that only mention Durham name no area we can place: unknown, shown as given, counted nowhere.
    for (const vague of ['Durham Tech students', 'Chapel Hill', 'Eastern Piedmont']) {
      const service = { ...area({ serviceAreaDescription: vague }), status: 'ACTIVE', themes: [] };
      expect(coverageOf(index, service), vague).toEqual({ citywide: false, neighborhoodIds: [] });
      expect(areaStatusOf(service)).toEqual({ coverage: 'UNKNOWN', unresolved: [vague] });
    }
    // A partly known list counts what it names and reports the rest.
    const partly = { ...area({ serviceAreaDescription: 'Walltown, Narnia' }), status: 'ACTIVE', themes: [] };
    expect(coverageOf(index, partly).neighborhoodIds).toEqual([id('Walltown')]);
    expect(areaStatusOf(partly)).toEqual({ coverage: 'NEIGHBORHOODS', unresolved: ['Narnia'] });
    // An HSDS service_area whose name says nothing known is read by its description.
    expect(readTextArea(index, 'Service area — Walltown and West End').neighborhoodIds.sort()).toEqual(
      [id('Walltown'), id('West End')].sort(),
    );
    // A drawn area outside the city is known to cover none: NONE, not UNKNOWN.
    const far = {
      ...area({
        serviceAreaGeoJson: {
          type: 'Polygon',
          coordinates: [
            [
              [-80, 35],
              [-79.9, 35],
              [-79.9, 35.1],
              [-80, 35],
            ],
          ],
        },
      }),
      status: 'ACTIVE',
      themes: [],
    };
    expect(areaStatusOf(far).coverage).toBe('NONE');
  });
});
