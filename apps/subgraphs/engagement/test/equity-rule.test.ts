import { createLogger } from '@civic/server-kit/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshReferenceNeighborhoods } from '../src/seed/reference.ts';
import { admin, type Engagement, errorCode, publicCaller, staff, startEngagement, tableCounts } from './helpers.ts';

let sg: Engagement;
beforeAll(async () => {
  sg = await startEngagement();
});
afterAll(async () => {
  await sg?.stop();
});

const SET = `mutation ($input: EquityPriorityRuleInput!) {
  setEquityPriorityRule(input: $input) { version changedBy isDefault priorityAreas clauses { key conditions { indicator comparison threshold } } }
}`;

const GAPS = '{ equityGapReport { neighborhood { id } theme equityPriority unalignedConcerns } }';

interface GapRow {
  neighborhood: { id: string } | null;
  equityPriority: boolean;
}

async function priorityGapNeighborhoods(): Promise<string[]> {
  const result = await sg.execute<{ equityGapReport: GapRow[] }>(GAPS);
  expect(result.errors).toBeUndefined();
  return [
    ...new Set(result.data?.equityGapReport.filter((r) => r.equityPriority).map((r) => r.neighborhood?.id ?? '')),
  ].sort();
}

/** The filter's total and first page must agree with the concerns expected (read independently). */
async function expectFilter(filter: Record<string, unknown>, expected: string[]): Promise<string[]> {
  const result = await sg.execute<{ concerns: { totalCount: number; edges: { node: { id: string } }[] } }>(
    'query ($f: ConcernFilter) { concerns(filter: $f, first: 100) { totalCount edges { node { id } } } }',
    { f: filter },
  );
  expect(result.errors).toBeUndefined();
  const ids = (result.data?.concerns.edges ?? []).map((e) => e.node.id);
  if (!filter.search) expect(result.data?.concerns.totalCount).toBe(expected.length);
  const allowed = new Set(expected);
  for (const id of ids) expect(allowed.has(id)).toBe(true);
  return ids;
}

/** What the filter must return: public concerns whose neighborhood has these figures, read independently. */
async function expectedConcernIds(
  priority: (n: { id: string; sviOverall: number | null }) => boolean,
): Promise<string[]> {
  const neighborhoods = await sg.prisma.neighborhood.findMany({ select: { id: true, sviOverall: true } });
  const ids = neighborhoods.filter(priority).map((n) => n.id);
  const concerns = await sg.prisma.concern.findMany({
    where: { published: true, moderation: 'ACCEPTED', neighborhoodId: { in: ids } },
    select: { id: true },
  });
  return concerns.map((c) => c.id).sort();
}

describe('the equity-priority rule', () => {
  it('is the documented default until an administrator sets one, and says why each area is a priority', async () => {
    const result = await sg.execute<{
      equityPriorityRule: { version: number; isDefault: boolean; changedBy: null; priorityAreas: number };
      neighborhoods: {
        name: string;
        equityPriority: boolean;
        equityPriorityReasons: {
          clause: string;
          conditions: { indicator: string; value: number; threshold: number; vintage: string; source: string }[];
        }[];
      }[];
    }>(`{
      equityPriorityRule { version isDefault changedBy priorityAreas clauses { key conditions { indicator comparison threshold unit } } }
      neighborhoods { name equityPriority equityPriorityReasons { clause conditions { indicator comparison threshold value year vintage source } } }
    }`);
    expect(result.errors).toBeUndefined();
    const rule = result.data?.equityPriorityRule;
    expect(rule).toMatchObject({ version: 0, isDefault: true, changedBy: null });
    const neighborhoods = result.data?.neighborhoods ?? [];
    const priority = neighborhoods.filter((n) => n.equityPriority);
    expect(priority.length).toBe(rule?.priorityAreas);
    expect(priority.length).toBeGreaterThan(0);
    for (const n of neighborhoods) expect(n.equityPriorityReasons.length > 0).toBe(n.equityPriority);
    const svi = priority.flatMap((n) => n.equityPriorityReasons).find((r) => r.clause === 'SVI_OVERALL');
    expect(svi?.conditions[0]).toMatchObject({ indicator: 'sviOverall', threshold: 0.7 });
    expect(svi?.conditions[0]?.value).toBeGreaterThanOrEqual(0.7);
    expect(svi?.conditions[0]?.vintage).toBeTruthy();
    expect(svi?.conditions[0]?.source).toMatch(/SVI|CDC/);
  });

  it('refuses invalid rules with BAD_USER_INPUT and non-administrators with FORBIDDEN, storing nothing', async () => {
    const before = await tableCounts(sg);
    const flags = await sg.prisma.neighborhood.findMany({ select: { id: true, equityPriority: true } });
    const valid = {
      clauses: [{ key: 'SVI', conditions: [{ indicator: 'sviOverall', comparison: 'AT_LEAST', threshold: 0.9 }] }],
    };
    expect(errorCode(await sg.execute(SET, { input: valid }, staff))).toBe('FORBIDDEN');
    expect(errorCode(await sg.execute(SET, { input: valid }, publicCaller))).toBe('FORBIDDEN');
    const invalid: [unknown, string][] = [
      [{ clauses: [] }, 'input.clauses'],
      [
        { clauses: [{ key: 'A', conditions: [{ indicator: 'shoeSize', comparison: 'AT_LEAST', threshold: 1 }] }] },
        'input.clauses.0.conditions.0.indicator',
      ],
      [
        { clauses: [{ key: 'A', conditions: [{ indicator: 'povertyRate', comparison: 'AT_LEAST', threshold: 25 }] }] },
        'input.clauses.0.conditions.0.threshold',
      ],
      [
        {
          clauses: [
            { key: 'A', conditions: [{ indicator: 'medianHouseholdIncome', comparison: 'AT_MOST', threshold: -1 }] },
          ],
        },
        'input.clauses.0.conditions.0.threshold',
      ],
      [{ clauses: [{ key: 'A', conditions: [] }] }, 'input.clauses.0.conditions'],
      [{ clauses: [valid.clauses[0], valid.clauses[0]] }, 'input.clauses.1.key'],
      [{ clauses: [{ ...valid.clauses[0], key: 'not a key' }] }, 'input.clauses.0.key'],
    ];
    for (const [input, field] of invalid) {
      const result = await sg.execute(SET, { input }, admin);
      expect(errorCode(result)).toBe('BAD_USER_INPUT');
      const problems = result.errors?.[0]?.extensions?.problems as { field: string }[];
      expect(problems.map((p) => p.field)).toContain(field);
    }
    expect(await tableCounts(sg)).toEqual(before);
    expect(await sg.prisma.equityPriorityRule.count()).toBe(0);
    expect(await sg.prisma.neighborhood.findMany({ select: { id: true, equityPriority: true } })).toEqual(flags);
  });

  it('recomputes the flags, the gap report and the concern filters when an administrator changes it', async () => {
    const defaultGaps = await priorityGapNeighborhoods();
    const isDefaultPriority = (await sg.prisma.neighborhood.findMany({ where: { equityPriority: true } })).map(
      (n) => n.id,
    );
    const defaultExpected = await expectedConcernIds((n) => isDefaultPriority.includes(n.id));
    await expectFilter({ equityPriority: true }, defaultExpected);

    const strict = {
      clauses: [
        { key: 'SVI_VERY_HIGH', conditions: [{ indicator: 'sviOverall', comparison: 'AT_LEAST', threshold: 0.9 }] },
      ],
      note: 'Pilot: the most vulnerable tracts first',
    };
    const set = await sg.execute<{
      setEquityPriorityRule: { version: number; changedBy: string; priorityAreas: number; isDefault: boolean };
    }>(SET, { input: strict }, admin);
    expect(set.errors).toBeUndefined();
    expect(set.data?.setEquityPriorityRule).toMatchObject({ version: 1, changedBy: 'admin-ann', isDefault: false });

    const veryHigh = (n: { sviOverall: number | null }) => n.sviOverall != null && n.sviOverall >= 0.9;
    const stored = await sg.prisma.neighborhood.findMany({
      select: { id: true, sviOverall: true, equityPriority: true },
    });
    for (const n of stored) expect(n.equityPriority).toBe(veryHigh(n));
    expect(set.data?.setEquityPriorityRule.priorityAreas).toBe(stored.filter(veryHigh).length);

    const strictGaps = await priorityGapNeighborhoods();
    expect(strictGaps).not.toEqual(defaultGaps);
    const expectedStrict = stored.filter(veryHigh).map((n) => n.id);
    for (const id of strictGaps) expect(expectedStrict).toContain(id);

    const expected = await expectedConcernIds(veryHigh);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).not.toBe(defaultExpected.length);
    await expectFilter({ equityPriority: true }, expected);

    // A text search narrowed by the filter reads the concerns' facets, which the trigger moved along.
    const sample = await sg.prisma.concern.findFirst({ where: { id: { in: expected } }, select: { summary: true } });
    const word = (sample?.summary.match(/[A-Za-z]{6,}/) ?? [])[0] as string;
    const searched = await expectFilter({ equityPriority: true, search: word }, expected);
    expect(searched.length).toBeGreaterThan(0);
    const facets = await sg.prisma.concern.findMany({ where: { id: { in: expected } }, select: { facets: true } });
    for (const f of facets) expect(f.facets).toContain('equity:priority');

    // New published figures are judged by the stored rule, not the default (the reload recomputes in its transaction).
    await sg.db.sql.query(`DELETE FROM "_civic_meta" WHERE key = 'reference_neighborhoods_version'`);
    await sg.prisma.neighborhood.updateMany({ data: { equityPriority: false } });
    await refreshReferenceNeighborhoods(sg.db.sql, createLogger('engagement-test', 'error'));
    const reloaded = await sg.prisma.neighborhood.findMany({
      select: { id: true, sviOverall: true, equityPriority: true },
    });
    for (const n of reloaded) expect(n.equityPriority).toBe(veryHigh(n));
    await expectFilter({ equityPriority: true }, expected);

    const why = await sg.execute<{ neighborhoods: { equityPriorityReasons: { clause: string }[] }[] }>(
      '{ neighborhoods(equityPriority: true) { equityPriorityReasons { clause } } }',
    );
    expect(why.data?.neighborhoods.length).toBe(expectedStrict.length);
    for (const n of why.data?.neighborhoods ?? [])
      expect(n.equityPriorityReasons).toEqual([{ clause: 'SVI_VERY_HIGH' }]);

    const audit = await sg.prisma.auditEntry.findFirst({ where: { action: 'SET_EQUITY_PRIORITY_RULE' } });
    expect(audit).toMatchObject({ entity: 'EquityPriorityRule', entityId: '1', actorSubject: 'admin-ann' });

    // Back to the default values: a second version; the history keeps both.
    const back = await sg.execute<{ setEquityPriorityRule: { version: number; isDefault: boolean } }>(
      `mutation { setEquityPriorityRule(input: { clauses: [
        { key: "SVI_OVERALL", conditions: [{ indicator: "sviOverall", comparison: AT_LEAST, threshold: 0.7 }] },
        { key: "POVERTY_AND_PEOPLE_OF_COLOR", conditions: [
          { indicator: "povertyRate", comparison: AT_LEAST, threshold: 0.25 },
          { indicator: "peopleOfColorShare", comparison: AT_LEAST, threshold: 0.6 } ] } ] }) { version isDefault } }`,
      {},
      admin,
    );
    expect(back.data?.setEquityPriorityRule).toEqual({ version: 2, isDefault: true });
    expect(await priorityGapNeighborhoods()).toEqual(defaultGaps);
    const history = await sg.execute<{ equityPriorityRule: { history: { version: number; note: string | null }[] } }>(
      '{ equityPriorityRule { history { version note } } }',
    );
    expect(history.data?.equityPriorityRule.history).toEqual([
      { version: 2, note: null },
      { version: 1, note: strict.note },
    ]);
  });
});

describe('the neighborhoods list reads only what is asked', () => {
  it('names only: one statement without boundaries or indicator series', async () => {
    sg.sql.reset();
    const names = await sg.execute<{ neighborhoods: { name: string }[] }>('{ neighborhoods { id name nameEs } }');
    expect(names.errors).toBeUndefined();
    expect(names.data?.neighborhoods.length).toBeGreaterThan(200);
    expect(sg.sql.statements).toHaveLength(1);
    expect(sg.sql.statements[0]).not.toMatch(/"boundary"|"indicators"/);

    sg.sql.reset();
    const maps = await sg.execute('{ neighborhoods { id boundary } }');
    expect(maps.errors).toBeUndefined();
    expect(sg.sql.statements).toHaveLength(1);
    expect(sg.sql.statements[0]).toMatch(/"boundary"/);
    expect(sg.sql.statements[0]).not.toMatch(/"indicators"/);
  });
});
