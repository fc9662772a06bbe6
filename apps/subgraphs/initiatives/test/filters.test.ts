import { startTestSubgraph, type TestSubgraph } from '@civic/test-stack/subgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InitiativesPrisma } from '../src/db.ts';
import { initiativesSubgraph } from '../src/subgraph.ts';
import { COMMS, errorCode, type Loose, ok, POLICE } from './helpers.ts';

let subgraph: TestSubgraph<InitiativesPrisma>;
beforeAll(async () => {
  subgraph = await startTestSubgraph(initiativesSubgraph, { seed: true });
});
afterAll(async () => {
  await subgraph?.stop();
});

const QUERY = `query ($goal: Int, $objective: String, $status: InitiativeStatus, $statusPublished: Boolean,
  $department: ID, $theme: Theme) {
  initiatives(goal: $goal, objective: $objective, status: $status, statusPublished: $statusPublished,
    department: $department, theme: $theme) { code themes }
}`;

async function codes(variables: Record<string, unknown>): Promise<string[]> {
  const data = ok(await subgraph.execute<{ initiatives: { code: string }[] }>(QUERY, variables));
  return data.initiatives.map((i) => i.code);
}

describe('initiative filters', () => {
  it('by goal and objective', async () => {
    expect(await codes({ goal: 5 })).toEqual(['5.21', '5.22']);
    expect(await codes({ objective: '2.2' })).toEqual(['2.21', '2.22']);
    expect(await codes({ goal: 3, objective: '2.2' })).toEqual([]);
  });

  it('by status, and by whether a status is published', async () => {
    expect(await codes({ status: 'IN_PROGRESS' })).toEqual(['2.21']);
    expect(await codes({ status: 'ON_HOLD' })).toEqual([]);
    expect(await codes({ statusPublished: true })).toEqual(['2.21']);
    expect(await codes({ statusPublished: false })).toHaveLength(25);
  });

  it('by department: the lead, or a partner', async () => {
    expect(await codes({ department: COMMS })).toEqual(['3.11', '3.12', '3.13']);
    // Police leads objective 2.2 in the demo assignment.
    expect(await codes({ department: POLICE })).toEqual(['2.21', '2.22']);
    const partner = await subgraph.prisma.initiative.findMany({
      where: { partnerDepartmentIds: { isEmpty: false } },
      select: { code: true, partnerDepartmentIds: true },
    });
    const some = partner[0];
    if (!some) throw new Error('the demo seed has partner departments');
    expect(await codes({ department: some.partnerDepartmentIds[0] })).toContain(some.code);
  });

  it('by theme', async () => {
    const housing = await codes({ theme: 'HOUSING' });
    expect(housing).toEqual(expect.arrayContaining(['3.21', '3.22']));
    const data = ok(await subgraph.execute<Loose>(QUERY, { theme: 'HOUSING' }));
    for (const i of data.initiatives) expect(i.themes).toContain('HOUSING');
  });

  it('combined', async () => {
    expect(await codes({ goal: 2, department: POLICE, statusPublished: true })).toEqual(['2.21']);
  });

  it('rejects unknown goals, objectives, departments and themes with a coded error', async () => {
    expect(errorCode(await subgraph.execute(QUERY, { goal: 9 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await subgraph.execute(QUERY, { objective: '9.9' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await subgraph.execute(QUERY, { department: 'not-a-department' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await subgraph.execute(QUERY, { theme: 'NOT_A_THEME' }))).toBe('BAD_USER_INPUT');
    const result = await subgraph.execute(QUERY, { goal: 9, objective: '9.9' });
    expect(result.errors?.[0]?.extensions?.problems).toHaveLength(2);
  });
});
