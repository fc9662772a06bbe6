import { stableId } from '@civic/reference-data/stable-id';
import { identities, startTestSubgraph, type TestSubgraph } from '@civic/test-stack/subgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourcesPrisma } from '../src/db.ts';
import { initiativeIdForCode } from '../src/seed.ts';
import { resourcesSubgraph } from '../src/subgraph.ts';
import { neighborhood, service } from './fixtures.ts';

let subgraph: TestSubgraph<ResourcesPrisma>;
beforeAll(async () => {
  subgraph = await startTestSubgraph(resourcesSubgraph, { seed: true });
});
afterAll(async () => {
  await subgraph?.stop();
});

interface Suggestion {
  score: number;
  reasons: string[];
  resource: {
    id: string;
    name: string;
    status: string;
    themes: string[];
    serviceArea: { citywide: boolean; wards: number[]; neighborhoodIds: string[] };
  };
}

const SUGGEST = `query ($r: [_Any!]!, $first: Int) { _entities(representations: $r) {
  ... on Concern { id suggestedResources(first: $first) { score reasons
    resource { id name status themes serviceArea { citywide wards neighborhoodIds } } } } } }`;

const eastDurham = neighborhood('east-durham');

function concern(id: string, fields: Record<string, unknown> = {}) {
  return {
    __typename: 'Concern',
    id,
    summary: 'Rent keeps going up and our landlord will not fix anything',
    detail: 'Families on our street worry about being pushed out of their homes.',
    themes: ['HOUSING'],
    language: 'en',
    ward: 1,
    neighborhoodId: eastDurham.id,
    ...fields,
  };
}

async function suggest(reps: Record<string, unknown>[], first = 20) {
  const result = await subgraph.execute<{ _entities: { id: string; suggestedResources: Suggestion[] }[] }>(SUGGEST, {
    r: reps,
    first,
  });
  expect(result.errors).toBeUndefined();
  return result.data?._entities ?? [];
}

const servesWard1Specifically = (s: Suggestion) =>
  s.resource.serviceArea.wards.includes(1) || s.resource.serviceArea.neighborhoodIds.includes(eastDurham.id);

describe('Concern.suggestedResources', () => {
  it('puts housing services that serve ward 1 first for a housing concern in ward 1, never a defunct one', async () => {
    const [result] = await suggest([concern('c-housing')]);
    const list = result?.suggestedResources ?? [];
    expect(list.length).toBeGreaterThan(4);
    expect(list.every((s) => s.resource.status === 'ACTIVE')).toBe(true);
    expect(list.map((s) => s.resource.id)).not.toContain(service.covidRental); // DEFUNCT, serves ward 1, housing
    expect(list.map((s) => s.resource.id)).not.toContain(service.dcaHomeHelp); // housing, but ward 2 only
    const firstCitywide = list.findIndex((s) => !servesWard1Specifically(s));
    const lastLocal = list.findLastIndex(servesWard1Specifically);
    expect(lastLocal).toBeGreaterThanOrEqual(2);
    const housingLocal = list.filter((s) => servesWard1Specifically(s) && s.resource.themes.includes('HOUSING'));
    const housingCitywide = list.filter((s) => !servesWard1Specifically(s) && s.resource.themes.includes('HOUSING'));
    expect(list.indexOf(housingLocal.at(-1) as Suggestion)).toBeLessThan(
      list.indexOf(housingCitywide[0] as Suggestion),
    );
    expect(firstCitywide).toBeGreaterThan(0);
    expect(list[0]?.resource.themes).toContain('HOUSING');
    expect(list.map((s) => s.score)).toEqual([...list.map((s) => s.score)].sort((a, b) => b - a));
  });

  it('explains every suggestion in words', async () => {
    const [result] = await suggest([concern('c-reasons')]);
    const prip = result?.suggestedResources.find((s) => s.resource.id === service.prip);
    expect(prip?.reasons).toEqual(expect.arrayContaining(['Matches theme: Housing', 'Serves East Durham']));
    const urgent = result?.suggestedResources.find((s) => s.resource.id === service.urgentRepair);
    expect(urgent?.reasons).toContain('Serves ward 1');
    const citywide = result?.suggestedResources.find((s) => s.resource.id === service.evictionDiversion);
    expect(citywide?.reasons).toContain('Serves all of Durham');
    for (const s of result?.suggestedResources ?? []) expect(s.reasons.length).toBeGreaterThan(0);
  });

  it('uses Postgres text relevance: the same themes with a more relevant text rank differently', async () => {
    const [eviction, repairs] = await suggest([
      concern('c-evict', { summary: 'Tenants facing eviction court need legal help', detail: null }),
      concern('c-repair', { summary: 'Old homes need urgent roof and heating repairs', detail: null }),
    ]);
    const rank = (list: Suggestion[] | undefined, id: string) => list?.findIndex((s) => s.resource.id === id) ?? -1;
    expect(rank(eviction?.suggestedResources, service.evictionDiversion)).toBeLessThan(
      rank(repairs?.suggestedResources, service.evictionDiversion),
    );
    const evictionReasons = eviction?.suggestedResources.find(
      (s) => s.resource.id === service.evictionDiversion,
    )?.reasons;
    expect(evictionReasons).toContain("Description matches the concern's words");
  });

  it('rewards the concern language: a Spanish concern gets Spanish-language services with the reason', async () => {
    const [english, spanish] = await suggest([
      concern('c-en'),
      concern('c-es', { language: 'es', summary: 'El alquiler sube y el dueño no arregla nada', detail: null }),
    ]);
    const inSpanish = spanish?.suggestedResources.find((s) => s.resource.id === service.ecHousing);
    expect(inSpanish?.reasons).toContain('Offered in Spanish');
    const inEnglish = english?.suggestedResources.find((s) => s.resource.id === service.ecHousing);
    expect(inSpanish?.score ?? 0).toBeGreaterThan(inEnglish?.score ?? 0);
  });

  it('stops suggesting a service as soon as it is no longer active', async () => {
    const before = await suggest([concern('c-status-1')]);
    expect(before[0]?.suggestedResources.map((s) => s.resource.id)).toContain(service.prip);
    const result = await subgraph.execute(
      'mutation ($id: ID!) { setServiceStatus(id: $id, status: DEFUNCT) { status } }',
      { id: service.prip },
      identities.admin(),
    );
    expect(result.errors).toBeUndefined();
    const after = await suggest([concern('c-status-2')]);
    expect(after[0]?.suggestedResources.map((s) => s.resource.id)).not.toContain(service.prip);
    await subgraph.execute(
      'mutation ($id: ID!) { setServiceStatus(id: $id, status: ACTIVE) { status } }',
      { id: service.prip },
      identities.admin(),
    );
  });

  it('honours first and returns nothing for a concern nothing matches', async () => {
    const [three, none] = await suggest(
      [concern('c-three'), concern('c-none', { themes: [], summary: 'zeppelin', detail: null })],
      3,
    );
    expect(three?.suggestedResources).toHaveLength(3);
    expect(none?.suggestedResources).toEqual([]);
  });

  it('rejects a first outside 0–20 with a coded error', async () => {
    const result = await subgraph.execute(SUGGEST, { r: [concern('c-first')], first: 500 });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('costs the same number of SQL statements for 1 concern or 12', async () => {
    subgraph.sql.reset();
    await suggest([concern('n-1')], 5);
    const one = subgraph.sql.statements.length;
    const many = ['east-durham', 'walltown', 'hayti', 'west-end', 'southside', 'lakewood'].flatMap((slug, i) => {
      const n = neighborhood(slug);
      return [
        concern(`n-a${i}`, { neighborhoodId: n.id, ward: n.ward }),
        concern(`n-b${i}`, { neighborhoodId: n.id, ward: null, themes: ['YOUTH'], summary: 'Teens need summer jobs' }),
      ];
    });
    subgraph.sql.reset();
    await suggest(many, 5);
    expect(subgraph.sql.statements.length).toBe(one);
    expect(one).toBe(2);
  });
});

describe('Initiative.resources', () => {
  it('lists the services linked to each initiative, with notes, in constant SQL', async () => {
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Initiative {
      id resources { id name } resourceLinks { note linkedAt service { id } initiative { id } } } } }`;
    const codes = ['3.21', '3.22', '1.23', '2.11', '1.32', '9.99'];
    const reps = codes.map((code) => ({ __typename: 'Initiative', id: initiativeIdForCode(code) }));
    subgraph.sql.reset();
    const few = await subgraph.execute(query, { r: reps.slice(0, 1) });
    const fewQueries = subgraph.sql.statements.length;
    subgraph.sql.reset();
    const result = await subgraph.execute<{
      _entities: {
        id: string;
        resources: { id: string }[];
        resourceLinks: { note: string; service: { id: string } }[];
      }[];
    }>(query, { r: reps });
    expect(few.errors).toBeUndefined();
    expect(result.errors).toBeUndefined();
    expect(subgraph.sql.statements.length).toBe(fewQueries);
    const [homeownership, rental, , , , unknown] = result.data?._entities ?? [];
    expect(homeownership?.resources.map((r) => r.id)).toEqual(
      expect.arrayContaining([service.urgentRepair, stableId('service', 'habitat-homeownership-program')]),
    );
    expect(rental?.resources.map((r) => r.id)).toEqual(
      expect.arrayContaining([service.prip, service.evictionDiversion]),
    );
    expect(rental?.resourceLinks.find((l) => l.service.id === service.prip)?.note).toMatch(/rental housing/);
    expect(unknown?.resources).toEqual([]);
  });
});

describe('public access', () => {
  it('suggests to any caller (the concern was already authorised by engagement)', async () => {
    const result = await subgraph.execute(SUGGEST, { r: [concern('c-public')], first: 1 }, identities.public);
    expect(result.errors).toBeUndefined();
  });
});
