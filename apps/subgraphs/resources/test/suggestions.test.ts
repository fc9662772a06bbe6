import { describeReason } from '@civic/alignment/reasons';
import { durhamNeighborhoods, resolveNeighborhoodName } from '@civic/reference-data/durham-neighborhoods';
import { identities, startTestSubgraph, type TestSubgraph } from '@civic/test-stack/subgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourcesPrisma } from '../src/db.ts';
import { resourcesSubgraph } from '../src/subgraph.ts';

// A directory of our own (no demo seed): what each test expects follows from these rows alone.
let subgraph: TestSubgraph<ResourcesPrisma>;

const hood = (name: string) => {
  const found = resolveNeighborhoodName(name);
  if (!found) throw new Error(name);
  return found;
};
const walltown = hood('Walltown');
const westEnd = hood('West End');
const hayti = hood('Hayti');

const ORG = '00000000-0000-4000-8000-00000000a001';
const S = {
  walltownRepair: '00000000-0000-4000-8000-0000000000a1',
  citywideRepair: '00000000-0000-4000-8000-0000000000a2',
  closedRepair: '00000000-0000-4000-8000-0000000000a3',
  westEndExtentRepair: '00000000-0000-4000-8000-0000000000a4',
  evictionLaw: '00000000-0000-4000-8000-0000000000a5',
};

const REPAIR =
  'Free critical home repairs for low-income homeowners: leaking roofs, broken heating, failed plumbing and accessibility ramps.';

beforeAll(async () => {
  subgraph = await startTestSubgraph(resourcesSubgraph, { seed: false });
  const p = subgraph.prisma;
  await p.organization.create({ data: { id: ORG, name: 'Durham Home Partners', kind: 'NONPROFIT' } });
  const base = { organizationId: ORG, themes: ['HOUSING'], languages: ['en'] };
  await p.service.createMany({
    data: [
      {
        ...base,
        id: S.walltownRepair,
        name: 'Walltown Home Repair',
        description: REPAIR,
        serviceNeighborhoodIds: [walltown.id],
        languages: ['en', 'es'],
      },
      { ...base, id: S.citywideRepair, name: 'Citywide Urgent Repair', description: REPAIR, servesCitywide: true },
      {
        ...base,
        id: S.closedRepair,
        name: 'Emergency Roof Repair Fund',
        description: REPAIR,
        servesCitywide: true,
        status: 'INACTIVE',
      },
      {
        ...base,
        id: S.westEndExtentRepair,
        name: 'West End Repair Crew',
        description: REPAIR,
        serviceAreaGeoJson: westEnd.boundary as object,
      },
      {
        ...base,
        id: S.evictionLaw,
        name: 'Eviction Defense Lawyers',
        description: 'Free lawyers for tenants facing eviction court; help to stay in your home.',
        servesCitywide: true,
        languages: ['en', 'es'],
      },
    ],
  });
});
afterAll(async () => {
  await subgraph?.stop();
});

interface Suggestion {
  score: number;
  reasons: string[];
  resource: { id: string; name: string };
}

const SUGGEST = `query ($r: [_Any!]!, $first: Int, $language: String) { _entities(representations: $r) {
  ... on Concern { id suggestedResources(first: $first, language: $language) { score reasons resource { id name } } } } }`;

function concern(id: string, fields: Record<string, unknown> = {}) {
  return {
    __typename: 'Concern',
    id,
    summary: 'Our roof is leaking and the heating is broken',
    detail: 'We are older homeowners and cannot pay for the repairs ourselves.',
    themes: ['HOUSING'],
    language: 'en',
    ward: null,
    neighborhoodId: walltown.id,
    englishText: null,
    excludedSuggestionIds: [],
    ...fields,
  };
}

async function suggest(reps: Record<string, unknown>[], first = 5, language?: string) {
  const result = await subgraph.execute<{ _entities: { id: string; suggestedResources: Suggestion[] }[] }>(SUGGEST, {
    r: reps,
    first,
    language,
  });
  expect(result.errors).toBeUndefined();
  return (result.data?._entities ?? []).map((e) => e.suggestedResources);
}
const ids = (list: Suggestion[] | undefined) => (list ?? []).map((s) => s.resource.id);

describe('Concern.suggestedResources', () => {
  it('suggests a neighborhood-limited service inside its area and never outside it (lists and GeoJSON alike)', async () => {
    const [inWalltown, inWestEnd, inHayti, cityWide] = await suggest([
      concern('c-walltown'),
      concern('c-west-end', { neighborhoodId: westEnd.id }),
      concern('c-hayti', { neighborhoodId: hayti.id }),
      concern('c-citywide', { neighborhoodId: null }),
    ]);
    expect(ids(inWalltown)).toContain(S.walltownRepair);
    expect(ids(inWalltown)).toContain(S.citywideRepair);
    expect(ids(inWalltown)).not.toContain(S.westEndExtentRepair);
    expect(ids(inWestEnd)).toContain(S.westEndExtentRepair);
    expect(ids(inWestEnd)).not.toContain(S.walltownRepair);
    expect(ids(inHayti)).toContain(S.citywideRepair);
    expect(ids(inHayti)).not.toContain(S.walltownRepair);
    expect(ids(inHayti)).not.toContain(S.westEndExtentRepair);
    expect(ids(cityWide)).toContain(S.citywideRepair);
    expect(ids(cityWide)).not.toContain(S.walltownRepair);
    expect(ids(cityWide)).not.toContain(S.westEndExtentRepair);
    // and for every other published neighborhood, by the same rule
    const others = durhamNeighborhoods().filter((n) => n.id !== walltown.id && n.id !== westEnd.id);
    const lists = await suggest(others.slice(0, 40).map((n) => concern(`c-${n.slug}`, { neighborhoodId: n.id })));
    for (const list of lists) expect(ids(list)).not.toContain(S.walltownRepair);
  });

  it('never suggests an inactive service, however well it fits', async () => {
    const [list] = await suggest([concern('c-inactive', { neighborhoodId: null })], 20);
    expect(ids(list).length).toBeGreaterThan(0);
    expect(ids(list)).not.toContain(S.closedRepair);
  });

  it('stops suggesting a service once it is closed, and starts again in a new area once its area changes', async () => {
    const setStatus = (status: string) =>
      subgraph.execute(
        `mutation ($id: ID!) { setServiceStatus(id: $id, status: ${status}) { status } }`,
        { id: S.citywideRepair },
        identities.admin(),
      );
    expect((await setStatus('DEFUNCT')).errors).toBeUndefined();
    expect(ids((await suggest([concern('c-closed')]))[0])).not.toContain(S.citywideRepair);
    expect((await setStatus('ACTIVE')).errors).toBeUndefined();
    expect(ids((await suggest([concern('c-reopened')]))[0])).toContain(S.citywideRepair);

    expect(ids((await suggest([concern('c-hayti-before', { neighborhoodId: hayti.id })]))[0])).not.toContain(
      S.walltownRepair,
    );
    await subgraph.prisma.service.update({
      where: { id: S.walltownRepair },
      data: { serviceNeighborhoodIds: [walltown.id, hayti.id] },
    });
    expect(ids((await suggest([concern('c-hayti-after', { neighborhoodId: hayti.id })]))[0])).toContain(
      S.walltownRepair,
    );
    await subgraph.prisma.service.update({
      where: { id: S.walltownRepair },
      data: { serviceNeighborhoodIds: [walltown.id] },
    });
    expect(ids((await suggest([concern('c-hayti-again', { neighborhoodId: hayti.id })]))[0])).not.toContain(
      S.walltownRepair,
    );
  });

  it('says nothing for a concern about term limits', async () => {
    const [list] = await suggest([
      concern('c-term-limits', {
        summary: 'City council members should have term limits',
        detail: 'Nobody should sit on council for twenty years.',
        themes: ['CIVIC_ENGAGEMENT'],
      }),
    ]);
    expect(list).toEqual([]);
  });

  it('does not suggest again a service staff already aligned with or dismissed for the concern', async () => {
    const [before, after] = await suggest([
      concern('c-excluded-1'),
      concern('c-excluded-2', { excludedSuggestionIds: [S.walltownRepair, S.citywideRepair] }),
    ]);
    expect(ids(before)).toEqual(expect.arrayContaining([S.walltownRepair, S.citywideRepair]));
    expect(ids(after)).not.toContain(S.walltownRepair);
    expect(ids(after)).not.toContain(S.citywideRepair);
  });

  it('words the reasons in the caller’s language', async () => {
    const rep = concern('c-lang', {
      language: 'es',
      summary: 'El techo gotea y la calefacción no funciona',
      detail: null,
    });
    const [english] = await suggest([rep], 5, 'en');
    const [spanish] = await suggest([rep], 5, 'es');
    const inSpanish = spanish?.find((s) => s.resource.id === S.walltownRepair);
    const inEnglish = english?.find((s) => s.resource.id === S.walltownRepair);
    expect(inSpanish?.reasons).toContain(
      describeReason({ kind: 'serves-neighborhood', neighborhoodName: walltown.nameEs }, 'es'),
    );
    expect(inEnglish?.reasons).toContain(
      describeReason({ kind: 'serves-neighborhood', neighborhoodName: walltown.name }, 'en'),
    );
    expect(inSpanish?.reasons).not.toEqual(inEnglish?.reasons);
    expect(inSpanish?.score).toBe(inEnglish?.score);
  });

  it('rejects a language it cannot word reasons in, and a first outside 0–20, with coded errors', async () => {
    const badLanguage = await subgraph.execute(SUGGEST, { r: [concern('c-bad')], first: 5, language: 'fr' });
    expect(badLanguage.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badFirst = await subgraph.execute(SUGGEST, { r: [concern('c-bad')], first: 500 });
    expect(badFirst.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('costs the same SQL for 1 concern or 12 once the matcher is built', async () => {
    await suggest([concern('warm')]);
    subgraph.sql.reset();
    await suggest([concern('n-1')]);
    const one = subgraph.sql.statements.length;
    subgraph.sql.reset();
    await suggest(Array.from({ length: 12 }, (_, i) => concern(`n-many-${i}`, { neighborhoodId: hayti.id })));
    expect(subgraph.sql.statements.length).toBe(one);
  });
});
