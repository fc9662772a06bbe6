import { identities, startTestSubgraph, type TestSubgraph } from '@civic/test-stack/subgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InitiativesPrisma } from '../src/db.ts';
import { initiativesSubgraph } from '../src/subgraph.ts';

let subgraph: TestSubgraph<InitiativesPrisma>;
beforeAll(async () => {
  subgraph = await startTestSubgraph(initiativesSubgraph, { seed: true });
});
afterAll(async () => {
  await subgraph?.stop();
});

describe('the strategic plan', () => {
  it('is seeded from the published plan: five goals and their initiatives', async () => {
    const result = await subgraph.execute<{ goals: { number: number; initiatives: { code: string }[] }[] }>(
      '{ goals { number initiatives { code } } }',
      {},
      identities.public,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.goals.map((g) => g.number)).toEqual([1, 2, 3, 4, 5]);
    expect(result.data?.goals[2]?.initiatives.map((i) => i.code)).toContain('3.13');
  });

  it('resolves initiative references in one query, whatever their number', async () => {
    const rows = await subgraph.prisma.initiative.findMany({ select: { id: true }, take: 20 });
    const query = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Initiative { code } } }';
    subgraph.sql.reset();
    const few = await subgraph.execute(query, {
      r: rows.slice(0, 2).map((r) => ({ __typename: 'Initiative', id: r.id })),
    });
    const fewQueries = subgraph.sql.statements.length;
    subgraph.sql.reset();
    const many = await subgraph.execute(query, { r: rows.map((r) => ({ __typename: 'Initiative', id: r.id })) });
    expect(few.errors).toBeUndefined();
    expect(many.errors).toBeUndefined();
    expect(subgraph.sql.statements.length).toBe(fewQueries);
    expect(fewQueries).toBe(1);
  });
});
