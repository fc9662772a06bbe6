import { startTestSubgraph, type TestSubgraph } from '@civic/test-stack/subgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InitiativesPrisma } from '../src/db.ts';
import { initiativesSubgraph } from '../src/subgraph.ts';
import { COMMS, POLICE } from './helpers.ts';

let subgraph: TestSubgraph<InitiativesPrisma>;
beforeAll(async () => {
  subgraph = await startTestSubgraph(initiativesSubgraph);
});
afterAll(async () => {
  await subgraph?.stop();
});

/** Two goals, each with one objective, and `count` initiatives with two measures of three observations each. */
async function plan(count: number) {
  const prisma = subgraph.prisma;
  await prisma.initiative.deleteMany();
  await prisma.objective.deleteMany();
  await prisma.goal.deleteMany();
  for (const number of [1, 2]) {
    const goal = await prisma.goal.create({ data: { number, title: `Goal ${number}` } });
    const objective = await prisma.objective.create({ data: { code: `${number}.1`, goalId: goal.id } });
    for (let i = 0; i < count / 2; i++) {
      await prisma.initiative.create({
        data: {
          code: `${number}.1${i}`,
          title: `Initiative ${number}.1${i}`,
          goalId: goal.id,
          objectiveId: objective.id,
          status: 'IN_PROGRESS',
          leadDepartmentId: COMMS,
          partnerDepartmentIds: [POLICE],
          themes: ['HOUSING'],
          statusHistory: { create: [{ status: 'IN_PROGRESS', note: 'started', changedBy: 'test' }] },
          measures: {
            create: [0, 1].map((position) => ({
              position,
              name: `Measure ${position}`,
              valueType: 'COUNT' as const,
              direction: 'UP_IS_BETTER' as const,
              observations: { create: ['2024-01', '2024-02', '2024-03'].map((period, v) => ({ period, value: v })) },
            })),
          },
        },
      });
    }
  }
}

const TREE = `{
  goals { number statusSummary { total inProgress }
    objectives { code initiatives {
      code status themes leadDepartment { id } partnerDepartments { id } statusHistory { status note }
      measures { name target trend latest { period value } observations { period value } }
    } }
  }
  initiatives(theme: HOUSING) { code measures { trend latest { value } } }
  statusSummary { total }
}`;

async function statementsFor(count: number): Promise<number> {
  await plan(count);
  subgraph.sql.reset();
  const result = await subgraph.execute<{ initiatives: unknown[] }>(TREE);
  expect(result.errors).toBeUndefined();
  expect(result.data?.initiatives).toHaveLength(count);
  return subgraph.sql.statements.length;
}

describe('SQL per request', () => {
  it('the plan tree with measures, latest and trend costs the same at 2 and at 20 initiatives', async () => {
    const few = await statementsFor(2);
    const many = await statementsFor(20);
    expect(many).toBe(few);
  });
});

/** The web dashboard's shape (PlanDashboard_Plan): plan text in a language, the key measure's latest value and series. */
const DASHBOARD = (language: string) => `{
  goals { id number content(language: "${language}") { field text } }
  initiatives {
    id code content(language: "${language}") { field text machineTranslated }
    objective { id code content(language: "${language}") { text } }
    measures(first: 1) { id content(language: "${language}") { field text } latest { id period value } observations { id period value } }
  }
}`;

describe('SQL of the dashboard', () => {
  it('reads no translations for the original language, and the series once for latest and observations', async () => {
    await plan(20);
    subgraph.sql.reset();
    const result = await subgraph.execute<{
      initiatives: { measures: { latest: unknown; observations: unknown[] }[] }[];
    }>(DASHBOARD('en'));
    expect(result.errors).toBeUndefined();
    const first = result.data?.initiatives[0]?.measures[0];
    expect(first?.observations).toHaveLength(3);
    expect(first?.latest).toEqual(expect.objectContaining({ period: '2024-03', value: 2 }));
    const statements = subgraph.sql.statements.map(String);
    expect(statements.filter((s) => s.includes('"ContentTranslation"'))).toEqual([]);
    expect(statements.filter((s) => /FROM "(public"\.")?Observation"/.test(s))).toHaveLength(1);
    // Spanish asks for the stored versions: in as few statements at 20 initiatives as at 2.
    subgraph.sql.reset();
    expect((await subgraph.execute(DASHBOARD('es'))).errors).toBeUndefined();
    const spanish = subgraph.sql.statements.length;
    await plan(2);
    subgraph.sql.reset();
    expect((await subgraph.execute(DASHBOARD('es'))).errors).toBeUndefined();
    expect(subgraph.sql.statements.length).toBe(spanish);
  });
});
