import { readFileSync } from 'node:fs';
import { type DurhamNeighborhood, durhamNeighborhoods } from '@civic/reference-data/durham-neighborhoods';
import { gql } from '@civic/test-stack/graphql';
import { type Stack, startStack } from '@civic/test-stack/stack';
import { getIssues } from '@placemarkio/check-geojson';
import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildOpenData } from '../src/build.ts';
import { DEFAULT_CATALOG } from '../src/catalog.ts';
import { centroid, windingProblems } from '../src/geo.ts';
import { DATASETS } from '../src/render.ts';
import type { GeoJsonGeometry, OpenDataFile, OpenDataSnapshot } from '../src/types.ts';
import { anonymous, CONCERNS_HEADER, type PrivacyFixture, seedPrivacyFixture } from './fixture.ts';

const BASE = 'https://data.city.example/open-data/';
let stack: Stack;
let fixture: PrivacyFixture;
let snapshot: OpenDataSnapshot;
let files: Map<string, OpenDataFile>;
const progress: string[] = [];

const file = (name: string) => {
  const found = files.get(name);
  if (!found) throw new Error(`no ${name}`);
  return found.body;
};

beforeAll(async () => {
  // A loaded 2-core machine can take minutes to seed and start each subgraph.
  stack = await startStack({ production: true, seed: 'demo', readyTimeoutMs: 420_000 });
  fixture = await seedPrivacyFixture(stack);
  const built = await buildOpenData(anonymous(stack), { ...DEFAULT_CATALOG, baseUrl: BASE }, (step, done, total) =>
    progress.push(`${step} ${done}/${total}`),
  );
  snapshot = built.snapshot;
  files = new Map(built.files.map((f) => [f.name, f]));
}, 900_000);

afterAll(async () => {
  await stack?.destroy();
});

describe('open data built from the public API', () => {
  test('every published concern appears once, in CSV, JSON and GeoJSON, over several pages', () => {
    expect(fixture.publicIds.size).toBeGreaterThan(100);
    const csvIds = (parse(file('concerns.csv'), { columns: true }) as { id: string }[]).map((r) => r.id);
    const jsonIds = (JSON.parse(file('concerns.json')) as { id: string }[]).map((r) => r.id);
    const geoIds = (JSON.parse(file('concerns.geojson')) as { features: { id: string }[] }).features.map((f) => f.id);
    for (const ids of [csvIds, jsonIds, geoIds]) {
      expect(new Set(ids).size).toBe(ids.length);
      expect(new Set(ids)).toEqual(fixture.publicIds);
    }
    expect(progress.filter((p) => p.startsWith('concerns ')).length).toBeGreaterThan(2);
  });

  test('no hidden concern, draft conversation or resident contact appears in any file', () => {
    expect(fixture.hiddenIds.length).toBeGreaterThan(100);
    for (const { name, body } of files.values()) {
      for (const id of fixture.hiddenIds) expect(body.includes(id), `${id} in ${name}`).toBe(false);
      expect(body.includes(fixture.draftConversationId), `draft in ${name}`).toBe(false);
      for (const text of fixture.contactStrings) expect(body.includes(text), `${text} in ${name}`).toBe(false);
      expect(body.includes('Facilitator notes'), `notes in ${name}`).toBe(false);
      expect(/"(contact|contact_?\w+|resident\w*)"\s*:/i.test(body.replace(/"contactPoint"/g, '')), name).toBe(false);
    }
    expect(file('conversations.json')).toContain(fixture.publishedConversationId);
  });

  test('a concern’s point is published rounded to ~100 m, labelled "point"; others fall back to the neighborhood centroid', () => {
    const features = (
      JSON.parse(file('concerns.geojson')) as {
        features: { id: string; geometry: { coordinates: number[] } | null; properties: Record<string, unknown> }[];
      }
    ).features;
    const located = features.find((f) => f.id === fixture.located.id);
    expect(located?.geometry?.coordinates).toEqual(fixture.located.public);
    expect(located?.properties).toMatchObject({
      location_basis: 'point',
      longitude: fixture.located.public[0],
      latitude: fixture.located.public[1],
      neighborhood_name: 'Southside / St. Teresa',
    });
    const byNeighborhood = features.find((f) => f.id === fixture.visibleWithContact.id);
    expect(byNeighborhood?.properties.location_basis).toBe('neighborhood');
    const southside = snapshot.neighborhoods.find((n) => n.name === 'Southside / St. Teresa');
    expect(byNeighborhood?.geometry?.coordinates).toEqual(centroid(southside?.boundary));
    const row = (parse(file('concerns.csv'), { columns: true }) as Record<string, string>[]).find(
      (r) => r.id === fixture.located.id,
    );
    expect([row?.location_basis, Number(row?.longitude), Number(row?.latitude)]).toEqual([
      'point',
      ...fixture.located.public,
    ]);
    // The stored point is personal: neither coordinate is a number in any file.
    const asNumber = (value: number) => new RegExp(`(?<![\\d.])${String(value).replace('.', '\\.')}(?![\\d])`);
    for (const { name, body } of files.values()) {
      for (const value of fixture.located.exact) expect(asNumber(value).test(body), `${value} in ${name}`).toBe(false);
    }
    expect(asNumber(fixture.located.public[1]).test(file('concerns.csv'))).toBe(true);
  });

  test('the city’s public status note and status are published', () => {
    const rows = parse(file('concerns.csv'), { columns: true }) as Record<string, string>[];
    const row = rows.find((r) => r.id === fixture.visibleWithContact.id);
    expect(row).toMatchObject({
      status: 'NOT_FEASIBLE',
      status_notes: fixture.visibleWithContact.note,
      themes: 'INFRASTRUCTURE;PUBLIC_SAFETY',
      neighborhood_name: 'Southside / St. Teresa',
    });
    const initiative = (JSON.parse(file('initiatives.json')) as Record<string, unknown>[]).find(
      (i) => i.id === fixture.visibleWithContact.initiativeId,
    );
    expect(initiative?.aligned_concern_ids).toContain(fixture.visibleWithContact.id);
  });

  test('CSV files parse with the documented header', () => {
    const [header] = parse(file('concerns.csv'), { to_line: 1 }) as string[][];
    expect(header).toEqual(CONCERNS_HEADER);
    for (const dataset of DATASETS) {
      const text = file(`${dataset.id}.csv`);
      const rows = parse(text, { columns: true }) as Record<string, string>[];
      const [columns] = parse(text, { to_line: 1 }) as string[][];
      expect(columns).toEqual(dataset.columns.map((c) => c.name));
      expect(rows.length).toBe(dataset.rows(snapshot).length);
      const schema = JSON.parse(file(`${dataset.id}.schema.json`)) as { fields: { name: string }[] };
      expect(schema.fields.map((f) => f.name)).toEqual(columns);
    }
    const conversations = parse(file('conversations.csv'), { columns: true }) as { id: string }[];
    expect(conversations.length).toBeGreaterThan(1);
    const observations = parse(file('measure-observations.csv'), { columns: true }) as { value: string }[];
    expect(observations.length).toBeGreaterThan(0);
    expect(observations.every((o) => Number.isFinite(Number(o.value)))).toBe(true);
  });

  test('every initiative’s measures are there with their observations', () => {
    const initiatives = JSON.parse(file('initiatives.json')) as { measure_ids: string[]; lead_department: string }[];
    const measures = JSON.parse(file('measures.json')) as { id: string; observation_count: number }[];
    expect(initiatives.length).toBeGreaterThan(10);
    expect(initiatives.some((i) => i.lead_department)).toBe(true);
    expect(new Set(measures.map((m) => m.id))).toEqual(new Set(initiatives.flatMap((i) => i.measure_ids)));
    const observations = JSON.parse(file('measure-observations.json')) as {
      measure_id: string;
      label: string | null;
      label_es: string | null;
      label_es_machine_translated: boolean | null;
      note: string | null;
      note_es: string | null;
      note_es_machine_translated: boolean | null;
    }[];
    expect(observations.length).toBe(measures.reduce((n, m) => n + m.observation_count, 0));
    // Labels and notes in Spanish beside the English, saying whether a machine wrote them (the demo's
    // labels are the Durham plan's, translated by apertium in the background after the stack starts).
    for (const o of observations) {
      expect(o.label_es === null || (o.label !== null && o.label_es_machine_translated === true)).toBe(true);
      expect(o.note_es === null || (o.note !== null && typeof o.note_es_machine_translated === 'boolean')).toBe(true);
      if (o.label_es === null) expect(o.label_es_machine_translated).toBeNull();
    }
  });

  test('GeoJSON files are valid FeatureCollections (WGS 84 points and polygons)', () => {
    for (const name of ['concerns.geojson', 'wards.geojson', 'neighborhoods.geojson']) {
      const collection = JSON.parse(file(name)) as {
        type: string;
        features: { type: string; geometry: { type: string; coordinates: unknown } | null; properties: object }[];
      };
      expect(collection.type).toBe('FeatureCollection');
      for (const feature of collection.features) {
        expect(feature.type).toBe('Feature');
        expect(typeof feature.properties).toBe('object');
        if (feature.geometry === null) continue;
        expect(['Point', 'Polygon', 'MultiPolygon']).toContain(feature.geometry.type);
        const positions = JSON.stringify(feature.geometry.coordinates).match(/-?\d+(\.\d+)?,-?\d+(\.\d+)?/g) ?? [];
        expect(positions.length).toBeGreaterThan(0);
        for (const position of positions.slice(0, 50)) {
          const [lon, lat] = position.split(',').map(Number) as [number, number];
          expect(Math.abs(lon)).toBeLessThanOrEqual(180);
          expect(Math.abs(lat)).toBeLessThanOrEqual(90);
        }
      }
    }
    const wards = JSON.parse(file('wards.geojson')) as { features: { geometry: { type: string } }[] };
    expect(wards.features.length).toBe(3);
    expect(wards.features.every((f) => f.geometry.type === 'MultiPolygon')).toBe(true);
    // Durham: every concern with a neighborhood gets a point inside the wards' bounding box.
    const concerns = JSON.parse(file('concerns.geojson')) as {
      features: { geometry: { type: string; coordinates: [number, number] } | null; properties: { ward: number } }[];
    };
    const located = concerns.features.filter((f) => f.properties.ward !== null);
    expect(located.length).toBeGreaterThan(0);
    for (const feature of located) {
      expect(feature.geometry?.type).toBe('Point');
      const [lon, lat] = feature.geometry?.coordinates ?? [0, 0];
      expect(lon).toBeGreaterThan(-79.1);
      expect(lon).toBeLessThan(-78.7);
      expect(lat).toBeGreaterThan(35.8);
      expect(lat).toBeLessThan(36.2);
    }
  });

  test('data.json validates against the DCAT-US v1.1 schema and links every file', () => {
    const schema = JSON.parse(readFileSync(new URL('./dcat-us-v1.1.schema.json', import.meta.url), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const catalog = JSON.parse(file('data.json'));
    expect(validate(catalog), JSON.stringify(validate.errors)).toBe(true);
    expect(catalog['@type']).toBe('dcat:Catalog');
    expect(catalog.dataset).toHaveLength(DATASETS.length);
    const links = (catalog.dataset as { distribution: { downloadURL: string }[]; describedBy: string }[]).flatMap(
      (d) => [...d.distribution.map((x) => x.downloadURL), d.describedBy],
    );
    for (const link of links) {
      expect(link.startsWith(BASE)).toBe(true);
      expect(files.has(link.slice(BASE.length))).toBe(true);
    }
    const concerns = catalog.dataset.find((d: { title: string }) => d.title === 'Community concerns');
    expect(concerns.accessLevel).toBe('public');
    expect(concerns.spatial).toMatch(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/);
    expect(concerns.temporal).toMatch(/^\d{4}-\d{2}-\d{2}\/\d{4}-\d{2}-\d{2}$/);
    // The schema check itself refuses what it should.
    expect(validate({ ...catalog, dataset: [{ ...catalog.dataset[0], accessLevel: 'open' }] })).toBe(false);
    expect(
      validate({ ...catalog, dataset: [{ ...catalog.dataset[0], contactPoint: { fn: 'x', hasEmail: 'x' } }] }),
    ).toBe(false);
  });

  test('data.json validates against the Project Open Data v1.1 non-federal JSON Schemas themselves', () => {
    const standard = (name: string) =>
      JSON.parse(readFileSync(new URL(`./standards/pod-v1.1-non-federal/${name}`, import.meta.url), 'utf8'));
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    ajv.addSchema(standard('dataset-non-federal.json'));
    const validate = ajv.compile(standard('catalog.json'));
    const catalog = JSON.parse(file('data.json'));
    expect(validate(catalog), JSON.stringify(validate.errors)).toBe(true);
    // The official schema refuses what it should (so the check above can fail).
    expect(validate({ ...catalog, dataset: [{ ...catalog.dataset[0], accessLevel: 'open' }] })).toBe(false);
    expect(validate({ ...catalog, dataset: [{ ...catalog.dataset[0], keyword: [] }] })).toBe(false);
    expect(validate({ ...catalog, conformsTo: 'https://example.org/other' })).toBe(false);
  });

  test('neighborhoods.csv carries Spanish names, wards, school zone, the rule’s reasons and each figure’s margin, vintage and source', () => {
    const rows = parse(file('neighborhoods.csv'), { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(237);
    const published = new Map(durhamNeighborhoods().map((n) => [n.id, n]));
    const walltown = rows.find((r) => r.name === 'Walltown') as Record<string, string>;
    const expected = published.get(walltown.id as string) as DurhamNeighborhood;
    expect(walltown.name_es).toBe(expected.nameEs);
    expect(walltown.wards).toBe(expected.wards.map((w) => w.ward).join(';'));
    expect(walltown.school_zone).toBe(expected.schoolZone?.name ?? '');
    expect(walltown.people_of_color_share_vintage).toBe('ACS 2019–2023');
    expect(walltown.people_of_color_share_source).toMatch(/Neighborhood Compass/);
    expect(walltown.svi_overall_vintage).toBe('SVI 2018');
    expect(walltown.poverty_rate_vintage).toBe('ACS 2014–2018');
    // Every figure, margin and vintage as the published data gives it ('' where there is none).
    const cell = (v: number | string | null | undefined) => (v === null || v === undefined ? '' : String(v));
    for (const row of rows) {
      const n = published.get(row.id as string) as DurhamNeighborhood;
      for (const [column, key] of [
        ['poverty_rate', 'povertyRate'],
        ['people_of_color_share', 'peopleOfColorShare'],
        ['median_household_income', 'medianHouseholdIncome'],
        ['svi_overall', 'sviOverall'],
      ] as const) {
        const figure = n.indicators[key];
        const where = `${row.name} ${column}`;
        if (figure.value === null) expect(row[column], where).toBe('');
        else expect(Number(row[column]), where).toBeCloseTo(figure.value, key === 'medianHouseholdIncome' ? 0 : 9);
        if (figure.marginOfError === null || figure.value === null) expect(row[`${column}_moe`], where).toBe('');
        else expect(Number(row[`${column}_moe`]), where).toBeCloseTo(figure.marginOfError, 6);
        expect(row[`${column}_vintage`], where).toBe(figure.value === null ? '' : cell(figure.vintage));
      }
    }
    for (const row of rows) {
      expect(row.equity_priority === 'true', row.name).toBe((row.equity_priority_reasons as string) !== '');
    }
    expect(rows.some((r) => r.equity_priority === 'true')).toBe(true);
    // The three neighborhoods with no census members: no figures, never zero, no vintage.
    const empty = rows.filter((r) => published.get(r.id as string)?.blockGroups.length === 0);
    expect(empty).toHaveLength(3);
    for (const row of empty) {
      for (const key of ['poverty_rate', 'people_of_color_share', 'median_household_income', 'svi_overall']) {
        expect([row[key], row[`${key}_vintage`], row[`${key}_moe`]], `${row.name} ${key}`).toEqual(['', '', '']);
      }
    }
    const json = JSON.parse(file('neighborhoods.json')) as {
      id: string;
      indicators: { key: string; source: string }[];
    }[];
    const indicators = json.find((n) => n.id === walltown.id)?.indicators ?? [];
    expect(indicators.map((i) => i.key)).toEqual(
      expect.arrayContaining(['povertyRate', 'sviOverall', 'medianHouseholdIncome']),
    );
    expect(indicators.every((i) => i.source.length > 0)).toBe(true);
  });

  test('every GeoJSON file is valid GeoJSON (check-geojson) with RFC 7946 winding', () => {
    const geojson = [...files.values()].filter((f) => f.name.endsWith('.geojson'));
    expect(geojson.map((f) => f.name).sort()).toEqual(['concerns.geojson', 'neighborhoods.geojson', 'wards.geojson']);
    let rings = 0;
    for (const { name, body } of geojson) {
      expect(getIssues(body), name).toEqual([]);
      const collection = JSON.parse(body) as { features: { id?: unknown; geometry: GeoJsonGeometry | null }[] };
      for (const feature of collection.features) {
        expect(windingProblems(feature.geometry), `${name} ${String(feature.id)}`).toEqual([]);
        if (feature.geometry?.type === 'Polygon') rings += (feature.geometry.coordinates as unknown[]).length;
        if (feature.geometry?.type === 'MultiPolygon') {
          rings += (feature.geometry.coordinates as unknown[][]).reduce((n, p) => n + p.length, 0);
        }
      }
    }
    expect(rings).toBeGreaterThan(0);
    // The checks refuse what they should.
    expect(getIssues('{"type":"Point","coordinates":[1]}')).not.toEqual([]);
    const clockwise = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [0, 1],
          [1, 1],
          [1, 0],
          [0, 0],
        ],
      ],
    };
    expect(windingProblems(clockwise)).toEqual(['polygon 0 ring 0']);
  });

  test('every GeoJSON the API answers with (wards, neighborhoods, service areas, hsdsExport extents) is valid with RFC 7946 winding', async () => {
    const ask = anonymous(stack);
    // Service areas as a partner or an HSDS file may give them: clockwise outer rings (as 850 of the
    // 881 rings in ../shared/data/alignment/directory are), bare, in a Feature and in a FeatureCollection.
    const westEnd = durhamNeighborhoods().find((n) => n.name === 'West End') as DurhamNeighborhood;
    const clockwise = {
      type: 'MultiPolygon',
      coordinates: westEnd.boundary.coordinates.map((polygon) => polygon.map((ring) => [...ring].reverse())),
    };
    expect(windingProblems(clockwise as GeoJsonGeometry)).not.toEqual([]);
    const { organizations } = await ask<{ organizations: { id: string }[] }>('{ organizations { id } }');
    const areas = [
      clockwise,
      { type: 'Feature', properties: {}, geometry: clockwise },
      {
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: { name: 'West End' }, geometry: clockwise }],
      },
    ];
    for (const [i, area] of areas.entries()) {
      const created = await gql(
        stack.gatewayUrl,
        'mutation OpenDataTest_Area($input: CreateServiceInput!) { createService(input: $input) { id } }',
        { input: { organizationId: organizations[0]?.id, name: `Winding check ${i}`, serviceAreaGeoJson: area } },
        { authorization: `Bearer ${fixture.adminToken}` },
      );
      expect(created.body.errors).toBeUndefined();
    }
    const answers: { where: string; value: unknown }[] = [];
    const places = await ask<{ wards: { number: number; boundary: unknown }[] }>('{ wards { number boundary } }');
    for (const w of places.wards) answers.push({ where: `ward ${w.number}`, value: w.boundary });
    const hoods = await ask<{ neighborhoods: { id: string; boundary: unknown }[] }>(
      '{ neighborhoods { id boundary } }',
    );
    for (const n of hoods.neighborhoods) answers.push({ where: `neighborhood ${n.id}`, value: n.boundary });
    type Page = {
      services: {
        edges: { node: { id: string; serviceArea: { geoJson: unknown } } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
    let after: string | null = null;
    do {
      const page: Page = await ask<Page>(
        `query Areas($after: String) { services(first: 100, after: $after) {
          edges { node { id serviceArea { geoJson } } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
      for (const { node } of page.services.edges) {
        if (node.serviceArea.geoJson) answers.push({ where: `service ${node.id}`, value: node.serviceArea.geoJson });
      }
      after = page.services.pageInfo.hasNextPage ? page.services.pageInfo.endCursor : null;
    } while (after);
    const hsds = await ask<{ hsdsExport: { tables: { name: string; columns: string[]; rows: string[][] }[] } }>(
      '{ hsdsExport { tables { name columns rows } } }',
    );
    const table = hsds.hsdsExport.tables.find((t) => t.name === 'service_area');
    const extent = table?.columns.indexOf('extent') ?? -1;
    for (const row of table?.rows ?? []) {
      if (row[extent]) answers.push({ where: `hsds service_area ${row[0]}`, value: JSON.parse(row[extent] as string) });
    }
    expect(answers.filter((a) => a.where.startsWith('service ')).length).toBeGreaterThanOrEqual(3);
    expect(answers.filter((a) => a.where.startsWith('hsds ')).length).toBeGreaterThanOrEqual(3);
    const geometries = (value: unknown): GeoJsonGeometry[] => {
      const o = value as { type: string; geometry?: unknown; features?: unknown[]; geometries?: unknown[] };
      if (o.type === 'Feature') return geometries(o.geometry);
      if (o.type === 'FeatureCollection') return (o.features ?? []).flatMap(geometries);
      if (o.type === 'GeometryCollection') return (o.geometries ?? []).flatMap(geometries);
      return [o as GeoJsonGeometry];
    };
    const problems: string[] = [];
    for (const { where, value } of answers) {
      for (const issue of getIssues(JSON.stringify(value))) problems.push(`${where}: ${issue.message}`);
      for (const ring of geometries(value).flatMap((g) => windingProblems(g))) problems.push(`${where}: ${ring}`);
    }
    expect(problems.slice(0, 20)).toEqual([]);
  });
});
