import { identities, startTestSubgraph, type TestSubgraph } from '@civic/test-stack/subgraph';
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

const commsStaff = identities.staff(COMMS, 'ana');
const policeStaff = identities.staff(POLICE, 'pat');

const SET_STATUS = `mutation ($input: UpdateInitiativeStatusInput!) {
  updateInitiativeStatus(input: $input) { code status statusHistory { status note changedBy } }
}`;
const UPDATE = `mutation ($input: UpdateInitiativeInput!) {
  updateInitiative(input: $input) { whyItMatters whatWeHaveBeenDoing whatsNext themes startDate targetDate partnerDepartments { id } }
}`;
const CREATE_MEASURE = `mutation ($input: CreateMeasureInput!) {
  createMeasure(input: $input) { id name valueType direction target trend latest { value } }
}`;
const ADD = `mutation ($input: AddObservationInput!) {
  addObservation(input: $input) { id period segment value note }
}`;

const history = (code: string) => subgraph.prisma.initiativeStatusChange.count({ where: { initiative: { code } } });

describe('status updates', () => {
  it('lead-department staff set the status with a note; the history keeps every change', async () => {
    const first = ok(
      await subgraph.execute<Loose>(
        SET_STATUS,
        { input: { code: '3.13', status: 'IN_PROGRESS', note: 'Portal live; conversations being uploaded.' } },
        commsStaff,
      ),
    );
    expect(first.updateInitiativeStatus.status).toBe('IN_PROGRESS');
    const second = ok(
      await subgraph.execute<Loose>(
        SET_STATUS,
        { input: { code: '3.13', status: 'ON_HOLD', note: 'Paused during the budget review.' } },
        commsStaff,
      ),
    );
    expect(second.updateInitiativeStatus.statusHistory).toEqual([
      { status: 'ON_HOLD', note: 'Paused during the budget review.', changedBy: 'staff:ana' },
      { status: 'IN_PROGRESS', note: 'Portal live; conversations being uploaded.', changedBy: 'staff:ana' },
    ]);
    const seen = ok(
      await subgraph.execute<Loose>('{ initiative(code: "3.13") { status statusHistory { status changedBy } } }'),
    );
    expect(seen.initiative.status).toBe('ON_HOLD');
    // Who changed it is for staff; the public sees the change and its note.
    expect(seen.initiative.statusHistory.map((h: { changedBy: unknown }) => h.changedBy)).toEqual([null, null]);
  });

  it('an administrator may update any initiative, by id', async () => {
    const { id } = await subgraph.prisma.initiative.findUniqueOrThrow({ where: { code: '5.22' } });
    const data = ok(
      await subgraph.execute<Loose>(
        SET_STATUS,
        { input: { initiativeId: id, status: 'COMPLETE_ONGOING', note: 'Plan adopted.' } },
        identities.admin(),
      ),
    );
    expect(data.updateInitiativeStatus.status).toBe('COMPLETE_ONGOING');
  });

  it('other departments, partners and the public cannot; nothing is stored', async () => {
    const before = await history('3.11');
    const input = { code: '3.11', status: 'COMPLETE_ONGOING', note: 'not ours' };
    expect(errorCode(await subgraph.execute(SET_STATUS, { input }, policeStaff))).toBe('FORBIDDEN');
    expect(errorCode(await subgraph.execute(SET_STATUS, { input }, identities.partner(COMMS)))).toBe('FORBIDDEN');
    expect(errorCode(await subgraph.execute(SET_STATUS, { input }, identities.public))).toBe('UNAUTHENTICATED');
    expect(await history('3.11')).toBe(before);
    const row = await subgraph.prisma.initiative.findUniqueOrThrow({ where: { code: '3.11' } });
    expect(row.status).toBeNull();
  });

  it('rejects unknown codes, a missing reference and an empty note; nothing is stored', async () => {
    const unknown = await subgraph.execute(
      SET_STATUS,
      { input: { code: '9.99', status: 'ON_HOLD', note: 'x' } },
      identities.admin(),
    );
    expect(errorCode(unknown)).toBe('NOT_FOUND');
    const none = await subgraph.execute(SET_STATUS, { input: { status: 'ON_HOLD', note: 'x' } }, identities.admin());
    expect(errorCode(none)).toBe('BAD_USER_INPUT');
    const before = await history('3.12');
    const empty = await subgraph.execute(
      SET_STATUS,
      { input: { code: '3.12', status: 'ON_HOLD', note: '  ' } },
      commsStaff,
    );
    expect(errorCode(empty)).toBe('BAD_USER_INPUT');
    const badStatus = await subgraph.execute(
      SET_STATUS,
      { input: { code: '3.12', status: 'DONE', note: 'x' } },
      commsStaff,
    );
    expect(errorCode(badStatus)).toBe('BAD_USER_INPUT');
    expect(await history('3.12')).toBe(before);
  });

  it('tells the caller whether they may edit', async () => {
    const q = '{ initiative(code: "3.12") { viewerCanEdit } }';
    expect(ok(await subgraph.execute<Loose>(q, {}, commsStaff)).initiative.viewerCanEdit).toBe(true);
    expect(ok(await subgraph.execute<Loose>(q, {}, policeStaff)).initiative.viewerCanEdit).toBe(false);
    expect(ok(await subgraph.execute<Loose>(q, {}, identities.public)).initiative.viewerCanEdit).toBe(false);
  });
});

describe('narratives, themes, partners and dates', () => {
  it('lead staff update them; omitted fields stay, null clears', async () => {
    const data = ok(
      await subgraph.execute<Loose>(
        UPDATE,
        {
          input: {
            code: '3.12',
            whatWeHaveBeenDoing: 'Youth council seats filled.',
            whatsNext: 'Recruit for spring.',
            themes: ['YOUTH', 'CIVIC_ENGAGEMENT'],
            partnerDepartmentIds: [POLICE],
            targetDate: '2026-06-30',
          },
        },
        commsStaff,
      ),
    );
    expect(data.updateInitiative).toMatchObject({
      whatWeHaveBeenDoing: 'Youth council seats filled.',
      whatsNext: 'Recruit for spring.',
      themes: ['YOUTH', 'CIVIC_ENGAGEMENT'],
      partnerDepartments: [{ id: POLICE }],
      startDate: '2023-07-01',
    });
    expect(data.updateInitiative.whyItMatters).not.toBeNull();
    const cleared = ok(await subgraph.execute<Loose>(UPDATE, { input: { code: '3.12', whatsNext: null } }, commsStaff));
    expect(cleared.updateInitiative.whatsNext).toBeNull();
    expect(cleared.updateInitiative.whatWeHaveBeenDoing).toBe('Youth council seats filled.');
  });

  it('a partner department cannot edit what it does not lead', async () => {
    const result = await subgraph.execute(UPDATE, { input: { code: '3.12', whatsNext: 'ours now' } }, policeStaff);
    expect(errorCode(result)).toBe('FORBIDDEN');
  });

  it('rejects bad dates, unknown departments and themes; nothing is stored', async () => {
    const before = await subgraph.prisma.initiative.findUniqueOrThrow({ where: { code: '3.11' } });
    const cases = [
      { startDate: '2026-02-30' },
      { startDate: '2027-01-01' },
      { partnerDepartmentIds: ['nope'] },
      { partnerDepartmentIds: [COMMS] },
      { themes: ['NOT_A_THEME'] },
    ];
    for (const change of cases) {
      const result = await subgraph.execute(
        UPDATE,
        { input: { code: '3.11', whatsNext: 'changed', ...change } },
        commsStaff,
      );
      expect(errorCode(result), JSON.stringify(change)).toBe('BAD_USER_INPUT');
    }
    const after = await subgraph.prisma.initiative.findUniqueOrThrow({ where: { code: '3.11' } });
    expect(after).toEqual(before);
  });
});

describe('measures and observations', () => {
  it('lead staff add a measure and its observations; latest and trend follow', async () => {
    const created = ok(
      await subgraph.execute<Loose>(
        CREATE_MEASURE,
        {
          input: {
            code: '3.12',
            name: 'Youth council meetings',
            valueType: 'COUNT',
            direction: 'UP_IS_BETTER',
            target: 12,
          },
        },
        commsStaff,
      ),
    );
    const id = created.createMeasure.id;
    expect(created.createMeasure).toMatchObject({ trend: 'UNKNOWN', latest: null, target: 12 });
    for (const [period, value] of [
      ['2024-01', 3],
      ['2024-02', 5],
    ] as const) {
      ok(await subgraph.execute(ADD, { input: { measureId: id, period, value } }, commsStaff));
    }
    const q =
      'query ($id: ID!) { measure(id: $id) { trend latest { period value } observations(from: "2024-02") { period } } }';
    const data = ok(await subgraph.execute<Loose>(q, { id }));
    expect(data.measure).toEqual({
      trend: 'IMPROVING',
      latest: { period: '2024-02', value: 5 },
      observations: [{ period: '2024-02' }],
    });
    ok(await subgraph.execute(ADD, { input: { measureId: id, period: '2024-03', value: 5 } }, commsStaff));
    expect(ok(await subgraph.execute<Loose>(q, { id })).measure.trend).toBe('STEADY');
    ok(await subgraph.execute(ADD, { input: { measureId: id, period: '2024-04', value: 1 } }, commsStaff));
    expect(ok(await subgraph.execute<Loose>(q, { id })).measure.trend).toBe('WORSENING');
    // A breakdown of an existing period is allowed; it does not count as the latest of the series.
    const seg = ok(
      await subgraph.execute<Loose>(
        ADD,
        { input: { measureId: id, period: '2024-04', segment: 'Ward 1', value: 1 } },
        commsStaff,
      ),
    );
    expect(seg.addObservation.segment).toBe('Ward 1');
  });

  it('rejects a period that already exists (CONFLICT), bad periods and values of the wrong type; nothing is stored', async () => {
    const measure = await subgraph.prisma.measure.findFirstOrThrow({ where: { name: 'Youth council meetings' } });
    const count = () => subgraph.prisma.observation.count({ where: { measureId: measure.id } });
    const before = await count();
    const add = (input: Record<string, unknown>, who = commsStaff) =>
      subgraph.execute(ADD, { input: { measureId: measure.id, ...input } }, who);
    expect(errorCode(await add({ period: '2024-01', value: 9 }))).toBe('CONFLICT');
    expect(errorCode(await add({ period: '2024-13', value: 1 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await add({ period: 'January', value: 1 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await add({ period: '2024-03-01/2024-02-01', value: 1 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await add({ period: '2024-02-30/2024-03-01', value: 1 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await add({ value: 1 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await add({ period: '2024-05', value: 2.5 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await add({ period: '2024-05', value: -1 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await add({ period: '2024-05', value: 'five' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await add({ period: '2024-05', value: 5, sourceUrl: 'javascript:alert(1)' }))).toBe(
      'BAD_USER_INPUT',
    );
    expect(errorCode(await add({ period: '2024-05', value: 5 }, policeStaff))).toBe('FORBIDDEN');
    expect(errorCode(await add({ period: '2024-05', value: 5 }, identities.public))).toBe('UNAUTHENTICATED');
    expect(await count()).toBe(before);
    const unknown = await subgraph.execute(
      ADD,
      { input: { measureId: 'nope', period: '2024-05', value: 1 } },
      commsStaff,
    );
    expect(errorCode(unknown)).toBe('NOT_FOUND');
  });

  it('two simultaneous writes of one period: one is stored, the other is a CONFLICT', async () => {
    const measure = await subgraph.prisma.measure.findFirstOrThrow({ where: { name: 'Youth council meetings' } });
    const input = { measureId: measure.id, period: '2025-01', value: 4 };
    const results = await Promise.all([
      subgraph.execute(ADD, { input }, commsStaff),
      subgraph.execute(ADD, { input }, commsStaff),
    ]);
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.code)).toEqual(['CONFLICT']);
    expect(await subgraph.prisma.observation.count({ where: { measureId: measure.id, period: '2025-01' } })).toBe(1);
  });

  it('the database itself refuses malformed periods, undated values without a label and non-finite values', async () => {
    const measure = await subgraph.prisma.measure.findFirstOrThrow({ where: { name: 'Youth council meetings' } });
    const before = await subgraph.prisma.observation.count({ where: { measureId: measure.id } });
    const insert = (period: string | null, value: string, label: string | null = null) =>
      subgraph.db.sql.query(
        `insert into "Observation" (id, "measureId", period, label, value, "updatedAt")
         values (gen_random_uuid()::text, $1, $2, $3, $4::double precision, now())`,
        [measure.id, period, label, value],
      );
    await expect(insert('2024-13', '1')).rejects.toThrow(/Observation_period_format_check/);
    await expect(insert('2024-03-01/2024', '1')).rejects.toThrow(/Observation_period_format_check/);
    await expect(insert(null, '1')).rejects.toThrow(/Observation_period_or_label_check/);
    await expect(insert('2030-01', 'Infinity')).rejects.toThrow(/Observation_value_finite_check/);
    await expect(insert('2030-01', 'NaN')).rejects.toThrow(/Observation_value_finite_check/);
    expect(await subgraph.prisma.observation.count({ where: { measureId: measure.id } })).toBe(before);
  });

  it('checks percentages and undated observations', async () => {
    const created = ok(
      await subgraph.execute<Loose>(
        CREATE_MEASURE,
        { input: { code: '3.11', name: 'Share attending', valueType: 'PERCENT' } },
        commsStaff,
      ),
    );
    const id = created.createMeasure.id;
    expect(
      errorCode(await subgraph.execute(ADD, { input: { measureId: id, period: '2024', value: 120 } }, commsStaff)),
    ).toBe('BAD_USER_INPUT');
    const undated = ok(
      await subgraph.execute<Loose>(
        ADD,
        { input: { measureId: id, label: 'July (year not stated)', value: 45 } },
        commsStaff,
      ),
    );
    expect(undated.addObservation.period).toBeNull();
    const target = await subgraph.execute(
      CREATE_MEASURE,
      { input: { code: '3.11', name: 'x', valueType: 'PERCENT', target: 150 } },
      commsStaff,
    );
    expect(errorCode(target)).toBe('BAD_USER_INPUT');
  });

  it('updates and deletes measures for the lead department only', async () => {
    const measure = await subgraph.prisma.measure.findFirstOrThrow({ where: { name: 'Share attending' } });
    const UPDATE_MEASURE =
      'mutation ($input: UpdateMeasureInput!) { updateMeasure(input: $input) { name target valueType } }';
    const updated = ok(
      await subgraph.execute<Loose>(UPDATE_MEASURE, { input: { id: measure.id, target: 60 } }, commsStaff),
    );
    expect(updated.updateMeasure).toEqual({ name: 'Share attending', target: 60, valueType: 'PERCENT' });
    // 50.5 does not fit COUNT, so the narrower type is refused.
    ok(await subgraph.execute(ADD, { input: { measureId: measure.id, period: '2024', value: 50.5 } }, commsStaff));
    const narrowed = await subgraph.execute(
      UPDATE_MEASURE,
      { input: { id: measure.id, valueType: 'COUNT', target: null } },
      commsStaff,
    );
    expect(errorCode(narrowed)).toBe('BAD_USER_INPUT');
    const DELETE = 'mutation ($id: ID!) { deleteMeasure(id: $id) }';
    expect(errorCode(await subgraph.execute(DELETE, { id: measure.id }, policeStaff))).toBe('FORBIDDEN');
    expect(ok(await subgraph.execute<Loose>(DELETE, { id: measure.id }, commsStaff)).deleteMeasure).toBe(measure.id);
    expect(await subgraph.prisma.observation.count({ where: { measureId: measure.id } })).toBe(0);
  });

  it('does not take manual values for an automatic measure', async () => {
    const measure = await subgraph.prisma.measure.findFirstOrThrow({ where: { automaticSource: { not: null } } });
    const result = await subgraph.execute(
      ADD,
      { input: { measureId: measure.id, period: '2024-01', value: 1 } },
      commsStaff,
    );
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
  });
});

describe('audit trail', () => {
  const TRAIL = '{ initiative(code: "3.12") { auditTrail { action actor details subjectId } } }';

  it('records every write with who did it, for staff only', async () => {
    const data = ok(await subgraph.execute<Loose>(TRAIL, {}, policeStaff));
    const actions = data.initiative.auditTrail.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['initiative.update', 'measure.create', 'observation.add']));
    const update = data.initiative.auditTrail.find((e: { action: string }) => e.action === 'initiative.update');
    expect(update.actor).toBe('staff:ana');
    expect(JSON.parse(update.details)).toHaveProperty('whatsNext');
    expect(ok(await subgraph.execute<Loose>(TRAIL, {}, identities.public)).initiative.auditTrail).toBeNull();
  });

  it('refused writes leave no trace', async () => {
    const before = await subgraph.prisma.auditEntry.count();
    const measure = await subgraph.prisma.measure.findFirstOrThrow({ where: { name: 'Youth council meetings' } });
    await subgraph.execute(ADD, { input: { measureId: measure.id, period: '2024-01', value: 1 } }, commsStaff);
    await subgraph.execute(ADD, { input: { measureId: measure.id, period: '2024-06', value: 1.5 } }, commsStaff);
    await subgraph.execute(SET_STATUS, { input: { code: '3.12', status: 'ON_HOLD', note: 'x' } }, policeStaff);
    expect(await subgraph.prisma.auditEntry.count()).toBe(before);
  });
});
