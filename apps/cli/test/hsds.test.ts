import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '@civic/auth/jwt';
import { DEPARTMENTS } from '@civic/reference-data/departments';
import { parseCsv } from '@civic/subgraph-resources/hsds/csv';
import { resourcesSubgraph } from '@civic/subgraph-resources/subgraph';
import { gql } from '@civic/test-stack/graphql';
import { type Stack, startStack } from '@civic/test-stack/stack';
import { identities, startTestSubgraph } from '@civic/test-stack/subgraph';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { HsdsTableData } from '../src/hsds/documents.ts';
import { createHsdsValidator, validateHsdsDirectory } from '../src/hsds/validate.ts';
import { writeHsdsExport } from '../src/hsds/write.ts';
import { copyHsdsExample, HSDS_COMPILED_SCHEMAS } from './example-data.ts';

const entry = new URL('../dist/main.js', import.meta.url).pathname;
let official: ReturnType<typeof createHsdsValidator> | undefined;
/** The self-contained compiled schemas HSDS publishes for validating exports (compiling them takes seconds). */
function officialValidator() {
  official ??= createHsdsValidator({
    documentSchemas: {
      service: JSON.parse(readFileSync(join(HSDS_COMPILED_SCHEMAS, 'service.json'), 'utf8')),
      organization: JSON.parse(readFileSync(join(HSDS_COMPILED_SCHEMAS, 'organization.json'), 'utf8')),
    },
  });
  return official;
}

const work = mkdtempSync(join(tmpdir(), 'civic-hsds-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
/** The HSDS 3.0 example dataset, one CSV per table. */
const EXAMPLE = copyHsdsExample(join(work, 'example'));

function civic(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [entry, ...args], {
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: '', ...env },
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

function csvFile(dir: string, name: string) {
  return parseCsv(readFileSync(join(dir, name), 'utf8'));
}

/** Rows per HSDS table as the directory exports them: everything an import could have written. */
async function tableSizes(stack: Stack) {
  const result = await gql<{ hsdsExport: { tables: { name: string; rows: string[][] }[] } }>(
    stack.gatewayUrl,
    '{ hsdsExport { tables { name rows } } }',
  );
  return Object.fromEntries(result.body.data?.hsdsExport.tables.map((t) => [t.name, t.rows.length]) ?? []);
}

describe('civic import/export hsds usage', () => {
  test('--help exits 0 and explains the command', () => {
    const importHelp = civic(['import', 'hsds', '--help']);
    expect(importHelp.code).toBe(0);
    expect(importHelp.stdout).toMatch(/services\.csv row 4, field "status"/);
    const exportHelp = civic(['export', 'hsds', '--help']);
    expect(exportHelp.code).toBe(0);
    expect(exportHelp.stdout).toMatch(/datapackage\.json/);
  });

  test.each([
    [['import', 'hsds']],
    [['import', 'hsds', EXAMPLE, 'other']],
    [['import', 'hsds', EXAMPLE, '--bogus']],
    [['import', 'hsds', join(work, 'no-such-folder')]],
    [['export', 'hsds']],
    [['export', 'hsds', EXAMPLE]],
    [['export', 'hsds', join(EXAMPLE, 'services.csv')]],
    [['export', 'hsds', join(work, 'x'), '--gateway']],
  ])('wrong usage exits 2: %j', (args) => {
    const run = civic(args, { CIVIC_GATEWAY_URL: 'http://127.0.0.1:1' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^civic (import|export) hsds: /);
  });
});

describe('civic import hsds → export hsds through the running gateway', () => {
  let stack: Stack;
  let env: NodeJS.ProcessEnv;
  let dataset = EXAMPLE;
  beforeAll(async () => {
    stack = await startStack({ production: true, seed: 'none' });
    env = { CIVIC_GATEWAY_URL: stack.gatewayUrl, CIVIC_JWT_SECRET: stack.jwtSecret };
    dataset = EXAMPLE;
  }, 240_000);
  afterAll(async () => stack?.destroy());

  test('a malformed dataset is refused, naming file, row and field; nothing is stored (exit 1)', async () => {
    const dir = join(work, 'malformed');
    cpSync(dataset, dir, { recursive: true });
    const services = readFileSync(join(dir, 'services.csv'), 'utf8').split('\n');
    const row = services[1] as string;
    const [serviceId, organizationId] = row.split(',') as [string, string];
    const bad = [
      row.replace(',active,', ',open,'),
      row.replace(serviceId, randomUUID()).replace(organizationId, '00000000-0000-4000-8000-000000000000'),
      row.replace(serviceId, randomUUID()).replace(',active,', ',,'),
    ];
    writeFileSync(join(dir, 'services.csv'), [services[0], ...bad, ''].join('\n'));
    const before = await tableSizes(stack);
    const run = civic(['import', 'hsds', dir], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^civic import hsds: The HSDS dataset is not valid/m);
    expect(run.stderr).toContain(
      'services.csv row 2, field "status": must be one of active, inactive, defunct, temporarily closed',
    );
    expect(run.stderr).toMatch(/services\.csv row 3, field "organization_id": unknown organization 00000000-/);
    expect(run.stderr).toContain('services.csv row 4, field "status": is required');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(await tableSizes(stack)).toEqual(before);
    expect(Object.values(before).every((n) => n === 0)).toBe(true);
  });

  test('only ADMIN may import (exit 1, nothing stored)', async () => {
    const staff = await mintToken(stack.jwtSecret, { sub: 'staff-1', role: 'STAFF', department: DEPARTMENTS[0]?.id });
    const before = await tableSizes(stack);
    const run = civic(['import', 'hsds', dataset], { ...env, CIVIC_ADMIN_TOKEN: staff });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/FORBIDDEN/);
    expect(await tableSizes(stack)).toEqual(before);
  });

  test('imports the HSDS example; a second import changes nothing', async () => {
    const before = await tableSizes(stack);
    const first = civic(['import', 'hsds', dataset, '--json'], env);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/import hsds: \d+ created, 0 updated, 0 unchanged in/);
    const result = JSON.parse(first.stdout) as { created: number; updated: number; skippedFiles: string[] };
    expect(result.created).toBeGreaterThanOrEqual(6);
    expect(result.skippedFiles).toContain('accessibility.csv');
    const after = await tableSizes(stack);
    expect(after.organization).toBe((before.organization ?? 0) + 1);
    expect(after.service).toBe((before.service ?? 0) + 1);

    const second = civic(['import', 'hsds', dataset], env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/: 0 created, 0 updated, \d+ unchanged\.$/);
    expect(await tableSizes(stack)).toEqual(after);
  });

  test('exports a datapackage and JSON that validate against the HSDS schemas, with the imported organizations and services', () => {
    const out = join(work, 'export');
    const run = civic(['export', 'hsds', out], env);
    expect(run.stderr).not.toMatch(/not valid/);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/all valid HSDS 3\.0/);

    const report = validateHsdsDirectory(out, officialValidator());
    expect(report.problems).toEqual([]);
    const exported = csvFile(out, 'services.csv');
    expect(report.documents).toBe(exported.length + csvFile(out, 'organizations.csv').length);

    const pick = (rows: Record<string, string>[], fields: string[], ids: Set<string>) =>
      rows
        .filter((r) => ids.has(r.id ?? ''))
        .map((r) => Object.fromEntries(fields.map((f) => [f, r[f]])))
        .sort((a, b) => (a.id ?? '').localeCompare(b.id ?? ''));
    const input = { organizations: csvFile(dataset, 'organizations.csv'), services: csvFile(dataset, 'services.csv') };
    const orgIds = new Set(input.organizations.map((o) => o.id ?? ''));
    const orgFields = ['id', 'name', 'alternate_name', 'description', 'email', 'website'];
    expect(pick(csvFile(out, 'organizations.csv'), orgFields, orgIds)).toEqual(
      pick(input.organizations, orgFields, orgIds),
    );
    const serviceIds = new Set(input.services.map((s) => s.id ?? ''));
    const serviceFields = [
      'id',
      'organization_id',
      'program_id',
      'name',
      'alternate_name',
      'status',
      'url',
      'email',
      'minimum_age',
      'maximum_age',
      'eligibility_description',
    ];
    expect(pick(exported, serviceFields, serviceIds)).toEqual(pick(input.services, serviceFields, serviceIds));
    expect(exported).toHaveLength(1);

    const serviceId = input.services[0]?.id as string;
    const service = JSON.parse(readFileSync(join(out, `json/services/${serviceId}.json`), 'utf8')) as Record<
      string,
      unknown
    > & { organization: { id: string }; languages: { code: string }[]; service_at_locations: unknown[] };
    expect(service).toMatchObject({ name: 'Community Counselling', status: 'active', minimum_age: 12 });
    expect(service.organization.id).toBe(input.organizations[0]?.id);
    expect(service.languages.map((l) => l.code).sort()).toEqual(['en', 'ur']);
    expect(service.service_at_locations).toHaveLength(1);
    const pkg = JSON.parse(readFileSync(join(out, 'datapackage.json'), 'utf8')) as { resources: { path: string }[] };
    expect(pkg.resources.map((r) => r.path)).toEqual(expect.arrayContaining(['organizations.csv', 'services.csv']));
    // Exporting again into the same folder replaces the earlier export.
    expect(civic(['export', 'hsds', out], env).code).toBe(0);
  });

  test('the validator catches what HSDS forbids', () => {
    const out = join(work, 'broken');
    cpSync(join(work, 'export'), out, { recursive: true });
    const serviceId = csvFile(dataset, 'services.csv')[0]?.id as string;
    const organizationId = csvFile(dataset, 'organizations.csv')[0]?.id as string;
    const file = join(out, `json/services/${serviceId}.json`);
    const document = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...document, status: 'open', name: undefined }));
    writeFileSync(
      join(out, 'services.csv'),
      readFileSync(join(out, 'services.csv'), 'utf8').replace(
        `${serviceId},${organizationId}`,
        `${serviceId},not-a-uuid`,
      ),
    );
    const problems = validateHsdsDirectory(out, officialValidator()).problems.join('\n');
    expect(problems).toMatch(
      new RegExp(`json/services/${serviceId}.*: /status: must be equal to one of the allowed values`),
    );
    expect(problems).toMatch(new RegExp(`json/services/${serviceId}.*must have required property 'name'`));
    expect(problems).toMatch(/services\.csv row \d+: \/organization_id: must match format "uuid"/);
    expect(problems).toMatch(/services\.csv row \d+: organization_id not-a-uuid is not in organization/);
  });
});

describe('HSDS export of the demo directory (Durham’s departments and partners, imported from HSDS)', () => {
  const start = () => startTestSubgraph(resourcesSubgraph, { seed: true });
  let subgraph: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    subgraph = await start();
  }, 240_000);
  afterAll(async () => subgraph?.stop());

  test('the HSDS example imports into the demo directory, then again without a change', async () => {
    const files = readdirSync(EXAMPLE)
      .filter((f) => f.endsWith('.csv'))
      .map((name) => ({ name, csv: readFileSync(join(EXAMPLE, name), 'utf8') }));
    const run = () =>
      subgraph.execute<{ importHsdsDataset: { created: number; updated: number } }>(
        'mutation ($files: [HsdsFileInput!]!) { importHsdsDataset(files: $files) { created updated } }',
        { files },
        identities.admin(),
      );
    const first = await run();
    expect(first.errors).toBeUndefined();
    expect(first.data?.importHsdsDataset.created).toBeGreaterThan(0);
    const again = await run();
    expect(again.errors).toBeUndefined();
    expect(again.data?.importHsdsDataset).toEqual({ created: 0, updated: 0 });
  });

  test('is valid HSDS and carries no budgets', async () => {
    // The directory gives no budgets; a department records one for its Urgent Repair Program.
    await subgraph.prisma.service.update({
      where: { id: '5e9e0cc8-0360-5f2d-a552-749affa850e5' },
      data: { annualBudget: 1_200_000, fiscalYear: 2026 },
    });
    const result = await subgraph.execute<{ hsdsExport: { tables: HsdsTableData[] } }>(
      '{ hsdsExport { tables { name path columns rows } } }',
    );
    expect(result.errors).toBeUndefined();
    const out = join(work, 'demo');
    writeHsdsExport(out, result.data?.hsdsExport.tables ?? []);
    const report = validateHsdsDirectory(out, officialValidator());
    expect(report.problems).toEqual([]);
    const services = csvFile(out, 'services.csv');
    expect(services.length).toBeGreaterThan(10);
    expect(report.documents).toBe(services.length + csvFile(out, 'organizations.csv').length);

    const budgeted = await subgraph.prisma.service.findMany({ where: { annualBudget: { not: null } } });
    expect(budgeted.length).toBeGreaterThan(0);
    for (const service of budgeted) {
      const text = readFileSync(join(out, `json/services/${service.id}.json`), 'utf8');
      expect(text).not.toMatch(/budget|fiscal/);
      expect(text).not.toContain(String(service.annualBudget));
    }
    expect(Object.keys(services[0] ?? {}).filter((c) => /budget|fiscal/.test(c))).toEqual([]);
  });
});
