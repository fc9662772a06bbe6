import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engagement, publicCaller, staff, startEngagement } from './helpers.ts';

let sg: Engagement;
let concernIds: string[];
// The most supported concerns carry every relation, so that small and large pages touch the same tables.
beforeAll(async () => {
  sg = await startEngagement();
  concernIds = (
    await sg.prisma.concern.findMany({
      where: { moderation: 'ACCEPTED', published: true },
      take: 40,
      orderBy: [{ supportCount: 'desc' }, { id: 'asc' }],
    })
  ).map((c) => c.id);
  await sg.prisma.alignment.createMany({
    data: concernIds.flatMap((concernId, i) => [
      { concernId, initiativeId: `init-${i % 20}`, rationale: 'r', alignedBy: 's' },
      { concernId, serviceId: `svc-${i % 20}`, rationale: 'r', alignedBy: 's' },
    ]),
  });
  const citywide = await sg.prisma.citywideConcern.create({ data: { title: 'Grouped', createdBy: 's' } });
  await sg.prisma.concern.updateMany({
    where: { id: { in: concernIds.slice(0, 10) } },
    data: { citywideConcernId: citywide.id },
  });
});
afterAll(async () => {
  await sg?.stop();
});

/** SQL statements one operation sends. */
async function statementsFor(
  query: string,
  variables: Record<string, unknown>,
  identity = publicCaller,
): Promise<number> {
  sg.sql.reset();
  const result = await sg.execute(query, variables, identity);
  expect(result.errors).toBeUndefined();
  return sg.sql.statements.length;
}

const CONCERN_FIELDS = `id summary themes ward neighborhoodId neighborhood { name equityPriority }
  conversation { title neighborhoods { name } } statusHistory { toStatus publicNote }
  alignments { rationale initiative { id } resource { id } } initiatives { id } resources { id }
  citywideConcern { title }`;

describe('a constant number of SQL statements, whatever the size', () => {
  it('_entities for concerns: one query for the references, one per nested relation', async () => {
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Concern { ${CONCERN_FIELDS} } } }`;
    const reps = (ids: string[]) => ({ r: ids.map((id) => ({ __typename: 'Concern', id })) });
    const bare = await statementsFor(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Concern { id summary } } }',
      reps(concernIds),
    );
    expect(bare).toBe(1);
    const few = await statementsFor(query, reps(concernIds.slice(0, 2)));
    const many = await statementsFor(query, reps(concernIds));
    expect(many).toBe(few);
  });

  it('_entities for initiatives and services with their concerns', async () => {
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) {
      ... on Initiative { concerns { id neighborhood { name } } } ... on Service { concerns { id ward } } } }`;
    const reps = (n: number) => ({
      r: Array.from({ length: n }, (_, i) => [
        { __typename: 'Initiative', id: `init-${i}` },
        { __typename: 'Service', id: `svc-${i}` },
      ]).flat(),
    });
    const few = await statementsFor(query, reps(1));
    const many = await statementsFor(query, reps(20));
    expect(many).toBe(few);
  });

  it('the concerns list with nested fields', async () => {
    const query = `query ($n: Int!) { concerns(first: $n, orderBy: MOST_SUPPORTED) { totalCount edges { node { ${CONCERN_FIELDS} } } } }`;
    const few = await statementsFor(query, { n: 2 });
    const many = await statementsFor(query, { n: 100 });
    expect(many).toBe(few);
    const searched = `query ($n: Int!) { concerns(first: $n, filter: { search: "road OR traffic", ward: 1 }) { totalCount edges { node { ${CONCERN_FIELDS} } } } }`;
    // Full-text search adds its one id query; pages of other concerns may touch fewer relations, never more.
    expect(await statementsFor(searched, { n: 100 })).toBeLessThanOrEqual(many + 1);
    expect(await statementsFor(searched, { n: 2 })).toBeLessThanOrEqual(many + 1);
  });

  it('a count alone is one COUNT query, without loading the page', async () => {
    expect(await statementsFor('{ concerns { totalCount } }', {})).toBe(1);
    expect(await statementsFor('{ conversations { totalCount } }', {})).toBe(1);
  });

  it('the conversations list with neighborhoods and concerns (staff: drafts too)', async () => {
    const query = `query ($n: Int!) { conversations(first: $n) { totalCount edges { node {
      title neighborhoods { name } concerns { id neighborhood { name } statusHistory { toStatus } } } } } }`;
    const few = await statementsFor(query, { n: 1 }, staff);
    const many = await statementsFor(query, { n: 12 }, staff);
    expect(many).toBe(few);
  });

  it('citywide concerns, neighborhoods and wards', async () => {
    expect(
      await statementsFor('{ citywideConcerns { title concernCount supportCount concerns { id ward } } }', {}),
    ).toBeLessThanOrEqual(3);
    expect(
      await statementsFor('{ wards { number neighborhoods { name } } neighborhoods { name } }', {}),
    ).toBeLessThanOrEqual(3);
  });
});
