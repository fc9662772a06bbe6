import { durhamNeighborhoods } from '@civic/reference-data/durham-neighborhoods';
import { identities, startTestSubgraph, type TestSubgraph } from '@civic/test-stack/subgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourcesPrisma } from '../src/db.ts';
import { resourcesSubgraph } from '../src/subgraph.ts';
import { org } from './fixtures.ts';

// The equity gap report's "services covering this area for this theme" (issue 16): resources resolves
// NeighborhoodThemeCoverage references from the coverage stored on each service, computed by geometry.
let subgraph: TestSubgraph<ResourcesPrisma>;
beforeAll(async () => {
  subgraph = await startTestSubgraph(resourcesSubgraph, { seed: true });
});
afterAll(async () => {
  await subgraph?.stop();
});

const staff = identities.staff(org.communityDevelopment, 'staff-cd');
const THEME = 'YOUTH';
// Neighborhoods lying in one ward only: a ward-2 service covers the first, never the second.
const only = (ward: number) => {
  const found = durhamNeighborhoods().find((n) => n.wards.length === 1 && n.wards[0]?.ward === ward);
  if (!found) throw new Error(`no neighborhood only in ward ${ward}`);
  return found;
};
const inWard2 = only(2);
const inWard1 = only(1);

const COVERAGE = `query ($r: [_Any!]!) { _entities(representations: $r) {
  ... on NeighborhoodThemeCoverage { neighborhoodId theme activeServiceCount services(first: 50) { id } } } }`;

interface Coverage {
  neighborhoodId: string;
  theme: string;
  activeServiceCount: number;
  services: { id: string }[];
}

async function coverage(neighborhoodIds: string[], theme = THEME): Promise<Coverage[]> {
  const result = await subgraph.execute<{ _entities: Coverage[] }>(COVERAGE, {
    r: neighborhoodIds.map((neighborhoodId) => ({
      __typename: 'NeighborhoodThemeCoverage',
      id: `${neighborhoodId}:${theme}`,
    })),
  });
  expect(result.errors).toBeUndefined();
  return result.data?._entities ?? [];
}

async function covering(neighborhoodId: string): Promise<string[]> {
  const [row] = await coverage([neighborhoodId]);
  expect(row?.services).toHaveLength(Math.min(row?.activeServiceCount ?? 0, 50));
  return row?.services.map((s) => s.id) ?? [];
}

async function create(input: Record<string, unknown>): Promise<string> {
  const result = await subgraph.execute<{ createService: { id: string } }>(
    `mutation ($input: CreateServiceInput!) { createService(input: $input) { id } }`,
    { input: { organizationId: org.communityDevelopment, themes: [THEME], status: 'ACTIVE', ...input } },
    staff,
  );
  expect(result.errors).toBeUndefined();
  return result.data?.createService.id ?? '';
}

describe('services covering a neighborhood for a theme', () => {
  it('a ward-limited service counts for the neighborhoods of that ward only', async () => {
    const [before2, before1] = await coverage([inWard2.id, inWard1.id]);
    const id = await create({ name: 'Ward 2 youth mentoring', serviceWards: [2] });
    const [after2, after1] = await coverage([inWard2.id, inWard1.id]);
    expect(after2?.activeServiceCount).toBe((before2?.activeServiceCount ?? 0) + 1);
    expect(after2?.services.map((s) => s.id)).toContain(id);
    expect(after1?.activeServiceCount).toBe(before1?.activeServiceCount);
    expect(after1?.services.map((s) => s.id)).not.toContain(id);
    // Another theme's count is untouched.
    const [other] = await coverage([inWard2.id], 'HOUSING');
    expect(other?.services.map((s) => s.id)).not.toContain(id);
  });

  it('an inactive service never counts, and counts again once active', async () => {
    const id = await create({ name: 'Citywide youth hotline', servesCitywide: true });
    expect(await covering(inWard1.id)).toContain(id);
    const setStatus = `mutation ($id: ID!, $status: ServiceStatus!) { setServiceStatus(id: $id, status: $status) { id } }`;
    expect((await subgraph.execute(setStatus, { id, status: 'INACTIVE' }, staff)).errors).toBeUndefined();
    expect(await covering(inWard1.id)).not.toContain(id);
    expect(await covering(inWard2.id)).not.toContain(id);
    const drafted = await create({ name: 'Youth draft', servesCitywide: true, status: 'DEFUNCT' });
    expect(await covering(inWard1.id)).not.toContain(drafted);
    expect((await subgraph.execute(setStatus, { id, status: 'ACTIVE' }, staff)).errors).toBeUndefined();
    expect(await covering(inWard1.id)).toContain(id);
  });

  it('changing a service’s area changes the count: a drawn extent covers by geometry, and the directory agrees', async () => {
    const id = await create({ name: 'Youth drop-in', serviceWards: [1] });
    expect(await covering(inWard1.id)).toContain(id);
    expect(await covering(inWard2.id)).not.toContain(id);
    // Redrawn as the ward-2 neighborhood's own boundary: no list names it, geometry does.
    const update = `mutation ($id: ID!, $input: UpdateServiceInput!) { updateService(id: $id, input: $input) { id } }`;
    const moved = await subgraph.execute(
      update,
      { id, input: { serviceWards: [], serviceAreaGeoJson: inWard2.boundary } },
      staff,
    );
    expect(moved.errors).toBeUndefined();
    expect(await covering(inWard1.id)).not.toContain(id);
    const now = await covering(inWard2.id);
    expect(now).toContain(id);
    // The directory's "serves my neighborhood" filter lists exactly those services.
    const directory = await subgraph.execute<{ services: { totalCount: number; edges: { node: { id: string } }[] } }>(
      `query ($n: ID, $t: [Theme!]) { services(neighborhoodId: $n, themes: $t, statuses: [ACTIVE], first: 100) {
        totalCount edges { node { id } } } }`,
      { n: inWard2.id, t: [THEME] },
    );
    expect(directory.errors).toBeUndefined();
    expect(directory.data?.services.edges.map((e) => e.node.id).sort()).toEqual([...now].sort());
  });

  it('resolves every neighborhood and theme of a report in one batch: the same SQL for 2 or 400 references', async () => {
    await coverage([inWard1.id]); // coverage computed, table loaded
    const all = durhamNeighborhoods().map((n) => n.id);
    const reps = (ids: string[]) =>
      ids.map((neighborhoodId) => ({ __typename: 'NeighborhoodThemeCoverage', id: `${neighborhoodId}:HOUSING` }));
    const counts = `query ($r: [_Any!]!) { _entities(representations: $r) {
      ... on NeighborhoodThemeCoverage { neighborhoodId activeServiceCount } } }`;
    const statements = async (query: string, ids: string[]) => {
      subgraph.sql.reset();
      const result = await subgraph.execute<{ _entities: unknown[] }>(query, { r: reps(ids) });
      expect(result.errors).toBeUndefined();
      expect(result.data?._entities).toHaveLength(ids.length);
      return subgraph.sql.statements.length;
    };
    const many = [...all, ...all.slice(0, 163)];
    // Counts only: one statement (the service table's version), whatever the number of rows.
    expect(await statements(counts, all.slice(0, 2))).toBe(1);
    expect(await statements(counts, many)).toBe(1);
    // With the services themselves: one more, for all of them.
    expect(await statements(COVERAGE, all.slice(0, 2))).toBe(2);
    expect(await statements(COVERAGE, many)).toBe(2);
  });

  it('a neighborhood entity gives its coverage for a theme; an unknown neighborhood is a coded error', async () => {
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) {
      ... on Neighborhood { serviceCoverage(theme: YOUTH) { activeServiceCount } } } }`;
    const ok = await subgraph.execute<{ _entities: { serviceCoverage: { activeServiceCount: number } }[] }>(query, {
      r: [{ __typename: 'Neighborhood', id: inWard2.id }],
    });
    expect(ok.errors).toBeUndefined();
    const [row] = await coverage([inWard2.id]);
    expect(ok.data?._entities[0]?.serviceCoverage.activeServiceCount).toBe(row?.activeServiceCount);
    const bad = await subgraph.execute(query, { r: [{ __typename: 'Neighborhood', id: 'nowhere' }] });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('the city-wide table agrees with the entities for every neighborhood, in one statement', async () => {
    const all = durhamNeighborhoods().map((n) => n.id);
    const themes = ['YOUTH', 'HOUSING'];
    subgraph.sql.reset();
    const result = await subgraph.execute<{
      serviceCoverageMatrix: { neighborhoodIds: string[]; themes: string[]; activeServiceCounts: number[] };
    }>(
      `query ($themes: [Theme!]) { serviceCoverageMatrix(themes: $themes) { neighborhoodIds themes activeServiceCounts } }`,
      { themes },
    );
    expect(result.errors).toBeUndefined();
    expect(subgraph.sql.statements.length).toBe(1);
    const matrix = result.data?.serviceCoverageMatrix;
    expect(matrix?.neighborhoodIds).toEqual(all);
    expect(matrix?.themes).toEqual(themes);
    expect(matrix?.activeServiceCounts).toHaveLength(all.length * themes.length);
    for (const [j, theme] of themes.entries()) {
      const rows = await coverage(all, theme);
      expect(rows.map((r) => r.activeServiceCount)).toEqual(
        all.map((_, i) => matrix?.activeServiceCounts[i * themes.length + j]),
      );
    }
    // The ward-limited geometry shows in the table too: some neighborhood has more YOUTH services than another.
    const youth = all.map((_, i) => matrix?.activeServiceCounts[i * themes.length] ?? 0);
    expect(Math.max(...youth)).toBeGreaterThan(Math.min(...youth));
    const unknown = await subgraph.execute(`{ serviceCoverageMatrix(themes: [NOT_A_THEME]) { themes } }`);
    expect(unknown.errors?.length).toBeGreaterThan(0);
  });
});

describe('the gateway’s cached coverage is cleared by the writes that move it', () => {
  const PREFIX = '=NeighborhoodThemeCoverage:';
  /** The coverage tags recorded in CacheInvalidation (the gateway's feed) by what `write` does. */
  async function coverageTagsOf(write: () => Promise<unknown>): Promise<string[]> {
    const [mark] = await subgraph.db.sql.query<{ seq: string }>(
      `SELECT coalesce(max("seq"), 0)::text AS "seq" FROM "CacheInvalidation"`,
    );
    await write();
    const rows = await subgraph.db.sql.query<{ tags: string[] }>(
      `SELECT to_jsonb("tags") AS "tags" FROM "CacheInvalidation" WHERE "seq" > $1 ORDER BY "seq"`,
      [mark?.seq ?? '0'],
    );
    return rows.flatMap((r) => r.tags).filter((t) => t.startsWith(PREFIX));
  }
  const tag = (neighborhoodId: string, theme: string) => `${PREFIX}${neighborhoodId}:${theme}`;
  const update = async (id: string, input: Record<string, unknown>) => {
    const result = await subgraph.execute(
      `mutation ($id: ID!, $input: UpdateServiceInput!) { updateService(id: $id, input: $input) { id } }`,
      { id, input },
      staff,
    );
    expect(result.errors).toBeUndefined();
  };

  it('creating, deactivating, retheming and moving a service announce exactly the neighborhood × theme counts they change', async () => {
    let id = '';
    const created = await coverageTagsOf(async () => {
      id = await create({ name: 'Ward 2 youth tutoring', serviceWards: [2] });
    });
    // Every ward-2 neighborhood for YOUTH, and nothing else: the count the gateway may hold changed there.
    const ward2 = durhamNeighborhoods().filter((n) => n.wards.some((w) => w.ward === 2));
    expect(created).toContain(tag(inWard2.id, THEME));
    expect(created).not.toContain(tag(inWard1.id, THEME));
    expect(created.every((t) => t.endsWith(`:${THEME}`))).toBe(true);
    expect(created.length).toBeGreaterThan(0);
    expect(created.length).toBeLessThanOrEqual(ward2.length);
    const [counted] = await coverage([inWard2.id]);
    expect(counted?.services.map((s) => s.id)).toContain(id);

    // A description moves no count: no coverage tag.
    expect(await coverageTagsOf(() => update(id, { description: 'After-school tutoring.' }))).toEqual([]);

    // A theme added: the new theme's counts only.
    const rethemed = await coverageTagsOf(() => update(id, { themes: [THEME, 'HOUSING'] }));
    expect(rethemed).toContain(tag(inWard2.id, 'HOUSING'));
    expect(rethemed).not.toContain(tag(inWard2.id, THEME));

    // Moved to ward 1: ward 1's neighborhoods gain it, ward 2's lose it (both themes).
    const moved = await coverageTagsOf(() => update(id, { serviceWards: [1] }));
    for (const theme of [THEME, 'HOUSING']) {
      expect(moved).toContain(tag(inWard1.id, theme));
      expect(moved).toContain(tag(inWard2.id, theme));
    }
    expect((await coverage([inWard1.id]))[0]?.services.map((s) => s.id)).toContain(id);

    // Deactivated: every count it was in.
    const setStatus = `mutation ($id: ID!, $status: ServiceStatus!) { setServiceStatus(id: $id, status: $status) { id } }`;
    const deactivated = await coverageTagsOf(async () => {
      expect((await subgraph.execute(setStatus, { id, status: 'INACTIVE' }, staff)).errors).toBeUndefined();
    });
    expect(deactivated).toContain(tag(inWard1.id, THEME));
    expect(deactivated).not.toContain(tag(inWard2.id, THEME));
    expect((await coverage([inWard1.id]))[0]?.services.map((s) => s.id)).not.toContain(id);

    // A citywide service counts in every neighborhood: every one of them is announced.
    const citywide = await coverageTagsOf(() => create({ name: 'Citywide youth line', servesCitywide: true }));
    expect(new Set(citywide).size).toBe(durhamNeighborhoods().length);
  });
});

describe('service areas given only in words', () => {
  const AREA = `query ($id: ID!) { service(id: $id) { serviceArea { description coverage unresolvedText } } }`;
  async function areaOf(id: string) {
    const result = await subgraph.execute<{
      service: { serviceArea: { description: string | null; coverage: string; unresolvedText: string[] } };
    }>(AREA, { id });
    expect(result.errors).toBeUndefined();
    return result.data?.service.serviceArea;
  }

  it('named wards count where they are; words naming nothing known are kept, shown as unknown and counted nowhere', async () => {
    const byWard = await create({ name: 'Youth league, ward 2', serviceAreaDescription: 'Distrito 2' });
    expect(await areaOf(byWard)).toEqual({ description: 'Distrito 2', coverage: 'NEIGHBORHOODS', unresolvedText: [] });
    expect(await covering(inWard2.id)).toContain(byWard);
    expect(await covering(inWard1.id)).not.toContain(byWard);

    const vague = await create({
      name: 'Youth outreach, Eastern Piedmont',
      serviceAreaDescription: 'Eastern Piedmont',
    });
    expect(await areaOf(vague)).toEqual({
      description: 'Eastern Piedmont',
      coverage: 'UNKNOWN',
      unresolvedText: ['Eastern Piedmont'],
    });
    // Never silently citywide: no neighborhood counts it, and the city-wide table does not move.
    for (const n of [inWard1.id, inWard2.id]) expect(await covering(n)).not.toContain(vague);

    const county = await create({ name: 'Youth helpline, county', serviceAreaDescription: 'Condado de Durham' });
    expect((await areaOf(county))?.coverage).toBe('CITYWIDE');
    expect(await covering(inWard1.id)).toContain(county);
  });
});
