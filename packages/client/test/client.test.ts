import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

// A partner's npm, not the one running this suite: `npm test` exports npm_config_* (prefix, workspace settings)
// that would point an install in another folder back at the monorepo.
const npmEnv = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));

describe('the published package', () => {
  const here = new URL('..', import.meta.url).pathname;
  const require = createRequire(import.meta.url);
  let folder: string;
  let ownOrganization: string;
  let key: string;
  const node = (file: string, env: Record<string, string> = {}) =>
    execFileSync(process.execPath, [file], { cwd: folder, env: { ...process.env, ...env }, encoding: 'utf8' });

  beforeAll(async () => {
    // The stack's calls first: packing and installing take long enough for a kept-alive connection to go stale.
    const directory = await all(anonymous.paginate(DirectorySearch, { internal: false, first: 100 }, directoryPage));
    ownOrganization = directory[0]?.organization.id as string;
    key = await apiKeyFor(ownOrganization);
    execFileSync(process.execPath, [require.resolve('tsx/cli'), 'scripts/build.ts'], { cwd: here, stdio: 'pipe' });
    // An empty folder outside the workspace: nothing resolves from the monorepo's node_modules.
    folder = mkdtempSync(join(tmpdir(), 'civic-client-package-'));
    execFileSync('npm', ['pack', join(here, 'pkg'), '--pack-destination', folder], {
      cwd: folder,
      stdio: 'pipe',
      env: npmEnv,
    });
    const tarball = readdirSync(folder).find((f) => f.endsWith('.tgz')) as string;
    writeFileSync(
      join(folder, 'package.json'),
      JSON.stringify({ name: 'partner-script', private: true, type: 'module' }),
    );
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', `./${tarball}`], {
      cwd: folder,
      stdio: 'pipe',
      env: npmEnv,
    });
  }, 600_000);
  afterAll(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  test('is compiled JavaScript with types, ESM and CJS exports, and registry dependencies only', () => {
    const manifest = JSON.parse(readFileSync(join(folder, 'node_modules/@civic/client/package.json'), 'utf8'));
    expect(manifest.private).toBeUndefined();
    expect(manifest.exports['.']).toEqual({
      types: './dist/types/client.d.ts',
      import: './dist/esm/client.js',
      require: './dist/cjs/client.cjs',
    });
    for (const version of Object.values(manifest.dependencies as Record<string, string>)) {
      expect(version).not.toMatch(/^(workspace|file|link):/);
    }
    const files = readdirSync(join(folder, 'node_modules/@civic/client/dist'), { recursive: true }) as string[];
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(readFileSync(join(folder, 'node_modules/@civic/client/README.md'), 'utf8')).toContain('## Five lines');
  });

  test("the README's five-line example runs against the stack, as a partner and anonymously", () => {
    const readme = readFileSync(join(here, 'README.md'), 'utf8');
    const example = /## Five lines\s+```js\n([\s\S]*?)```/.exec(readme)?.[1] as string;
    expect(example.split('\n').filter((l) => l.trim() && !l.startsWith('import ')).length).toBe(3);
    writeFileSync(join(folder, 'example.mjs'), example.replace('http://localhost:4000/graphql', stack.gatewayUrl));
    const asPartner = node('example.mjs', { CIVIC_API_KEY: key });
    expect(asPartner).toContain(`PARTNER ${ownOrganization}`);
    expect(asPartner).toContain('MANAGE_OWN_SERVICES');
    const { CIVIC_API_KEY: _, ...env } = process.env;
    const anonymousRun = execFileSync(process.execPath, ['example.mjs'], { cwd: folder, env, encoding: 'utf8' });
    expect(anonymousRun).toMatch(/^PUBLIC null undefined \[ 'READ_PUBLISHED' \]/);
  });

  test('require() works too, and TypeScript sees the operation types', () => {
    writeFileSync(
      join(folder, 'example.cjs'),
      `const { createCivicClient } = require('@civic/client');
const { Departments } = require('@civic/client/operations');
createCivicClient({ url: ${JSON.stringify(stack.gatewayUrl)} }).request(Departments, {})
  .then(({ organizations }) => console.log(organizations.length));`,
    );
    expect(Number(node('example.cjs'))).toBeGreaterThan(5);
    writeFileSync(
      join(folder, 'check.ts'),
      `import { createCivicClient } from '@civic/client';
import { WhoAmI } from '@civic/client/operations';
const { viewer } = await createCivicClient().request(WhoAmI, {});
const role: 'PUBLIC' | 'PARTNER' | 'STAFF' | 'ADMIN' = viewer.role;
// @ts-expect-error the viewer has no such field
console.log(role, viewer.nonexistent);
`,
    );
    const tsc = require.resolve('typescript/bin/tsc');
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--target', 'es2022', '--skipLibCheck', 'check.ts'];
    expect(() => execFileSync(process.execPath, [tsc, ...args], { cwd: folder, stdio: 'pipe' })).not.toThrow();
  });
});
