import { stableId } from '@civic/reference-data/stable-id';
import { identities, startTestSubgraph, type TestSubgraph } from '@civic/test-stack/subgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InitiativesPrisma } from '../src/db.ts';
import { initiativesSubgraph } from '../src/subgraph.ts';
import { COMMS, errorCode, type Loose, ok } from './helpers.ts';

let subgraph: TestSubgraph<InitiativesPrisma>;
beforeAll(async () => {
  subgraph = await startTestSubgraph(initiativesSubgraph, { seed: true });
});
afterAll(async () => {
  await subgraph?.stop();
});

interface TreeGoal {
  number: number;
  title: string;
  objectives: { code: string; title: string | null; initiatives: { code: string }[] }[];
}

describe('the strategic plan', () => {
  it('is seeded from the published plan: goals → objectives → initiatives', async () => {
    const data = ok(
      await subgraph.execute<{ goals: TreeGoal[] }>(
        '{ goals { number title objectives { code title initiatives { code } } } }',
        {},
        identities.public,
      ),
    );
    expect(data.goals.map((g) => g.number)).toEqual([1, 2, 3, 4, 5]);
    expect(data.goals[2]?.title).toBe('Connected, Engaged, and Inclusive Communities');
    const objective31 = data.goals[2]?.objectives.find((o) => o.code === '3.1');
    expect(objective31?.title).toBe('Elevate Community Voices in Local Government and Decision Making');
    expect(objective31?.initiatives.map((i) => i.code)).toEqual(['3.11', '3.12', '3.13']);
    // Objective titles the plan pages did not publish stay null rather than invented.
    expect(data.goals[2]?.objectives.find((o) => o.code === '3.2')?.title).toBeNull();
    const all = data.goals.flatMap((g) => g.objectives.flatMap((o) => o.initiatives.map((i) => i.code)));
    expect(all).toHaveLength(26);
  });

  it('measures(first:) keeps the key measure alone (the dashboard asks for one per initiative); 0–20 only', async () => {
    const query = '{ initiatives { code all: measures { id } key: measures(first: 1) { id } } }';
    const { initiatives } = ok(
      await subgraph.execute<{ initiatives: { code: string; all: { id: string }[]; key: { id: string }[] }[] }>(
        query,
        {},
        identities.public,
      ),
    );
    expect(initiatives.some((i) => i.all.length > 1)).toBe(true);
    for (const i of initiatives) expect(i.key, i.code).toEqual(i.all.slice(0, 1));
    const tooMany = await subgraph.execute<Loose>(
      '{ initiatives { measures(first: 21) { id } } }',
      {},
      identities.public,
    );
    expect(errorCode(tooMany)).toBe('BAD_USER_INPUT');
  });

  it('keeps the published source references, narratives and measure series of 3.13', async () => {
    const data = ok(
      await subgraph.execute<{ initiative: Record<string, Loose> }>(
        `{ initiative(code: "3.13") {
            code title status sourceUrl otherSourceUrls whyItMatters whatWeHaveBeenDoing whatsNext
            startDate targetDate themes leadDepartment { id } partnerDepartments { id }
            relatedFacts { label value period sourceUrl }
            objective { code } goal { number }
            measures { name unit direction frequency automaticSource trend
              latest { period value }
              observations { period value label sourceUrl } }
        } }`,
      ),
    );
    const i = data.initiative;
    expect(i.sourceUrl).toBe(
      'https://durham.clearpointstrategy.com/connected-engaged-inclusive-communities/develop-tools-to-support-information-sharing-between-the-city-and-communities/',
    );
    expect(i.status).toBeNull();
    expect(i.whatsNext).toMatch(/Match the concerns/);
    expect(i.objective.code).toBe('3.1');
    expect(i.goal.number).toBe(3);
    expect(i.leadDepartment).toEqual({ id: COMMS });
    expect(i.startDate).toBe('2023-07-01');
    expect(i.targetDate).toBe('2026-06-30');
    expect(i.relatedFacts[0]).toMatchObject({ value: 39, period: '2023-11' });
    const measure = i.measures[0];
    expect(measure).toMatchObject({
      name: 'Community Conversations Uploaded',
      automaticSource: 'ENGAGEMENT_PUBLISHED_CONVERSATIONS',
      frequency: 'MONTHLY',
      direction: 'UP_IS_BETTER',
      latest: { period: '2023-12', value: 0 },
      trend: 'WORSENING',
    });
    expect(measure.observations.map((o: { period: string; value: number }) => [o.period, o.value])).toEqual([
      ['2023-07', 1],
      ['2023-08', 9],
      ['2023-09', 2],
      ['2023-10', 1],
      ['2023-11', 3],
      ['2023-12', 0],
    ]);
    expect(measure.observations.every((o: { sourceUrl: string }) => o.sourceUrl.startsWith('https://'))).toBe(true);
  });

  it('keeps the one published status (2.21) with its history and null everywhere else', async () => {
    const data = ok(
      await subgraph.execute<{ initiatives: { code: string; status: string | null; statusHistory: unknown[] }[] }>(
        '{ initiatives { code status statusHistory { status note } } }',
      ),
    );
    const withStatus = data.initiatives.filter((i) => i.status !== null);
    expect(withStatus.map((i) => [i.code, i.status])).toEqual([['2.21', 'IN_PROGRESS']]);
    expect(withStatus[0]?.statusHistory).toHaveLength(1);
    expect(data.initiatives.filter((i) => i.statusHistory.length > 0)).toHaveLength(1);
  });

  it('summarises status per goal, as the dashboard does', async () => {
    const data = ok(
      await subgraph.execute<{ statusSummary: Record<string, Loose>[] }>(
        '{ statusSummary { goal { number } total inProgress onHold completeOngoing notPublished counts { status count } } }',
      ),
    );
    expect(data.statusSummary.map((s) => [s.goal.number, s.total])).toEqual([
      [1, 6],
      [2, 8],
      [3, 7],
      [4, 3],
      [5, 2],
    ]);
    expect(data.statusSummary[1]).toMatchObject({ inProgress: 1, onHold: 0, completeOngoing: 0, notPublished: 7 });
    const viaGoal = ok(await subgraph.execute<Loose>('{ goal(number: 2) { statusSummary { total inProgress } } }'));
    expect(viaGoal.goal.statusSummary).toEqual({ total: 8, inProgress: 1 });
    expect(errorCode(await subgraph.execute('{ statusSummary(goal: 9) { total } }'))).toBe('BAD_USER_INPUT');
  });

  it('gives seeded initiatives the stable ids other subgraphs use for the plan', async () => {
    const data = ok(await subgraph.execute<Loose>('{ initiative(code: "3.13") { id } }'));
    expect(data.initiative.id).toBe(stableId('initiative', '3.13'));
  });

  it('finds initiatives by id and by code; unknown codes are null', async () => {
    const byCode = ok(await subgraph.execute<Loose>('{ initiative(code: "2.21") { id code } }'));
    const byId = ok(
      await subgraph.execute<Loose>('query ($id: ID) { initiative(id: $id) { code } }', { id: byCode.initiative.id }),
    );
    expect(byId.initiative.code).toBe('2.21');
    expect(ok(await subgraph.execute<Loose>('{ initiative(code: "9.99") { id } }')).initiative).toBeNull();
    expect(errorCode(await subgraph.execute('{ initiative { id } }'))).toBe('BAD_USER_INPUT');
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

  it('resolves references with measures, latest and trend at a constant number of queries', async () => {
    const rows = await subgraph.prisma.initiative.findMany({
      select: { id: true },
      orderBy: { code: 'asc' },
      take: 20,
    });
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Initiative {
      code status leadDepartment { id } measures { name target trend latest { period value } } } } }`;
    const count = async (n: number) => {
      subgraph.sql.reset();
      const result = await subgraph.execute<Loose>(query, {
        r: rows.slice(0, n).map((r) => ({ __typename: 'Initiative', id: r.id })),
      });
      expect(result.errors).toBeUndefined();
      expect(result.data?._entities).toHaveLength(n);
      return subgraph.sql.statements.length;
    };
    const few = await count(2);
    expect(await count(20)).toBe(few);
  });
});
