import { identities, startTestSubgraph, type TestSubgraph } from '@civic/test-stack/subgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourcesPrisma } from '../src/db.ts';
import { resourcesSubgraph } from '../src/subgraph.ts';
import { DEPARTMENTS, neighborhood, org, service } from './fixtures.ts';

let subgraph: TestSubgraph<ResourcesPrisma>;
beforeAll(async () => {
  subgraph = await startTestSubgraph(resourcesSubgraph, { seed: true });
});
afterAll(async () => {
  await subgraph?.stop();
});

interface Page {
  services: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: {
      cursor: string;
      node: { id: string; name: string; status: string; themes: string[]; internal: boolean; languages: string[] };
    }[];
  };
}

const SEARCH = `query ($text: String, $themes: [Theme!], $neighborhoodId: ID, $ward: Int, $language: String,
  $kinds: [OrganizationKind!], $internal: Boolean, $statuses: [ServiceStatus!], $first: Int, $after: String) {
  services(text: $text, themes: $themes, neighborhoodId: $neighborhoodId, ward: $ward, language: $language,
    organizationKinds: $kinds, internal: $internal, statuses: $statuses, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id name status themes internal languages } }
  }
}`;

async function search(variables: Record<string, unknown>) {
  const result = await subgraph.execute<Page>(SEARCH, { first: 100, ...variables });
  expect(result.errors).toBeUndefined();
  return result.data?.services ?? { totalCount: -1, pageInfo: { hasNextPage: false, endCursor: null }, edges: [] };
}

describe('directory search', () => {
  it('finds services by full-text search, best match first', async () => {
    const page = await search({ text: 'eviction' });
    expect(page.edges[0]?.node.id).toBe(service.evictionDiversion);
    expect(page.totalCount).toBe(page.edges.length);
    const none = await search({ text: 'zeppelin maintenance' });
    expect(none.totalCount).toBe(0);
  });

  it('finds English-only services by Spanish words: "vivienda" and "viviendas" find housing help', async () => {
    for (const text of ['vivienda', 'viviendas']) {
      const page = await search({ text });
      const ids = page.edges.map((e) => e.node.id);
      expect(ids).toContain(service.elCentroFamilies);
      expect(ids).toContain(service.landTrustRentals);
      expect(page.edges[0]?.node.themes).toContain('HOUSING');
    }
    expect((await search({ text: 'zeppelin' })).totalCount).toBe(0);
  });

  it('finds a service by words only its Spanish version has, once it has one', async () => {
    const ids = async (text: string) => (await search({ text })).edges.map((e) => e.node.id);
    expect(await ids('barandales')).not.toContain(service.landTrustRentals);
    const set = await subgraph.execute(
      `mutation ($input: SetDirectoryTranslationInput!) { setDirectoryTranslation(input: $input) { language } }`,
      {
        input: {
          entity: 'SERVICE',
          id: service.landTrustRentals,
          field: 'description',
          language: 'es',
          text: 'Reparaciones críticas del hogar: barandales y escalones rotos, para propietarios con ingresos bajos.',
        },
      },
      identities.admin(),
    );
    expect(set.errors).toBeUndefined();
    expect(await ids('barandales')).toContain(service.landTrustRentals);
    expect(await ids('barandal')).toContain(service.landTrustRentals);
    // English search is unchanged by the Spanish versions.
    expect((await search({ text: 'eviction' })).edges[0]?.node.id).toBe(service.evictionDiversion);
  });

  it('keeps user text out of the SQL (quotes and operators are just words)', async () => {
    const page = await search({ text: `repair'); drop table "Service"; --` });
    expect(page.totalCount).toBeGreaterThanOrEqual(0);
    expect(await subgraph.prisma.service.count()).toBeGreaterThan(20);
  });

  it('filters by theme, language, organization kind, internal/external and status', async () => {
    const housing = await search({ themes: ['HOUSING'] });
    expect(housing.edges.every((e) => e.node.themes.includes('HOUSING'))).toBe(true);
    expect(housing.totalCount).toBeGreaterThan(5);

    const spanish = await search({ language: 'es' });
    expect(spanish.edges.every((e) => e.node.languages.includes('es'))).toBe(true);
    expect(spanish.edges.map((e) => e.node.id)).toContain(service.elCentroFamilies);

    const internal = await search({ internal: true });
    const external = await search({ internal: false });
    expect(internal.edges.every((e) => e.node.internal)).toBe(true);
    expect(external.edges.every((e) => !e.node.internal)).toBe(true);
    const all = await search({});
    expect(internal.totalCount + external.totalCount).toBe(all.totalCount);

    // The directory's county agencies: Public Health and Social Services.
    const county = await search({ kinds: ['COUNTY_AGENCY'] });
    expect(county.totalCount).toBe(6);
    expect(county.edges.every((e) => !e.node.internal)).toBe(true);

    // The two inactive services of the directory: Emergency Rental Assistance and Participatory Budgeting.
    const inactive = await search({ statuses: ['INACTIVE'] });
    expect(inactive.edges.map((e) => e.node.id).sort()).toEqual(
      [service.emergencyRental, 'ed051403-dad5-50d9-ac48-637b90a08810'].sort(),
    );
  });

  it('filters by the neighborhood served by geometry: citywide, a ward it overlaps, or the neighborhood itself', async () => {
    // The directory's areas are polygons: the three wards' union (city-wide) or the union of some
    // published neighborhoods' boundaries.
    const east = await search({ neighborhoodId: neighborhood('old-east-durham').id });
    const ids = east.edges.map((e) => e.node.id);
    expect(ids).toContain(service.prip); // its polygon holds Old East Durham
    expect(ids).toContain(service.urgentRepair); // city-wide polygon
    expect(ids).not.toContain(service.landTrustRentals); // Walltown, West End, Trinity Park, Lakewood Park only
    const walltown = await search({ neighborhoodId: neighborhood('walltown').id });
    const walltownIds = walltown.edges.map((e) => e.node.id);
    expect(walltownIds).toContain(service.landTrustRentals);
    expect(walltownIds).toContain(service.walltownTeens);
    expect(walltownIds).toContain(service.urgentRepair);
    expect(walltownIds).not.toContain(service.prip);
  });

  it('filters by the council ward served by geometry: a polygon serves the wards its neighborhoods lie in', async () => {
    // Land Trust rentals' polygon is Walltown and Trinity Park (ward 1), West End and Lakewood Park
    // (62% and 68% in ward 3, the rest in ward 1); no part of it is in ward 2. Its HSDS area lists
    // no ward: only the geometry places it.
    const byWard = async (ward: number) => (await search({ ward })).edges.map((e) => e.node.id);
    const [one, two, three] = [await byWard(1), await byWard(2), await byWard(3)];
    expect(three).toContain(service.landTrustRentals);
    expect(one).toContain(service.landTrustRentals);
    expect(two).not.toContain(service.landTrustRentals);
    // PRIP's east-side polygon holds Old East Durham (ward 1 and 2).
    expect(two).toContain(service.prip);
    // The city-wide polygon serves every ward.
    for (const ids of [one, two, three]) expect(ids).toContain(service.urgentRepair);
  });

  it('pages with cursors without gaps or repeats', async () => {
    const all = await search({});
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page: Page['services'] = await search({ first: 7, after });
      expect(page.totalCount).toBe(all.totalCount);
      seen.push(...page.edges.map((e) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.edges.map((e) => e.node.id));
    expect(new Set(seen).size).toBe(all.totalCount);
  });

  it('costs the same SQL for a page of 3 or 30 services with their organization, program, locations and schedules', async () => {
    const query = `query ($first: Int) { services(first: $first) { totalCount edges { node {
      name internal organization { name kind } program { name } locations { name } schedules { byDay } } } } }`;
    subgraph.sql.reset();
    const small = await subgraph.execute(query, { first: 3 });
    const fewQueries = subgraph.sql.statements.length;
    subgraph.sql.reset();
    const large = await subgraph.execute(query, { first: 30 });
    expect(small.errors).toBeUndefined();
    expect(large.errors).toBeUndefined();
    expect(subgraph.sql.statements.length).toBe(fewQueries);
  });

  it('rejects an unknown neighborhood or ward with a coded error', async () => {
    const result = await subgraph.execute(SEARCH, { neighborhoodId: 'nowhere' });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const ward = await subgraph.execute(SEARCH, { ward: 9 });
    expect(ward.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('organizations and services by id', () => {
  it('returns an organization with its kind, contact and services', async () => {
    const result = await subgraph.execute<{
      organization: { name: string; kind: string; internal: boolean; website: string; services: { name: string }[] };
    }>('query ($id: ID!) { organization(id: $id) { name kind internal website services { name } } }', {
      id: org.landTrust,
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.organization).toMatchObject({
      name: 'Durham Community Land Trustees',
      kind: 'NONPROFIT',
      internal: false,
      website: 'https://www.dclt.org',
      services: [{ name: 'Permanently Affordable Rental Homes' }],
    });
  });

  it('imports the demo directory with its HSDS ids and polygon service areas as stored', async () => {
    const result = await subgraph.execute<{ service: Record<string, unknown> }>(
      `query ($id: ID!) { service(id: $id) { id name status languages themes
        program { id } locations { id } schedules { byDay }
        serviceArea { citywide description geoJson } organization { id } } }`,
      { id: service.landTrustRentals },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.service).toMatchObject({
      id: service.landTrustRentals,
      name: 'Permanently Affordable Rental Homes',
      status: 'ACTIVE',
      languages: ['en'],
      program: null,
      locations: [],
      schedules: [],
      serviceArea: { citywide: false, geoJson: { type: 'MultiPolygon' } },
      organization: { id: org.landTrust },
    });
    const area = result.data?.service.serviceArea as { description: string };
    expect(area.description).toContain('Walltown');
    expect(await subgraph.prisma.service.count()).toBe(50);
  });

  it("folds the directory's city departments into the departments' own organizations", async () => {
    const result = await subgraph.execute<{
      service: { internal: boolean; organization: { id: string; name: string; alternateName: string; kind: string } };
    }>('query ($id: ID!) { service(id: $id) { internal organization { id name alternateName kind } } }', {
      id: service.urgentRepair,
    });
    expect(result.errors).toBeUndefined();
    // The department's id (what staff tokens name), its name, the directory's short name.
    expect(result.data?.service).toEqual({
      internal: true,
      organization: {
        id: org.communityDevelopment,
        name: 'Community Development Department',
        alternateName: 'Community Development',
        kind: 'CITY_DEPARTMENT',
      },
    });
    // No second organization for a department.
    expect(await subgraph.prisma.organization.count({ where: { id: 'fa0d5f63-3012-5dec-ae79-b83b0c1932ec' } })).toBe(0);
    expect(await subgraph.prisma.organization.count({ where: { kind: 'CITY_DEPARTMENT' } })).toBe(DEPARTMENTS.length);
  });

  it('shows internal budgets with their fiscal year', async () => {
    // The directory gives no budgets; a department records one.
    await subgraph.prisma.service.update({
      where: { id: service.urgentRepair },
      data: { annualBudget: 1_200_000, fiscalYear: 2026 },
    });
    const result = await subgraph.execute<{ service: { annualBudget: number; fiscalYear: number; internal: boolean } }>(
      'query ($id: ID!) { service(id: $id) { annualBudget fiscalYear internal } }',
      { id: service.urgentRepair },
    );
    expect(result.data?.service).toEqual({ annualBudget: 1_200_000, fiscalYear: 2026, internal: true });
  });

  it('resolves Organization and Service references in one query each, whatever their number', async () => {
    const services = await subgraph.prisma.service.findMany({ select: { id: true, organizationId: true } });
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) {
      ... on Service { id name } ... on Organization { id name } } }`;
    const reps = (n: number) => [
      ...services.slice(0, n).map((s) => ({ __typename: 'Service', id: s.id })),
      ...services.slice(0, n).map((s) => ({ __typename: 'Organization', id: s.organizationId })),
      { __typename: 'Service', id: 'missing' },
    ];
    subgraph.sql.reset();
    const few = await subgraph.execute<{ _entities: unknown[] }>(query, { r: reps(2) });
    const fewQueries = subgraph.sql.statements.length;
    subgraph.sql.reset();
    const many = await subgraph.execute<{ _entities: unknown[] }>(query, { r: reps(services.length) });
    expect(few.errors).toBeUndefined();
    expect(many.errors).toBeUndefined();
    expect(many.data?._entities.at(-1)).toBeNull();
    expect(subgraph.sql.statements.length).toBe(fewQueries);
    expect(fewQueries).toBe(2);
  });
});
