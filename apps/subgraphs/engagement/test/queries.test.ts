import { LEGACY_NEIGHBORHOODS, NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';

/** Hayti, a demo-era name, stands for the published Southside / St. Teresa. */
const legacyHaytiId = LEGACY_NEIGHBORHOODS.find((n) => n.slug === 'hayti')?.id as string;

import { createLogger } from '@civic/server-kit/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweep } from '../src/domain/alignment-worker.ts';
import { DEMO_ANSWERS } from '../src/seed/demo-answers.ts';
import { type Engagement, errorCode, publicCaller, staff, startEngagement } from './helpers.ts';

let sg: Engagement;
beforeAll(async () => {
  sg = await startEngagement();
  // The demo's concerns come untagged, as imports do; the alignment engine tags them (here at once
  // rather than in the background), so the theme filters have themes to filter.
  await sweep(sg.db.sql, createLogger('engagement', 'error'));
});
afterAll(async () => {
  await sg?.stop();
});

const visible = { published: true, moderation: 'ACCEPTED' } as const;

interface Page {
  concerns: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: {
      cursor: string;
      node: {
        id: string;
        supportCount: number;
        themes: string[];
        status: string;
        ward: number;
        neighborhoodId: string;
      };
    }[];
  };
}
const PAGE = `query ($first: Int, $after: String, $filter: ConcernFilter, $order: ConcernOrder) {
  concerns(first: $first, after: $after, filter: $filter, orderBy: $order) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id supportCount themes status ward neighborhoodId } }
  }
}`;

async function page(variables: Record<string, unknown>, identity = publicCaller) {
  const result = await sg.execute<Page>(PAGE, variables, identity);
  expect(result.errors).toBeUndefined();
  return result.data?.concerns as Page['concerns'];
}

describe('concern', () => {
  it('returns a visible concern with its neighborhood, ward, conversation and history', async () => {
    const row = await sg.prisma.concern.findFirstOrThrow({
      where: { ...visible, language: 'en', status: 'NEW', neighborhoodId: { not: null } },
      include: { neighborhood: true },
    });
    const result = await sg.execute<{
      concern: {
        summary: string;
        language: string;
        ward: number;
        neighborhood: { name: string };
        conversation: { title: string };
        statusHistory: { toStatus: string }[];
      };
    }>(
      'query ($id: ID!) { concern(id: $id) { summary language ward neighborhood { name } conversation { title } statusHistory { toStatus } } }',
      { id: row.id },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.concern).toMatchObject({
      summary: row.summary,
      language: 'en',
      ward: row.neighborhood?.ward,
      neighborhood: { name: row.neighborhood?.name },
      statusHistory: [{ toStatus: 'NEW' }],
    });
  });

  it('is null for an unknown id', async () => {
    const result = await sg.execute<{ concern: unknown }>('{ concern(id: "nope") { id } }');
    expect(result.data?.concern).toBeNull();
  });
});

describe('concerns', () => {
  it('pages with cursors through every visible concern exactly once, with a total count', async () => {
    const total = await sg.prisma.concern.count({ where: visible });
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const p: Page['concerns'] = await page({ first: 100, after });
      expect(p.totalCount).toBe(total);
      seen.push(...p.edges.map((e) => e.node.id));
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('orders by support, and pages keep that order', async () => {
    const first = await page({ first: 5, order: 'MOST_SUPPORTED' });
    const next = await page({ first: 5, after: first.pageInfo.endCursor, order: 'MOST_SUPPORTED' });
    const counts = [...first.edges, ...next.edges].map((e) => e.node.supportCount);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const top = await sg.prisma.concern.findFirstOrThrow({
      where: visible,
      orderBy: [{ supportCount: 'desc' }, { id: 'asc' }],
    });
    expect(first.edges[0]?.node.id).toBe(top.id);
  });

  it('filters by neighborhood, ward, theme, status and equity priority', async () => {
    const hayti = NEIGHBORHOODS.find((n) => n.slug === 'southside-st-teresa');
    const byNeighborhood = await page({ first: 100, filter: { neighborhoodId: hayti?.id } });
    expect(byNeighborhood.totalCount).toBe(
      await sg.prisma.concern.count({ where: { ...visible, neighborhoodId: hayti?.id } }),
    );
    expect(byNeighborhood.totalCount).toBeGreaterThan(0);
    expect(byNeighborhood.edges.every((e) => e.node.neighborhoodId === hayti?.id)).toBe(true);
    // A client still using the demo-era Hayti id gets the published neighborhood's concerns.
    const byLegacyId = await page({ first: 100, filter: { neighborhoodId: legacyHaytiId } });
    expect(byLegacyId.edges.map((e) => e.node.id)).toEqual(byNeighborhood.edges.map((e) => e.node.id));

    const ward3 = await page({ first: 100, filter: { ward: 3 } });
    expect(ward3.totalCount).toBe(await sg.prisma.concern.count({ where: { ...visible, neighborhood: { ward: 3 } } }));
    expect(ward3.edges.every((e) => e.node.ward === 3)).toBe(true);

    const housing = await page({ first: 100, filter: { themes: ['HOUSING'] } });
    expect(housing.totalCount).toBe(
      await sg.prisma.concern.count({ where: { ...visible, themes: { has: 'HOUSING' } } }),
    );
    expect(housing.totalCount).toBeGreaterThan(0);
    expect(housing.edges.every((e) => e.node.themes.includes('HOUSING'))).toBe(true);

    const priority = await page({ first: 1, filter: { equityPriority: true } });
    const notPriority = await page({ first: 1, filter: { equityPriority: false } });
    // Concerns without a neighborhood (city-wide, or from another place) are in neither.
    expect(priority.totalCount + notPriority.totalCount).toBe(
      await sg.prisma.concern.count({ where: { ...visible, neighborhoodId: { not: null } } }),
    );
    expect(priority.totalCount).toBe(
      await sg.prisma.concern.count({ where: { ...visible, neighborhood: { equityPriority: true } } }),
    );

    const fresh = await page({ first: 1, filter: { status: ['NEW'] } });
    const reviewed = await page({ first: 1, filter: { status: ['UNDER_REVIEW', 'ADDRESSED'] } });
    // The seed answers DEMO_ANSWERS' concerns (all public); their last step is their status.
    const last = DEMO_ANSWERS.map((a) => a.steps.at(-1)?.status);
    expect(fresh.totalCount).toBe((await sg.prisma.concern.count({ where: visible })) - DEMO_ANSWERS.length);
    expect(reviewed.totalCount).toBe(last.filter((s) => s === 'UNDER_REVIEW' || s === 'ADDRESSED').length);
    expect(reviewed.totalCount).toBeGreaterThan(0);
  });

  it('searches the text with Postgres full-text search, parameters bound', async () => {
    const total = await sg.prisma.concern.count();
    const roads = await page({ first: 100, filter: { search: 'roads' } });
    expect(roads.totalCount).toBeGreaterThan(0);
    const texts = await sg.prisma.concern.findMany({ where: { id: { in: roads.edges.map((e) => e.node.id) } } });
    // Stemming: "roads" finds "road" and "roads".
    expect(texts.every((c) => /road/i.test(`${c.summary} ${c.detail ?? ''}`))).toBe(true);
    const phrase = await page({ first: 100, filter: { search: '"bike lanes"' } });
    const loose = await page({ first: 100, filter: { search: 'bike lanes' } });
    expect(phrase.totalCount).toBeLessThanOrEqual(loose.totalCount);
    const combined = await page({ first: 100, filter: { search: 'roads', ward: 1 } });
    expect(combined.edges.every((e) => e.node.ward === 1)).toBe(true);
    expect(combined.totalCount).toBeLessThanOrEqual(roads.totalCount);
    const plan = await sg.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL enable_seqscan = off`;
      return tx.$queryRaw<{ 'QUERY PLAN': string }[]>`
        EXPLAIN SELECT "id" FROM "Concern" WHERE "search" @@ websearch_to_tsquery('english', ${'roads'})`;
    });
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toContain('Concern_search_idx');
    const hostile = await page({ first: 5, filter: { search: `'); DROP TABLE "Concern"; --` } });
    expect(hostile.totalCount).toBe(0);
    expect(await sg.prisma.concern.count()).toBe(total);
  });

  it('keeps the search facets in step with the concern, its moderation and its neighborhood’s ward', async () => {
    const row = await sg.prisma.concern.findFirstOrThrow({
      where: { ...visible, neighborhoodId: { not: null }, summary: { contains: ' road', mode: 'insensitive' } },
      include: { neighborhood: true },
    });
    const neighborhood = row.neighborhood as NonNullable<typeof row.neighborhood>;
    expect([...row.facets].sort()).toEqual(
      [
        ...row.themes.map((t) => `theme:${t}`),
        'visible:public',
        `ward:${neighborhood.ward}`,
        `neighborhood:${neighborhood.id}`,
        ...(neighborhood.equityPriority ? ['equity:priority'] : []),
      ].sort(),
    );
    const ids = async (filter: Record<string, unknown>) =>
      (await page({ first: 100, filter: { search: 'road OR roads', ...filter } })).edges.map((e) => e.node.id);
    expect(await ids({ ward: neighborhood.ward })).toContain(row.id);

    await sg.prisma.concern.update({ where: { id: row.id }, data: { moderation: 'REJECTED' } });
    try {
      const hidden = await sg.prisma.concern.findUniqueOrThrow({ where: { id: row.id } });
      expect(hidden.facets).not.toContain('visible:public');
      expect(await ids({})).not.toContain(row.id);
    } finally {
      await sg.prisma.concern.update({ where: { id: row.id }, data: { moderation: 'ACCEPTED' } });
    }

    const otherWard = ((neighborhood.ward ?? 0) % 3) + 1;
    await sg.prisma.neighborhood.update({ where: { id: neighborhood.id }, data: { ward: otherWard } });
    try {
      const moved = await sg.prisma.concern.findUniqueOrThrow({ where: { id: row.id } });
      expect(moved.facets).toContain(`ward:${otherWard}`);
      expect(await ids({ ward: otherWard })).toContain(row.id);
      expect(await ids({ ward: neighborhood.ward })).not.toContain(row.id);
    } finally {
      await sg.prisma.neighborhood.update({ where: { id: neighborhood.id }, data: { ward: neighborhood.ward } });
    }
  });

  it('pages through a text search in both orders, forwards and backwards, as through every match', async () => {
    const search = 'park OR road OR safety OR housing OR school';
    const orders = {
      NEWEST: 'ORDER BY "createdAt" DESC, "id" DESC',
      MOST_SUPPORTED: 'ORDER BY "supportCount" DESC, "id" ASC',
    } as const;
    for (const [order, sql] of Object.entries(orders)) {
      const expected = (
        await sg.prisma.$queryRawUnsafe<{ id: string }[]>(
          `SELECT "id" FROM "Concern" WHERE "search" @@ websearch_to_tsquery('english', $1)
             AND "published" AND "moderation" = 'ACCEPTED' ${sql}`,
          search,
        )
      ).map((r) => r.id);
      expect(expected.length).toBeGreaterThan(20);
      const forward: string[] = [];
      let after: string | null = null;
      for (;;) {
        const p: Page['concerns'] = await page({ first: 7, after, filter: { search }, order });
        expect(p.totalCount).toBe(expected.length);
        forward.push(...p.edges.map((e) => e.node.id));
        if (!p.pageInfo.hasNextPage) break;
        after = p.pageInfo.endCursor;
      }
      expect(forward).toEqual(expected);
      interface Backward {
        concerns: { pageInfo: { hasPreviousPage: boolean; startCursor: string }; edges: { node: { id: string } }[] };
      }
      const backward: string[] = [];
      let before: string | null = null;
      for (;;) {
        const result: { data?: Backward | null; errors?: unknown } = await sg.execute<Backward>(
          `query ($before: String, $filter: ConcernFilter, $order: ConcernOrder) {
            concerns(last: 7, before: $before, filter: $filter, orderBy: $order) {
              pageInfo { hasPreviousPage startCursor } edges { node { id } }
            }
          }`,
          { before, filter: { search }, order },
        );
        expect(result.errors).toBeUndefined();
        const p: Backward['concerns'] | undefined = result.data?.concerns;
        backward.unshift(...(p?.edges.map((e) => e.node.id) ?? []));
        if (!p?.pageInfo.hasPreviousPage) break;
        before = p.pageInfo.startCursor;
      }
      expect(backward).toEqual(expected);
    }
  });
});

describe('conversations', () => {
  it('lists published conversations with filters and a total count', async () => {
    const result = await sg.execute<{
      all: {
        totalCount: number;
        edges: { node: { heldOn: string; languages: string[]; format: string; participantCount: number } }[];
      };
      ward1: { totalCount: number; edges: { node: { neighborhoods: { ward: number }[] } }[] };
      searched: { totalCount: number };
      polis: { totalCount: number };
    }>(`{
      all: conversations(first: 100) { totalCount edges { node { heldOn languages format participantCount } } }
      ward1: conversations(first: 100, filter: { ward: 1 }) { totalCount edges { node { neighborhoods { ward } } } }
      searched: conversations(filter: { search: "Hayti" }) { totalCount }
      polis: conversations(filter: { source: POLIS, heldFrom: "2018-02-01T00:00:00Z", heldTo: "2018-03-01T00:00:00Z" }) { totalCount }
    }`);
    expect(result.errors).toBeUndefined();
    // The demo's 11 published Durham conversations and the Bowling Green Polis export (the 12th Durham one is a draft).
    expect(result.data?.all.totalCount).toBe(12);
    const held = result.data?.all.edges.map((e) => e.node.heldOn) ?? [];
    expect(held).toEqual([...held].sort().reverse());
    // The latest: the online survey of February 2026.
    expect(result.data?.all.edges[0]?.node).toMatchObject({ languages: ['en', 'es'], format: 'ONLINE' });
    expect(result.data?.ward1.edges.every((e) => e.node.neighborhoods.some((n) => n.ward === 1))).toBe(true);
    const inWard1 = await sg.prisma.conversation.count({
      where: { status: 'PUBLISHED', neighborhoods: { some: { neighborhood: { ward: 1 } } } },
    });
    expect(result.data?.ward1.totalCount).toBe(inWard1);
    expect(inWard1).toBeGreaterThan(0);
    expect(inWard1).toBeLessThan(12);
    expect(result.data?.searched.totalCount).toBe(1); // the Hayti listening session
    expect(result.data?.polis.totalCount).toBe(1); // Bowling Green's, held in February 2018
    const staffView = await sg.execute<{ conversations: { totalCount: number } }>(
      '{ conversations(filter: { status: DRAFT }) { totalCount } }',
      {},
      staff,
    );
    expect(staffView.data?.conversations.totalCount).toBe(1);
  });
});

describe('neighborhoods and citywide concerns', () => {
  it('lists neighborhoods by ward with equity indicators, filtered', async () => {
    const result = await sg.execute<{
      all: { name: string; ward: number | null; povertyRate: number | null; medianHouseholdIncome: number | null }[];
      priority: { equityPriority: boolean; name: string }[];
    }>(
      '{ all: neighborhoods { name ward povertyRate medianHouseholdIncome } priority: neighborhoods(equityPriority: true) { name equityPriority } }',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.all).toHaveLength(237);
    const wards = result.data?.all.map((n) => n.ward) ?? [];
    expect(wards).toEqual([...wards].sort());
    // The three published neighborhoods without census members have no figures: null, never zero.
    const withoutData = ['Bradford', 'Briarcliff', 'Pleasant Green Woods'];
    const [missing, present] = [
      result.data?.all.filter((n) => withoutData.includes(n.name)) ?? [],
      result.data?.all.filter((n) => !withoutData.includes(n.name)) ?? [],
    ];
    expect(missing.map((n) => [n.povertyRate, n.medianHouseholdIncome])).toEqual(withoutData.map(() => [null, null]));
    expect(present).toHaveLength(234);
    expect(present.every((n) => (n.povertyRate ?? 0) > 0)).toBe(true);
    // Duke East Campus is dormitories: the Compass publishes no household income for it.
    expect(present.filter((n) => n.medianHouseholdIncome === null).map((n) => n.name)).toEqual(['Duke East Campus']);
    expect(present.every((n) => n.medianHouseholdIncome === null || n.medianHouseholdIncome > 0)).toBe(true);
    expect(result.data?.priority.map((n) => n.name)).toContain('Southside / St. Teresa');
    expect(result.data?.priority.map((n) => n.name)).not.toContain('Forest Hills');
  });

  it('lists citywide concerns with their visible concerns', async () => {
    const [a, b] = await sg.prisma.concern.findMany({ where: visible, take: 2 });
    const hidden = await sg.prisma.concern.findFirstOrThrow({ where: { moderation: 'REJECTED' } });
    await sg.prisma.citywideConcern.create({
      data: {
        title: 'Walkable streets',
        themes: ['TRANSPORTATION'],
        createdBy: 's',
        concerns: { connect: [{ id: a?.id }, { id: b?.id }, { id: hidden.id }] },
      },
    });
    const result = await sg.execute<{
      citywideConcerns: { title: string; themes: string[]; concernCount: number; supportCount: number }[];
    }>('{ citywideConcerns { title themes concernCount supportCount } }');
    expect(result.data?.citywideConcerns.find((c) => c.title === 'Walkable streets')).toEqual({
      title: 'Walkable streets',
      themes: ['TRANSPORTATION'],
      concernCount: 2,
      supportCount: (a?.supportCount ?? 0) + (b?.supportCount ?? 0),
    });
  });
});

describe('single records and references', () => {
  it('returns a neighborhood and a citywide concern by id, and resolves Neighborhood references in one query', async () => {
    const hayti = NEIGHBORHOODS.find((n) => n.slug === 'southside-st-teresa');
    const citywide = await sg.prisma.citywideConcern.findFirstOrThrow({ where: { title: { contains: 'Sidewalks' } } });
    const result = await sg.execute<{
      neighborhood: { name: string; ward: number; equityPriority: boolean };
      citywideConcern: { title: string; concerns: { summary: string }[] };
    }>(
      'query ($n: ID!, $c: ID!) { neighborhood(id: $n) { name ward equityPriority } citywideConcern(id: $c) { title concerns { summary } } }',
      { n: hayti?.id, c: citywide.id },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.neighborhood).toEqual({ name: 'Southside / St. Teresa', ward: 1, equityPriority: true });
    const legacy = await sg.execute<{ neighborhood: { name: string } }>(
      'query ($n: ID!) { neighborhood(id: $n) { name } }',
      { n: legacyHaytiId },
    );
    expect(legacy.data?.neighborhood).toEqual({ name: 'Southside / St. Teresa' });
    expect(result.data?.citywideConcern.concerns.length).toBeGreaterThan(0);
    // Sidewalks, in English and Spanish ("banquetas").
    expect(result.data?.citywideConcern.concerns.every((c) => /sidewalk|banqueta/i.test(c.summary))).toBe(true);
    sg.sql.reset();
    const refs = await sg.execute<{ _entities: { name: string }[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Neighborhood { name } } }',
      { r: NEIGHBORHOODS.map((n) => ({ __typename: 'Neighborhood', id: n.id })) },
    );
    expect(refs.data?._entities.map((n) => n.name)).toEqual(NEIGHBORHOODS.map((n) => n.name));
    expect(sg.sql.statements).toHaveLength(1);
  });
});

describe('equityGapReport', () => {
  it('counts published concerns without alignments by neighborhood and theme, equity-priority areas first', async () => {
    type Gap = {
      neighborhood: { id: string; equityPriority: boolean } | null;
      theme: string | null;
      equityPriority: boolean;
      unalignedConcerns: number;
      supportCount: number;
    };
    const run = async (ward?: number) => {
      const result = await sg.execute<{ equityGapReport: Gap[] }>(
        'query ($w: Int) { equityGapReport(ward: $w) { neighborhood { id equityPriority } theme equityPriority unalignedConcerns supportCount } }',
        { w: ward ?? null },
      );
      expect(result.errors).toBeUndefined();
      return result.data?.equityGapReport ?? [];
    };
    const rows = await run();
    const flags = rows.map((r) => r.equityPriority);
    expect(flags).toEqual([...flags].sort((x, y) => Number(y) - Number(x)));
    // Rows without a neighborhood (city-wide concerns) are never priority areas.
    expect(rows.every((r) => (r.neighborhood?.equityPriority ?? false) === r.equityPriority)).toBe(true);
    expect(rows.some((r) => r.neighborhood === null)).toBe(true);
    // The demo's caseworker aligned some concerns: the report counts the others.
    const visibleRows = await sg.prisma.concern.findMany({ where: { ...visible, alignments: { none: {} } } });
    const expected = visibleRows.reduce((sum, c) => sum + Math.max(c.themes.length, 1), 0);
    expect(rows.reduce((sum, r) => sum + r.unalignedConcerns, 0)).toBe(expected);

    const target = visibleRows.find((c) => c.neighborhoodId && c.themes.includes('TRANSPORTATION')) ?? visibleRows[0];
    const cell = (list: Gap[]) =>
      list.find((r) => r.neighborhood?.id === target?.neighborhoodId && r.theme === 'TRANSPORTATION')
        ?.unalignedConcerns ?? 0;
    const beforeCell = cell(rows);
    const aligned = await sg.execute(
      'mutation ($id: ID!) { alignConcern(input: { concernId: $id, initiativeId: "i-1", rationale: "Road work" }) { id } }',
      { id: target?.id },
      staff,
    );
    expect(aligned.errors).toBeUndefined();
    expect(cell(await run())).toBe(beforeCell - 1);

    // The demo's conversations are in wards 1 and 3 (their published neighborhoods' largest parts).
    const ward3 = await run(3);
    expect(ward3.length).toBeGreaterThan(0);
    const ward3Ids = new Set(NEIGHBORHOODS.filter((n) => n.ward === 3).map((n) => n.id));
    expect(ward3.every((r) => r.neighborhood && ward3Ids.has(r.neighborhood.id))).toBe(true);
  });
});
describe('equityGapReport neighborhoods', () => {
  it('reads a boundary only when a row’s neighborhood is asked for it, and then answers it', async () => {
    type Row = { neighborhood: { id: string; boundary?: { type: string } | null } | null };
    const report = async (fields: string) => {
      sg.sql.reset();
      const result = await sg.execute<{ equityGapReport: Row[] }>(`{ equityGapReport { neighborhood { ${fields} } } }`);
      expect(result.errors).toBeUndefined();
      const neighborhoodRead = sg.sql.statements.find((s) => /FROM "public"\."Neighborhood"/.test(s)) ?? '';
      return { rows: result.data?.equityGapReport ?? [], neighborhoodRead };
    };
    const plain = await report('id');
    expect(plain.neighborhoodRead).not.toMatch(/"boundary"/);
    const mapped = await report('id ... on Neighborhood { boundary }');
    expect(mapped.neighborhoodRead).toMatch(/"boundary"/);
    const stored = await sg.prisma.neighborhood.findMany({ select: { id: true, boundary: true } });
    const boundaries = new Map(stored.map((n) => [n.id, n.boundary]));
    const placed = mapped.rows.filter((r) => r.neighborhood);
    expect(placed.length).toBeGreaterThan(0);
    for (const row of placed) {
      expect(row.neighborhood?.boundary?.type ?? null).toBe(
        (boundaries.get(row.neighborhood?.id ?? '') as { type?: string } | null)?.type ?? null,
      );
    }
    expect(placed.some((r) => r.neighborhood?.boundary?.type === 'MultiPolygon')).toBe(true);
  });
});

describe('neighborhoods read through the loaders', () => {
  const neighborhoodReads = () => sg.sql.statements.filter((s) => /FROM "public"\."Neighborhood"/.test(s));
  const heavy = (statement: string) => /"(boundary|indicators)"/.test(statement);

  it('read neither heavy column for a concern, a conversation or a reference that asks for none, and each one asked for', async () => {
    const concern = await sg.prisma.concern.findFirstOrThrow({
      where: { ...visible, neighborhoodId: { not: null } },
      select: { id: true, neighborhoodId: true, conversationId: true },
    });
    sg.sql.reset();
    const plain = await sg.execute<{ concern: { ward: number; neighborhood: { name: string } } }>(
      'query ($id: ID!) { concern(id: $id) { ward neighborhood { name equityPriority } conversation { neighborhoods { name } } } }',
      { id: concern.id },
    );
    expect(plain.errors).toBeUndefined();
    expect(neighborhoodReads().length).toBeGreaterThan(0);
    expect(neighborhoodReads().some(heavy)).toBe(false);

    const stored = await sg.prisma.neighborhood.findUniqueOrThrow({ where: { id: concern.neighborhoodId as string } });
    sg.sql.reset();
    const full = await sg.execute<{
      concern: {
        neighborhood: {
          boundary: { type: string } | null;
          indicators: { key: string }[];
          equityPriorityReasons: unknown[];
        };
      };
    }>(
      'query ($id: ID!) { concern(id: $id) { neighborhood { boundary indicators { key } equityPriorityReasons { conditions { indicator } } } } }',
      { id: concern.id },
    );
    expect(full.errors).toBeUndefined();
    expect(full.data?.concern.neighborhood.boundary?.type).toBe((stored.boundary as { type: string }).type);
    expect(full.data?.concern.neighborhood.indicators.map((i) => i.key).sort()).toEqual(
      Object.keys(stored.indicators as object).sort(),
    );
    expect(neighborhoodReads().every(heavy)).toBe(true);

    sg.sql.reset();
    const refs = await sg.execute<{ _entities: { name: string; indicators: { key: string }[] }[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Neighborhood { name indicators { key } } } }',
      { r: [{ __typename: 'Neighborhood', id: stored.id }] },
    );
    expect(refs.errors).toBeUndefined();
    expect(refs.data?._entities[0]?.indicators.length).toBe(Object.keys(stored.indicators as object).length);
    expect(neighborhoodReads()).toHaveLength(1);
    expect(neighborhoodReads()[0]).toMatch(/"indicators"/);
    expect(neighborhoodReads()[0]).not.toMatch(/"boundary"/);
  });
});

describe('equityGapReport service coverage', () => {
  it('references the resources subgraph’s coverage of each row’s neighborhood and theme (null without either)', async () => {
    type Row = {
      neighborhood: { id: string } | null;
      theme: string | null;
      serviceCoverage: { id: string } | null;
    };
    sg.sql.reset();
    const result = await sg.execute<{ equityGapReport: Row[] }>(
      '{ equityGapReport { neighborhood { id } theme serviceCoverage { id } } }',
    );
    expect(result.errors).toBeUndefined();
    const rows = result.data?.equityGapReport ?? [];
    expect(rows.some((r) => r.serviceCoverage !== null)).toBe(true);
    for (const row of rows) {
      expect(row.serviceCoverage).toEqual(
        row.neighborhood && row.theme ? { id: `${row.neighborhood.id}:${row.theme}` } : null,
      );
    }
    // The references cost engagement nothing: still the report's 2 statements.
    expect(sg.sql.statements.length).toBe(2);
  });
});

describe('equityGapReport and the concern list', () => {
  type Row = { neighborhood: { id: string } | null; theme: string | null; unalignedConcerns: number };
  const WORD = 'zephyrgapprobe';

  async function searched(filter: Record<string, unknown>, caller = staff): Promise<string[]> {
    const result = await sg.execute<Page>(PAGE, { first: 100, filter: { search: WORD, ...filter } }, caller);
    expect(result.errors, JSON.stringify(filter)).toBeUndefined();
    const list = result.data?.concerns as Page['concerns'];
    expect(list.totalCount, JSON.stringify(filter)).toBe(list.edges.length);
    return list.edges.map((e) => e.node.id).sort();
  }

  it('lists each row’s concerns with its count, the citywide and untagged rows too, in lists, counts and searches', async () => {
    const { neighborhoodId } = await sg.prisma.concern.findFirstOrThrow({
      where: { ...visible, neighborhoodId: { not: null }, themes: { has: 'HOUSING' } },
    });
    const made = async (name: string, data: { neighborhoodId?: string; themes: string[]; published: boolean }) =>
      (await sg.prisma.concern.create({ data: { summary: `${WORD} ${name}`, moderation: 'ACCEPTED', ...data } })).id;
    const here = neighborhoodId as string;
    const citywideUntagged = await made('citywide untagged', { themes: [], published: true });
    const citywideHousing = await made('citywide housing', { themes: ['HOUSING'], published: true });
    const untaggedHere = await made('untagged here', { neighborhoodId: here, themes: [], published: true });
    // Rows written before themes were always set hold NULL; the report counts them as untagged.
    await sg.prisma.$executeRaw`UPDATE "Concern" SET "themes" = NULL WHERE "id" = ${untaggedHere}`;
    const hiddenHere = await made('unpublished housing', {
      neighborhoodId: here,
      themes: ['HOUSING'],
      published: false,
    });
    const hiddenCitywide = await made('unpublished citywide', { themes: [], published: false });

    const report = await sg.execute<{ equityGapReport: Row[] }>(
      '{ equityGapReport { neighborhood { id } theme unalignedConcerns } }',
    );
    expect(report.errors).toBeUndefined();
    const rows = report.data?.equityGapReport ?? [];
    expect(rows.some((r) => !r.neighborhood && !r.theme)).toBe(true);
    expect(rows.some((r) => !r.neighborhood && r.theme === 'HOUSING')).toBe(true);
    expect(rows.some((r) => r.neighborhood?.id === here && !r.theme)).toBe(true);
    const rowFilter = (r: Row) => ({
      aligned: false,
      ...(r.neighborhood ? { neighborhoodId: r.neighborhood.id } : { withoutNeighborhood: true }),
      ...(r.theme ? { themes: [r.theme] } : { withoutTheme: true }),
    });
    // Every row's count in one request: staff name the public conditions, everyone else has them anyway.
    const counts = async (extra: Record<string, unknown>, caller = staff) => {
      const fields = rows.map((_, i) => `r${i}: concerns(filter: $f${i}) { totalCount }`).join(' ');
      const params = rows.map((_, i) => `$f${i}: ConcernFilter`).join(', ');
      const variables = Object.fromEntries(rows.map((r, i) => [`f${i}`, { ...rowFilter(r), ...extra }]));
      const result = await sg.execute<Record<string, { totalCount: number }>>(
        `query (${params}) { ${fields} }`,
        variables,
        caller,
      );
      expect(result.errors).toBeUndefined();
      return rows.map((_, i) => result.data?.[`r${i}`]?.totalCount);
    };
    const reported = rows.map((r) => r.unalignedConcerns);
    expect(await counts({ moderation: 'ACCEPTED', published: true })).toEqual(reported);
    expect(await counts({}, publicCaller)).toEqual(reported);
    // Without `published`, staff also count the accepted concerns of unpublished conversations.
    const staffAll = await counts({ moderation: 'ACCEPTED' });
    const index = (n: string | null, theme: string | null) =>
      rows.findIndex((r) => (r.neighborhood?.id ?? null) === n && r.theme === theme);
    expect(staffAll[index(here, 'HOUSING')]).toBe((reported[index(here, 'HOUSING')] as number) + 1);
    expect(staffAll[index(null, null)]).toBe((reported[index(null, null)] as number) + 1);

    // A search that is the whole filter (one statement) and one narrowed by another condition.
    const sorted = (...ids: string[]) => [...ids].sort();
    expect(await searched({ withoutNeighborhood: true, withoutTheme: true, published: true })).toEqual([
      citywideUntagged,
    ]);
    expect(await searched({ withoutNeighborhood: true, withoutTheme: false })).toEqual([citywideHousing]);
    expect(await searched({ withoutNeighborhood: false, published: false })).toEqual([hiddenHere]);
    expect(await searched({ withoutTheme: true, published: false })).toEqual([hiddenCitywide]);
    expect(await searched({ withoutTheme: true, aligned: false, published: true })).toEqual(
      sorted(citywideUntagged, untaggedHere),
    );
    expect(await searched({ withoutTheme: true }, publicCaller)).toEqual(sorted(citywideUntagged, untaggedHere));
    expect(await searched({ published: false }, publicCaller)).toEqual([]);
    expect(await searched({ published: false, aligned: false }, publicCaller)).toEqual([]);
  });
});

describe('conversationStats', () => {
  it('counts published conversations by the month they were held', async () => {
    const result = await sg.execute<{
      all: { month: string; published: number }[];
      range: { month: string; published: number }[];
    }>(
      '{ all: conversationStats { month published } range: conversationStats(from: "2018-01", to: "2018-04") { month published } }',
    );
    expect(result.errors).toBeUndefined();
    // Every month from the first published conversation (Bowling Green's Polis, February 2018) to the
    // last (the online survey, February 2026), with the months of the 11 published Durham ones.
    const held = new Set([
      '2018-02',
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
      '2025-09',
      '2025-10',
      '2025-11',
      '2026-01',
      '2026-02',
    ]);
    const months: string[] = [];
    for (let i = 2018 * 12 + 1; i <= 2026 * 12 + 1; i++) {
      months.push(`${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
    }
    expect(result.data?.all).toEqual(months.map((month) => ({ month, published: held.has(month) ? 1 : 0 })));
    expect(result.data?.range).toEqual([
      { month: '2018-01', published: 0 },
      { month: '2018-02', published: 1 },
      { month: '2018-03', published: 0 },
      { month: '2018-04', published: 0 },
    ]);
  });

  it('refuses malformed or reversed months', async () => {
    expect(errorCode(await sg.execute('{ conversationStats(from: "2018-13") { month } }'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await sg.execute('{ conversationStats(from: "last year") { month } }'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await sg.execute('{ conversationStats(from: "2019-01", to: "2018-01") { month } }'))).toBe(
      'BAD_USER_INPUT',
    );
  });
});

describe('accountabilityReport', () => {
  type Figures = {
    grouping: string;
    neighborhood: { id: string } | null;
    equityPriority: boolean | null;
    language: string | null;
    concerns: number;
    answered: number;
    addressed: number;
    medianDaysToFirstResponse: number | null;
    medianDaysToAddressed: number | null;
    concernsDueWithin30Days: number;
    answeredWithin30Days: number;
    shareAnsweredWithin30Days: number | null;
  };
  const FIGURES = `grouping neighborhood { id } equityPriority language concerns answered addressed
    medianDaysToFirstResponse medianDaysToAddressed concernsDueWithin30Days answeredWithin30Days shareAnsweredWithin30Days`;
  const REPORT = `{ accountabilityReport {
    citywide { ${FIGURES} } byNeighborhood { ${FIGURES} } byEquityPriority { ${FIGURES} } byLanguage { ${FIGURES} }
  } }`;
  type Report = Record<'citywide', Figures> & Record<'byNeighborhood' | 'byEquityPriority' | 'byLanguage', Figures[]>;
  const DAY = 86_400_000;
  const heldOn = new Date('2020-03-02T00:00:00.000Z');
  const at = (days: number) => new Date(heldOn.getTime() + days * DAY);

  async function report(): Promise<Report> {
    const result = await sg.execute<{ accountabilityReport: Report }>(REPORT, {}, publicCaller);
    expect(result.errors).toBeUndefined();
    return result.data?.accountabilityReport as Report;
  }

  it('gives exact medians and the 30-day share for concerns with known hearing and response times, public ones only', async () => {
    const place = await sg.prisma.neighborhood.findFirstOrThrow({ where: { concerns: { none: {} } } });
    const conversation = await sg.prisma.conversation.create({
      data: {
        title: 'Accountability figures test',
        heldOn,
        languages: ['fr', 'de'],
        format: 'IN_PERSON',
        status: 'PUBLISHED',
        publishedAt: heldOn,
        createdBy: 'test',
      },
    });
    const concern = (summary: string, language: string, published = true) =>
      sg.prisma.concern.create({
        data: {
          summary,
          language,
          themes: ['HOUSING'],
          published,
          moderation: published ? 'ACCEPTED' : 'PENDING',
          neighborhoodId: place.id,
          conversationId: conversation.id,
        },
      });
    const [a, b, c, d, e, hidden] = await Promise.all([
      concern('Answered after 10 days, addressed after 40', 'fr'),
      concern('Answered after 20 days, addressed after 60', 'fr'),
      concern('Answered after 35 days', 'fr'),
      concern('Never answered', 'fr'),
      concern('Nie beantwortet', 'de'),
      concern('Not published: answered after a day, never counted', 'fr', false),
    ]);
    const step = (
      concernId: string,
      fromStatus: 'NEW' | 'UNDER_REVIEW' | 'IN_PROGRESS' | null,
      toStatus: string,
      days: number,
    ) => ({
      concernId,
      fromStatus,
      toStatus: toStatus as 'NEW',
      publicNote: toStatus === 'NEW' ? null : `Step to ${toStatus}`,
      changedBy: 'staff-alice',
      changedAt: at(days),
    });
    await sg.prisma.concernStatusChange.createMany({
      data: [
        ...[a, b, c, d, e, hidden].map((x) => step(x.id, null, 'NEW', 0)),
        step(a.id, 'NEW', 'UNDER_REVIEW', 10),
        step(a.id, 'IN_PROGRESS', 'ADDRESSED', 40),
        step(b.id, 'NEW', 'UNDER_REVIEW', 20),
        step(b.id, 'UNDER_REVIEW', 'NEW', 21),
        step(b.id, 'IN_PROGRESS', 'ADDRESSED', 60),
        step(c.id, 'NEW', 'UNDER_REVIEW', 35),
        step(hidden.id, 'NEW', 'UNDER_REVIEW', 1),
      ],
    });

    const figures = await report();
    const french = figures.byLanguage.find((r) => r.language === 'fr');
    expect(french).toEqual({
      grouping: 'LANGUAGE',
      neighborhood: null,
      equityPriority: null,
      language: 'fr',
      concerns: 4,
      answered: 3,
      addressed: 2,
      medianDaysToFirstResponse: 20,
      medianDaysToAddressed: 50,
      concernsDueWithin30Days: 4,
      answeredWithin30Days: 2,
      shareAnsweredWithin30Days: 0.5,
    });
    // Nothing to measure is null, never 0.
    expect(figures.byLanguage.find((r) => r.language === 'de')).toMatchObject({
      concerns: 1,
      answered: 0,
      medianDaysToFirstResponse: null,
      medianDaysToAddressed: null,
      shareAnsweredWithin30Days: 0,
    });
    expect(figures.byNeighborhood.find((r) => r.neighborhood?.id === place.id)).toMatchObject({
      grouping: 'NEIGHBORHOOD',
      concerns: 5,
      answered: 3,
      addressed: 2,
      medianDaysToFirstResponse: 20,
      medianDaysToAddressed: 50,
      concernsDueWithin30Days: 5,
      answeredWithin30Days: 2,
      shareAnsweredWithin30Days: 0.4,
    });
  });

  it('matches an independent computation over every published concern, citywide and by equity priority', async () => {
    const rows = await sg.prisma.concern.findMany({
      where: visible,
      include: { conversation: true, neighborhood: true, statusHistory: true },
    });
    const now = Date.now();
    const median = (values: number[]) => {
      if (values.length === 0) return null;
      const sorted = [...values].sort((x, y) => x - y);
      const mid = Math.floor(sorted.length / 2);
      return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
    };
    const expected = (concerns: typeof rows) => {
      const timed = concerns.map((c) => {
        const heard = (c.conversation?.heldOn ?? c.createdAt).getTime();
        const first = c.statusHistory.filter((s) => s.toStatus !== 'NEW').map((s) => s.changedAt.getTime());
        const done = c.statusHistory.filter((s) => s.toStatus === 'ADDRESSED').map((s) => s.changedAt.getTime());
        const days = (t: number[]) => (t.length ? Math.max(0, (Math.min(...t) - heard) / DAY) : null);
        return { due: heard <= now - 30 * DAY, response: days(first), addressed: days(done) };
      });
      const due = timed.filter((x) => x.due);
      const inTime = due.filter((x) => x.response !== null && x.response <= 30).length;
      return {
        concerns: concerns.length,
        answered: timed.filter((x) => x.response !== null).length,
        addressed: timed.filter((x) => x.addressed !== null).length,
        medianDaysToFirstResponse: median(timed.flatMap((x) => (x.response === null ? [] : [x.response]))),
        medianDaysToAddressed: median(timed.flatMap((x) => (x.addressed === null ? [] : [x.addressed]))),
        concernsDueWithin30Days: due.length,
        answeredWithin30Days: inTime,
        shareAnsweredWithin30Days: due.length ? inTime / due.length : null,
      };
    };
    const close = (actual: Figures | undefined, wanted: ReturnType<typeof expected>) => {
      expect(actual).toBeDefined();
      const { medianDaysToFirstResponse, medianDaysToAddressed, shareAnsweredWithin30Days, ...counts } = wanted;
      expect(actual).toMatchObject(counts);
      for (const [name, value] of Object.entries({
        medianDaysToFirstResponse,
        medianDaysToAddressed,
        shareAnsweredWithin30Days,
      })) {
        const got = actual?.[name as keyof Figures] as number | null;
        if (value === null) expect(got, name).toBeNull();
        else expect(got, name).toBeCloseTo(value, 6);
      }
    };
    sg.sql.reset();
    const figures = await report();
    // One grouped query, then the neighborhoods in one batch.
    expect(sg.sql.statements).toHaveLength(2);
    expect(figures.citywide.grouping).toBe('CITYWIDE');
    expect(figures.citywide.concerns).toBeGreaterThan(100);
    close(figures.citywide, expected(rows));
    const priority = rows.filter((c) => c.neighborhood?.equityPriority === true);
    expect(priority.length).toBeGreaterThan(0);
    expect(figures.byEquityPriority.map((r) => r.equityPriority)).toEqual([true, false]);
    close(figures.byEquityPriority[0], expected(priority));
    close(figures.byEquityPriority[1], expected(rows.filter((c) => c.neighborhood?.equityPriority !== true)));
    const citywideConcerns = rows.filter((c) => c.neighborhoodId === null);
    const noneRow = figures.byNeighborhood.find((r) => r.neighborhood === null);
    if (citywideConcerns.length) close(noneRow, expected(citywideConcerns));
    else expect(noneRow).toBeUndefined();
    expect(figures.byNeighborhood.reduce((sum, r) => sum + r.concerns, 0)).toBe(rows.length);
    expect(figures.byLanguage.reduce((sum, r) => sum + r.concerns, 0)).toBe(rows.length);
  });
});
