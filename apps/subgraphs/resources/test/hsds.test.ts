import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { identities, startTestSubgraph, type TestSubgraph } from '@civic/test-stack/subgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourcesPrisma } from '../src/db.ts';
import { HSDS_EXAMPLE_DIR, resourcesSubgraph } from '../src/subgraph.ts';
import { HSDS_EXAMPLE, org } from './fixtures.ts';

const IMPORT = `mutation ($files: [HsdsFileInput!]!) { importHsdsDataset(files: $files) {
  created updated unchanged warnings ignoredFiles counts { table created updated unchanged } } }`;
const EXPORT = '{ hsdsExport { warnings tables { name path columns rows } } }';

interface ImportResult {
  importHsdsDataset: {
    created: number;
    updated: number;
    unchanged: number;
    warnings: string[];
    ignoredFiles: string[];
    counts: { table: string; created: number; updated: number; unchanged: number }[];
  };
}
interface Problem {
  field: string;
  message: string;
}

const exampleFiles = () =>
  readdirSync(HSDS_EXAMPLE_DIR)
    .filter((f) => f.endsWith('.csv'))
    .map((name) => ({ name, csv: readFileSync(join(HSDS_EXAMPLE_DIR, name), 'utf8') }));

const admin = identities.admin('importer');
let subgraph: TestSubgraph<ResourcesPrisma>;

async function counts() {
  const p = subgraph.prisma;
  return {
    organizations: await p.organization.count(),
    programs: await p.program.count(),
    services: await p.service.count(),
    locations: await p.location.count(),
    links: await p.serviceAtLocation.count(),
    schedules: await p.schedule.count(),
    changes: await p.changeRecord.count(),
  };
}

beforeAll(async () => {
  subgraph = await startTestSubgraph(resourcesSubgraph);
});
afterAll(async () => {
  await subgraph?.stop();
});

describe('importHsdsDataset', () => {
  it('refuses anyone but ADMIN, storing nothing', async () => {
    const before = await counts();
    const anonymous = await subgraph.execute(IMPORT, { files: exampleFiles() });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const staff = await subgraph.execute(IMPORT, { files: exampleFiles() }, identities.staff(org.parks));
    expect(staff.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const partner = await subgraph.execute(IMPORT, { files: exampleFiles() }, identities.partner(org.habitat));
    expect(partner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
  });

  it('imports the HSDS example, then changes nothing on the second run', async () => {
    const first = await subgraph.execute<ImportResult>(IMPORT, { files: exampleFiles() }, admin);
    expect(first.errors).toBeUndefined();
    const result = first.data?.importHsdsDataset;
    expect(result?.counts).toEqual(
      expect.arrayContaining([
        { table: 'organization', created: 1, updated: 0, unchanged: 0 },
        { table: 'service', created: 1, updated: 0, unchanged: 0 },
        { table: 'service_at_location', created: 1, updated: 0, unchanged: 0 },
      ]),
    );
    expect(result?.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/out of range/)]));
    const service = await subgraph.prisma.service.findUniqueOrThrow({ where: { id: HSDS_EXAMPLE.service } });
    expect(service).toMatchObject({ organizationId: HSDS_EXAMPLE.organization, status: 'ACTIVE', minimumAge: 12 });
    const created = await subgraph.prisma.changeRecord.findMany({ where: { resourceId: HSDS_EXAMPLE.service } });
    expect(created.map((c) => c.fieldName)).toContain('name');
    expect(created.every((c) => c.updatedBy === 'admin:importer' && c.lastActionType === 'create')).toBe(true);

    const before = await counts();
    const second = await subgraph.execute<ImportResult>(IMPORT, { files: exampleFiles() }, admin);
    expect(second.errors).toBeUndefined();
    expect(second.data?.importHsdsDataset).toMatchObject({ created: 0, updated: 0, unchanged: result?.created });
    expect(await counts()).toEqual(before);
  });

  it('updates a row whose id exists with other values, and records each changed field', async () => {
    const files = exampleFiles().map((f) =>
      f.name === 'services.csv' ? { ...f, csv: f.csv.replace(',active,', ',temporarily closed,') } : f,
    );
    const result = await subgraph.execute<ImportResult>(IMPORT, { files }, admin);
    expect(result.errors).toBeUndefined();
    expect(result.data?.importHsdsDataset).toMatchObject({ created: 0, updated: 1 });
    const service = await subgraph.prisma.service.findUniqueOrThrow({ where: { id: HSDS_EXAMPLE.service } });
    expect(service.status).toBe('TEMPORARILY_CLOSED');
    const change = await subgraph.prisma.changeRecord.findFirst({
      where: { resourceId: HSDS_EXAMPLE.service, lastActionType: 'update' },
    });
    expect(change).toMatchObject({
      fieldName: 'status',
      previousValue: 'ACTIVE',
      replacementValue: 'TEMPORARILY_CLOSED',
      resourceType: 'service',
    });
    const back = await subgraph.execute<ImportResult>(IMPORT, { files: exampleFiles() }, admin);
    expect(back.data?.importHsdsDataset).toMatchObject({ created: 0, updated: 1 });
  });

  it('refuses a malformed dataset, naming file, row and field, and stores nothing', async () => {
    const services = readFileSync(join(HSDS_EXAMPLE_DIR, 'services.csv'), 'utf8');
    const header = services.split('\n')[0] as string;
    const good = services.split('\n')[1] as string;
    const bad = [
      good.replace(HSDS_EXAMPLE.service, '0b5c3c4e-1111-4222-8333-944455556666').replace(',active,', ',closed,'),
      good
        .replace(HSDS_EXAMPLE.service, '0b5c3c4e-1111-4222-8333-944455556667')
        .replace(HSDS_EXAMPLE.organization, '0b5c3c4e-9999-4222-8333-944455556666'),
      good.replace(HSDS_EXAMPLE.service, '0b5c3c4e-1111-4222-8333-944455556668').replace('Community Counselling', ''),
      good,
    ];
    const files = [
      ...exampleFiles().filter((f) => f.name !== 'services.csv'),
      { name: 'services.csv', csv: [header, good, ...bad].join('\n') },
    ];
    const before = await counts();
    const result = await subgraph.execute(IMPORT, { files }, admin);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const problems = ((result.errors?.[0]?.extensions?.problems ?? []) as Problem[]).map(
      (p) => `${p.field}: ${p.message}`,
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'services.csv row 3, field "status": must be one of active, inactive, defunct, temporarily closed',
        expect.stringMatching(/^services\.csv row 4, field "organization_id": unknown organization 0b5c3c4e-9999/),
        'services.csv row 5, field "name": is required',
        expect.stringMatching(/^services\.csv row 6, field "id": duplicate id .* \(also row 2\)$/),
      ]),
    );
    expect(result.errors?.[0]?.message).toMatch(/^The HSDS dataset is not valid \(5 problems\): services\.csv row 3/);
    expect(await counts()).toEqual(before);
  });

  it('accepts references to rows already in the directory', async () => {
    const services = readFileSync(join(HSDS_EXAMPLE_DIR, 'services.csv'), 'utf8').replace(
      HSDS_EXAMPLE.service,
      '7c1f0b52-3d7e-4b8e-9a51-7d8a3c0e2f11',
    );
    const result = await subgraph.execute<ImportResult>(
      IMPORT,
      { files: [{ name: 'service.csv', csv: services }] },
      admin,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.importHsdsDataset.counts).toContainEqual({
      table: 'service',
      created: 1,
      updated: 0,
      unchanged: 0,
    });
    const service = await subgraph.prisma.service.findUniqueOrThrow({
      where: { id: '7c1f0b52-3d7e-4b8e-9a51-7d8a3c0e2f11' },
    });
    expect(service.programId).toBe('e7ec2e57-4540-43fa-b2c7-6be5a0ef7f42');
  });
});

describe('hsdsExport', () => {
  it('returns the directory as HSDS tables, readable without signing in', async () => {
    const result = await subgraph.execute<{
      hsdsExport: { tables: { name: string; path: string; columns: string[]; rows: string[][] }[] };
    }>(EXPORT);
    expect(result.errors).toBeUndefined();
    const tables = new Map(result.data?.hsdsExport.tables.map((t) => [t.name, t]));
    const services = tables.get('service');
    expect(services?.path).toBe('services.csv');
    const row = services?.rows.find((r) => r[0] === HSDS_EXAMPLE.service) as string[];
    const value = (column: string) => row[services?.columns.indexOf(column) as number];
    expect([value('organization_id'), value('name'), value('status'), value('minimum_age')]).toEqual([
      HSDS_EXAMPLE.organization,
      'Community Counselling',
      'active',
      '12',
    ]);
    expect(tables.get('language')?.rows.map((r) => r.at(-1))).toEqual(expect.arrayContaining(['en', 'ur']));
    expect(services?.columns).not.toContain('annual_budget');
  });
});
