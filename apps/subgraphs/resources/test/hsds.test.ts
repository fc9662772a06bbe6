import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { durhamNeighborhoods } from '@civic/reference-data/durham-neighborhoods';
import { verifyIdentity } from '@civic/server-kit/identity';
import { createLogger } from '@civic/server-kit/logger';
import { identities, startTestSubgraph, type TestSubgraph } from '@civic/test-stack/subgraph';
import { startWebhookForwarder, type WebhookForwarder } from '@civic/webhooks/forward';
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

/** The gateway cache tags recorded so far, oldest first. */
async function invalidations(): Promise<string[][]> {
  const rows = await subgraph.db.sql.query<{ tags: string[] }>(
    `SELECT to_jsonb("tags") AS "tags" FROM "CacheInvalidation" ORDER BY "seq"`,
  );
  return rows.map((r) => r.tags);
}

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

/**
 * Partner webhook events of imports reach a stand-in for engagement's internal `recordWebhookEvent`
 * over real HTTP (signature checked as a subgraph does), through the subgraph's real outbox queue.
 */
const SECRET = 'hsds-webhook-forward-test-secret-0123456789';
interface ServiceChanged {
  serviceId: string;
  organizationId: string;
  action: string;
  changedFields: string[];
  status: string;
  name: string;
}
const serviceEvents: ServiceChanged[] = [];
let engagement: Server;
let forwarder: WebhookForwarder;

/** The SERVICE_CHANGED events `write` caused: those handed over once the outbox is empty again. */
async function eventsOf(write: () => Promise<unknown>): Promise<ServiceChanged[]> {
  const before = serviceEvents.length;
  await write();
  for (let i = 0; i < 240 && (await forwarder.queue.pending()) > 0; i++) await new Promise((r) => setTimeout(r, 250));
  expect(await forwarder.queue.pending()).toBe(0);
  return serviceEvents.slice(before);
}

beforeAll(async () => {
  engagement = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const verified = verifyIdentity(SECRET, (name) => req.headers[name] as string | undefined, body);
      if (verified.status !== 'valid') {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"message":"unsigned"}]}');
        return;
      }
      const { variables } = JSON.parse(body.toString('utf8'));
      if (variables.type === 'SERVICE_CHANGED') serviceEvents.push(variables.data);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"recordWebhookEvent":true}}');
    });
  });
  await new Promise<void>((resolve) => engagement.listen(0, '127.0.0.1', resolve));
  subgraph = await startTestSubgraph(resourcesSubgraph);
  forwarder = await startWebhookForwarder(subgraph.prisma, subgraph.db, createLogger('resources', 'error'), {
    source: 'resources',
    schema: 'resources_webhooks',
    env: {
      ENGAGEMENT_URL: `http://127.0.0.1:${(engagement.address() as AddressInfo).port}/graphql`,
      CIVIC_GATEWAY_SECRET: SECRET,
    },
    pollingIntervalSeconds: 0.5,
  });
}, 120_000);
afterAll(async () => {
  await forwarder?.stop();
  await subgraph?.stop();
  await new Promise<void>((resolve) => engagement?.close(() => resolve()));
});

describe('importHsdsDataset', () => {
  it('refuses anyone but ADMIN, storing nothing', async () => {
    const before = await counts();
    const anonymous = await subgraph.execute(IMPORT, { files: exampleFiles() });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const staff = await subgraph.execute(IMPORT, { files: exampleFiles() }, identities.staff(org.parks));
    expect(staff.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const partner = await subgraph.execute(IMPORT, { files: exampleFiles() }, identities.partner(org.landTrust));
    expect(partner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
  });

  it('imports the HSDS example, then changes nothing on the second run', async () => {
    let first: Awaited<ReturnType<typeof subgraph.execute<ImportResult>>> | undefined;
    const createdEvents = await eventsOf(async () => {
      first = await subgraph.execute<ImportResult>(IMPORT, { files: exampleFiles() }, admin);
    });
    if (!first) throw new Error('no import result');
    expect(first.errors).toBeUndefined();
    // The one service created announces itself once, with its locations and schedules.
    expect(createdEvents).toEqual([
      expect.objectContaining({ serviceId: HSDS_EXAMPLE.service, action: 'CREATED', status: 'ACTIVE' }),
    ]);
    expect(createdEvents[0]?.changedFields).toEqual(expect.arrayContaining(['name', 'locations']));
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
    // What the gateways' caches must clear, recorded in the import's transaction.
    const recorded = await invalidations();
    expect(recorded.at(-1)).toEqual(
      expect.arrayContaining([
        `Organization:${HSDS_EXAMPLE.organization}`,
        `Service:${HSDS_EXAMPLE.service}`,
        'Service:?',
      ]),
    );

    const before = await counts();
    let second: Awaited<ReturnType<typeof subgraph.execute<ImportResult>>> | undefined;
    const unchangedEvents = await eventsOf(async () => {
      second = await subgraph.execute<ImportResult>(IMPORT, { files: exampleFiles() }, admin);
    });
    expect(second?.errors).toBeUndefined();
    expect(second?.data?.importHsdsDataset).toMatchObject({ created: 0, updated: 0, unchanged: result?.created });
    expect(await counts()).toEqual(before);
    expect(unchangedEvents).toEqual([]);
    expect(await invalidations()).toHaveLength(recorded.length);
  });

  it('updates a row whose id exists with other values, and records each changed field', async () => {
    // Durham's own fields (not HSDS's, never imported): a staff member gave it a theme and a ward.
    await subgraph.prisma.service.update({
      where: { id: HSDS_EXAMPLE.service },
      data: { themes: ['YOUTH'], serviceWards: [2] },
    });
    const files = exampleFiles().map((f) =>
      f.name === 'services.csv' ? { ...f, csv: f.csv.replace(',active,', ',temporarily closed,') } : f,
    );
    let result: Awaited<ReturnType<typeof subgraph.execute<ImportResult>>> | undefined;
    const events = await eventsOf(async () => {
      result = await subgraph.execute<ImportResult>(IMPORT, { files }, admin);
    });
    expect(result?.errors).toBeUndefined();
    expect(result?.data?.importHsdsDataset).toMatchObject({ created: 0, updated: 1 });
    const service = await subgraph.prisma.service.findUniqueOrThrow({ where: { id: HSDS_EXAMPLE.service } });
    expect(service.status).toBe('TEMPORARILY_CLOSED');
    // The service left every neighborhood × theme count it was in (active in ward 2 for YOUTH before,
    // closed now): those coverage entities, which the gateway may hold, are announced too.
    const coverageTags = durhamNeighborhoods()
      .filter((n) => n.wards.some((w) => w.ward === 2))
      .map((n) => `=NeighborhoodThemeCoverage:${n.id}:YOUTH`);
    expect([...((await invalidations()).at(-1) ?? [])].sort()).toEqual(
      [`Service:${HSDS_EXAMPLE.service}`, ...coverageTags].sort(),
    );
    expect(events).toEqual([
      {
        serviceId: HSDS_EXAMPLE.service,
        organizationId: HSDS_EXAMPLE.organization,
        name: service.name,
        status: 'TEMPORARILY_CLOSED',
        action: 'UPDATED',
        changedFields: ['status'],
        changedAt: expect.any(String),
      },
    ]);
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
