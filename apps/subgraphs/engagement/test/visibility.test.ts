import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicConcern, PUBLIC_CONCERN, PUBLIC_FACET, publicConcernSql } from '../src/domain/visibility.ts';
import { admin, type Engagement, partner, publicCaller, staff, startEngagement } from './helpers.ts';

// One concern in every state the visibility rule reads: each path must show the same ones.
const MODERATIONS = ['PENDING', 'ACCEPTED', 'REJECTED'] as const;
const PUBLISHED = [true, false] as const;
const WORD = 'quixoticvisibilityprobe';

let sg: Engagement;
let conversationId: string;
let citywideId: string;
const concerns: { id: string; published: boolean; moderation: string }[] = [];

beforeAll(async () => {
  sg = await startEngagement(false);
  const conversation = await sg.prisma.conversation.create({
    data: {
      title: 'Visibility states',
      heldOn: new Date('2026-01-15T00:00:00Z'),
      format: 'IN_PERSON',
      status: 'PUBLISHED',
      publishedAt: new Date('2026-01-16T00:00:00Z'),
      createdBy: 'staff-alice',
    },
  });
  conversationId = conversation.id;
  citywideId = (await sg.prisma.citywideConcern.create({ data: { title: 'Visibility group', createdBy: 's' } })).id;
  for (const moderation of MODERATIONS) {
    for (const published of PUBLISHED) {
      const concern = await sg.prisma.concern.create({
        data: {
          summary: `${WORD} ${moderation.toLowerCase()} ${published ? 'published' : 'unpublished'}`,
          themes: ['HOUSING'],
          moderation,
          published,
          conversationId,
          citywideConcernId: citywideId,
        },
      });
      concerns.push({ id: concern.id, published, moderation });
      await sg.prisma.alignment.create({
        data: { concernId: concern.id, initiativeId: 'init-visibility', rationale: 'r', alignedBy: 's' },
      });
    }
  }
});
afterAll(async () => {
  await sg?.stop();
});

const sorted = (ids: (string | undefined)[]) => ids.filter((id): id is string => Boolean(id)).sort();
const idsOf = (nodes: ({ id: string } | null)[] | undefined) => sorted((nodes ?? []).map((n) => n?.id));

type Page = { totalCount: number; edges: { node: { id: string } }[] };

async function listed(caller: typeof staff, filter: Record<string, unknown>) {
  const result = await sg.execute<{ concerns: Page }>(
    'query ($f: ConcernFilter) { concerns(filter: $f, first: 100) { totalCount edges { node { id } } } }',
    { f: filter },
    caller,
  );
  expect(result.errors).toBeUndefined();
  const counted = await sg.execute<{ concerns: { totalCount: number } }>(
    'query ($f: ConcernFilter) { concerns(filter: $f) { totalCount } }',
    { f: filter },
    caller,
  );
  expect(counted.errors).toBeUndefined();
  const page = result.data?.concerns;
  return {
    ids: idsOf(page?.edges.map((e) => e.node)),
    totalCount: page?.totalCount,
    countOnly: counted.data?.concerns.totalCount,
  };
}

describe('the rule in SQL and in the facets trigger', () => {
  it('selects in SQL exactly the concerns the Prisma filter selects', async () => {
    const ids = concerns.map((c) => c.id);
    const bySql = await sg.prisma.$queryRaw<{ id: string }[]>`
      SELECT c."id" FROM "Concern" c WHERE c."id" = ANY(${ids}::text[]) AND ${publicConcernSql('c')}`;
    const byPrisma = await sg.prisma.concern.findMany({ where: { id: { in: ids }, ...PUBLIC_CONCERN } });
    expect(sorted(bySql.map((r) => r.id))).toEqual(sorted(byPrisma.map((r) => r.id)));
    expect(sorted(byPrisma.map((r) => r.id))).toEqual(sorted(concerns.filter(isPublicConcern).map((c) => c.id)));
  });

  it(`gives ${PUBLIC_FACET} to exactly the concerns the rule calls public`, async () => {
    const rows = await sg.prisma.concern.findMany({
      where: { id: { in: concerns.map((c) => c.id) } },
      select: { id: true, published: true, moderation: true, facets: true },
    });
    expect(rows).toHaveLength(MODERATIONS.length * PUBLISHED.length);
    for (const row of rows) expect(row.facets.includes(PUBLIC_FACET), row.id).toBe(isPublicConcern(row));
  });
});

const callers = [
  ['PUBLIC', publicCaller, false],
  ['PARTNER', partner, false],
  ['STAFF', staff, true],
  ['ADMIN', admin, true],
] as const;

describe.each(callers)('a %s caller', (_role, caller, seesAll) => {
  const expected = () =>
    sorted(concerns.filter((c) => seesAll || (c.published && c.moderation === 'ACCEPTED')).map((c) => c.id));

  it('is shown the same concerns by the list, every search path, the counts and the facets', async () => {
    const want = expected();
    expect(want.length).toBe(seesAll ? 6 : 1);
    // The plain list (Prisma filter), a search that is the whole filter (one statement over the
    // facets index), and a search narrowed by another condition (ids first, then the Prisma filter).
    for (const filter of [{ conversationId }, { search: WORD }, { search: WORD, conversationId }]) {
      const { ids, totalCount, countOnly } = await listed(caller, filter);
      expect(ids, JSON.stringify(filter)).toEqual(want);
      expect(totalCount, JSON.stringify(filter)).toBe(want.length);
      expect(countOnly, JSON.stringify(filter)).toBe(want.length);
    }
  });

  it('is narrowed by `published` on every list path, never past the rule', async () => {
    for (const published of PUBLISHED) {
      const want = sorted(
        concerns
          .filter((c) => c.published === published && (seesAll || (c.published && c.moderation === 'ACCEPTED')))
          .map((c) => c.id),
      );
      expect(want.length).toBe(seesAll ? 3 : Number(published));
      for (const filter of [{ conversationId }, { search: WORD }, { search: WORD, conversationId }]) {
        const { ids, totalCount, countOnly } = await listed(caller, { ...filter, published });
        expect(ids, JSON.stringify({ ...filter, published })).toEqual(want);
        expect(totalCount).toBe(want.length);
        expect(countOnly).toBe(want.length);
      }
    }
  });

  it('is shown the same concerns through _entities, by id, and on conversations, groups and initiatives', async () => {
    const want = expected();
    const entities = await sg.execute<{ _entities: ({ id: string } | null)[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Concern { id } } }',
      { r: concerns.map((c) => ({ __typename: 'Concern', id: c.id })) },
      caller,
    );
    expect(entities.errors).toBeUndefined();
    expect(idsOf(entities.data?._entities)).toEqual(want);

    const byId: string[] = [];
    for (const { id } of concerns) {
      const one = await sg.execute<{ concern: { id: string } | null }>(
        'query ($id: ID!) { concern(id: $id) { id } }',
        { id },
        caller,
      );
      if (one.data?.concern) byId.push(one.data.concern.id);
    }
    expect(sorted(byId)).toEqual(want);

    const related = await sg.execute<{
      conversation: { concerns: { id: string }[] } | null;
      citywideConcern: { concerns: { id: string }[]; concernCount: number } | null;
      _entities: ({ concerns: { id: string }[] } | null)[];
    }>(
      `query ($c: ID!, $g: ID!, $r: [_Any!]!) {
        conversation(id: $c) { concerns { id } }
        citywideConcern(id: $g) { concerns { id } concernCount }
        _entities(representations: $r) { ... on Initiative { concerns { id } } }
      }`,
      { c: conversationId, g: citywideId, r: [{ __typename: 'Initiative', id: 'init-visibility' }] },
      caller,
    );
    expect(related.errors).toBeUndefined();
    expect(idsOf(related.data?.conversation?.concerns)).toEqual(want);
    expect(idsOf(related.data?.citywideConcern?.concerns)).toEqual(want);
    expect(related.data?.citywideConcern?.concernCount).toBe(want.length);
    expect(idsOf(related.data?._entities[0]?.concerns)).toEqual(want);
  });
});
