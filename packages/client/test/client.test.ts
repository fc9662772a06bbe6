import { createHmac } from 'node:crypto';
import { type Stack, startStack } from '@civic/test-stack/stack';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CivicClient, CivicGraphError, createCivicClient } from '../src/client.ts';
import {
  ConcernDetail,
  DepartmentInitiatives,
  Departments,
  DirectorySearch,
  directoryPage,
  EquityGapReport,
  InitiativeDetail,
  MyOrganizationServices,
  PublishedConcerns,
  publishedConcernsPage,
  UpdateService,
} from '../src/operations.ts';

let stack: Stack;
let anonymous: CivicClient;

/** An HS256 token the stack's gateway accepts (what `civic token` mints in development). */
function token(role: 'ADMIN' | 'STAFF', department?: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: `client-test-${role}`, role, department, iss: 'civic-graph-dev', aud: 'civic-graph', iat: now };
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ ...claims, exp: now + 3600 })}`;
  return `${body}.${createHmac('sha256', stack.jwtSecret).update(body).digest('base64url')}`;
}

async function apiKeyFor(organizationId: string): Promise<string> {
  const response = await fetch(stack.gatewayUrl.replace(/\/graphql$/, '/admin/api-keys'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token('ADMIN')}` },
    body: JSON.stringify({ organizationId, label: 'client test' }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { key: string }).key;
}

/** The error a request fails with (and a failure if it succeeds). */
async function failure(promise: Promise<unknown>): Promise<CivicGraphError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CivicGraphError);
  return error as CivicGraphError;
}

async function all<T>(items: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

beforeAll(async () => {
  stack = await startStack({ production: true, seed: 'demo', readyTimeoutMs: 170_000 });
  anonymous = createCivicClient({ url: stack.gatewayUrl });
});
afterAll(async () => stack?.destroy());

describe('public operations', () => {
  test('paginate follows every page of a ward’s concerns; ConcernDetail joins the three services', async () => {
    const first = await anonymous.request(PublishedConcerns, { filter: { ward: 1 }, first: 1 });
    const concerns = await all(
      anonymous.paginate(PublishedConcerns, { filter: { ward: 1 }, first: 9, after: null }, publishedConcernsPage),
    );
    expect(concerns.length).toBe(first.concerns.totalCount);
    expect(concerns.length).toBeGreaterThan(9);
    expect(new Set(concerns.map((c) => c.id)).size).toBe(concerns.length);
    expect(concerns.every((c) => c.ward === 1)).toBe(true);

    const { concern } = await anonymous.request(ConcernDetail, { id: concerns[0]?.id as string });
    expect(concern?.summary).toBe(concerns[0]?.summary);
    expect(Array.isArray(concern?.initiatives)).toBe(true);
    expect(Array.isArray(concern?.resources)).toBe(true);
    expect(Array.isArray(concern?.suggestedResources)).toBe(true);
  });

  test('departments, their initiatives, one initiative, the directory and the equity gap report', async () => {
    const { organizations } = await anonymous.request(Departments, {});
    expect(organizations.length).toBeGreaterThan(0);
    let led: { code: string } | undefined;
    for (const department of organizations) {
      const { initiatives } = await anonymous.request(DepartmentInitiatives, { department: department.id });
      led = initiatives[0];
      if (led) break;
    }
    expect(led).toBeDefined();
    const { initiative } = await anonymous.request(InitiativeDetail, { code: led?.code });
    expect(initiative?.code).toBe(led?.code);
    expect(initiative?.viewerCanEdit).toBe(false);

    const page = await anonymous.request(DirectorySearch, { first: 5 });
    const services = await all(anonymous.paginate(DirectorySearch, { first: 50, after: null }, directoryPage));
    expect(services.length).toBe(page.services.totalCount);

    const { equityGapReport } = await anonymous.request(EquityGapReport, { ward: 2 });
    expect(equityGapReport.every((gap) => gap.neighborhood === null || gap.neighborhood.ward === 2)).toBe(true);
  });
});

describe('a partner with an API key', () => {
  let partner: CivicClient;
  let own: { id: string; services: { id: string }[] };
  let otherServiceId: string;

  beforeAll(async () => {
    const directory = await all(anonymous.paginate(DirectorySearch, { internal: false, first: 100 }, directoryPage));
    const byOrganization = new Map<string, string[]>();
    for (const s of directory)
      byOrganization.set(s.organization.id, [...(byOrganization.get(s.organization.id) ?? []), s.id]);
    const [ownId, otherId] = [...byOrganization.keys()];
    partner = createCivicClient({ url: stack.gatewayUrl, apiKey: await apiKeyFor(ownId as string) });
    const { organization } = await partner.request(MyOrganizationServices, { organizationId: ownId as string });
    own = organization as { id: string; services: { id: string }[] };
    otherServiceId = byOrganization.get(otherId as string)?.[0] as string;
  });

  test('updates its own service, and the change log says what changed', async () => {
    const id = own.services[0]?.id as string;
    const { updateService } = await partner.request(UpdateService, {
      id,
      input: { eligibility: 'Durham residents 18 and over', languages: ['en', 'es'] },
    });
    expect(updateService.eligibility).toBe('Durham residents 18 and over');
    expect(updateService.languages).toEqual(['en', 'es']);
    expect(updateService.changes.some((c) => c.fieldName.startsWith('eligibility'))).toBe(true);
  });

  test('errors carry their stable code: FORBIDDEN, BAD_USER_INPUT with problems, UNAUTHENTICATED (401)', async () => {
    const forbidden = await failure(partner.request(UpdateService, { id: otherServiceId, input: { fees: 'Free' } }));
    expect(forbidden.code).toBe('FORBIDDEN');

    const bad = await failure(
      partner.request(UpdateService, { id: own.services[0]?.id as string, input: { minimumAge: 200 } }),
    );
    expect(bad.code).toBe('BAD_USER_INPUT');
    expect(bad.errors[0]?.extensions?.problems).toEqual([
      { field: 'minimumAge', message: 'An age is between 0 and 130' },
    ]);

    const revoked = createCivicClient({ url: stack.gatewayUrl, apiKey: 'cg_live_not_a_real_key' });
    const refused = await failure(revoked.request(Departments, {}));
    expect(refused.status).toBe(401);
    expect(refused.code).toBe('UNAUTHENTICATED');
  });
});
