import { identities, startTestSubgraph, type TestSubgraph } from '@civic/test-stack/subgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourcesPrisma } from '../src/db.ts';
import { resourcesSubgraph } from '../src/subgraph.ts';
import { HSDS_EXAMPLE, neighborhood, service } from './fixtures.ts';

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
      expect(ids).toContain(service.ecHousing);
      expect(ids).toContain(service.habitatRepair);
      expect(page.edges[0]?.node.themes).toContain('HOUSING');
    }
    expect((await search({ text: 'zeppelin' })).totalCount).toBe(0);
  });

  it('finds a service by words only its Spanish version has, once it has one', async () => {
    const ids = async (text: string) => (await search({ text })).edges.map((e) => e.node.id);
    expect(await ids('barandales')).not.toContain(service.habitatRepair);
    const set = await subgraph.execute(
      `mutation ($input: SetDirectoryTranslationInput!) { setDirectoryTranslation(input: $input) { language } }`,
      {
        input: {
          entity: 'SERVICE',
          id: service.habitatRepair,
          field: 'description',
          language: 'es',
          text: 'Reparaciones críticas del hogar: barandales y escalones rotos, para propietarios con ingresos bajos.',
        },
      },
      identities.admin(),
    );
    expect(set.errors).toBeUndefined();
    expect(await ids('barandales')).toContain(service.habitatRepair);
    expect(await ids('barandal')).toContain(service.habitatRepair);
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
    expect(spanish.edges.map((e) => e.node.id)).toContain(service.ecHousing);

    const internal = await search({ internal: true });
    const external = await search({ internal: false });
    expect(internal.edges.every((e) => e.node.internal)).toBe(true);
    expect(external.edges.every((e) => !e.node.internal)).toBe(true);
    const all = await search({});
    expect(internal.totalCount + external.totalCount).toBe(all.totalCount);

    const faith = await search({ kinds: ['FAITH_BASED'] });
    expect(faith.edges.map((e) => e.node.id)).toEqual([service.dcaHomeHelp]);

    const defunct = await search({ statuses: ['DEFUNCT'] });
    expect(defunct.edges.map((e) => e.node.id)).toEqual([service.covidRental]);
  });

  it('filters by the neighborhood served: citywide, its ward, or the neighborhood itself', async () => {
    const east = await search({ neighborhoodId: neighborhood('old-east-durham').id });
    const ids = east.edges.map((e) => e.node.id);
    expect(ids).toContain(service.prip); // listed neighborhood
    expect(ids).toContain(service.urgentRepair); // ward 1
    expect(ids).toContain(service.umdShelter); // citywide
    expect(ids).not.toContain(service.dcaHomeHelp); // ward 2 only

    const ward2 = await search({ ward: 2 });
    const ward2Ids = ward2.edges.map((e) => e.node.id);
    expect(ward2Ids).toContain(service.dcaHomeHelp);
    expect(ward2Ids).toContain(service.habitatRepair); // serves Unity Village, in ward 2
    expect(ward2Ids).not.toContain(service.prip);
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
      id: HSDS_EXAMPLE.organization,
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.organization).toMatchObject({
      name: 'Example Organization Inc.',
      kind: 'NONPROFIT',
      internal: false,
      website: 'http://example.com',
      services: [{ name: 'Community Counselling' }],
    });
  });

  it('imports the HSDS example with its ids, program, location, schedule and languages', async () => {
    const result = await subgraph.execute<{ service: Record<string, unknown> }>(
      `query ($id: ID!) { service(id: $id) { id name status minimumAge maximumAge languages themes eligibility fees
        program { id name } locations { id name address1 city } schedules { byDay opensAt closesAt }
        serviceArea { citywide description geoJson } organization { id } } }`,
      { id: HSDS_EXAMPLE.service },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.service).toMatchObject({
      id: HSDS_EXAMPLE.service,
      name: 'Community Counselling',
      status: 'ACTIVE',
      minimumAge: 12,
      maximumAge: 100,
      languages: ['en', 'ur'],
      program: { id: 'e7ec2e57-4540-43fa-b2c7-6be5a0ef7f42', name: 'Community Mental Health Support' },
      locations: [
        {
          id: '3a19ff88-4620-4d17-9830-ac1d859eb5d5',
          name: 'MyCity Civic Center',
          address1: '1-30 Main Street',
          city: 'MyCity',
        },
      ],
      schedules: [{ byDay: 'TH,FR', opensAt: '10:00:00', closesAt: '18:00:00' }],
      serviceArea: { citywide: false, geoJson: null },
      organization: { id: HSDS_EXAMPLE.organization },
    });
    expect(result.data?.service.themes).toContain('HEALTH'); // inferred from the text by the shared taxonomy
  });

  it('shows internal budgets with their fiscal year', async () => {
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
