import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEPARTMENTS } from '@civic/reference-data/departments';
import { gql } from '@civic/test-stack/graphql';
import { type Stack, startStack } from '@civic/test-stack/stack';
import { jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const entry = new URL('../dist/main.js', import.meta.url).pathname;
const SECRET = 'a-test-signing-key-that-is-long-enough-123';

function civic(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [entry, ...args], {
    env: { ...process.env, NODE_ENV: 'development', DATABASE_URL: '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

describe('civic token', () => {
  test('prints a STAFF token the gateway accepts (issuer, audience, role, department)', async () => {
    const department = DEPARTMENTS[1] as (typeof DEPARTMENTS)[number];
    const run = civic(['token', '--role', 'STAFF', '--department', department.slug, '--name', 'Ada', '--ttl', '2h'], {
      CIVIC_JWT_SECRET: SECRET,
    });
    expect(run.code).toBe(0);
    const { payload } = await jwtVerify(run.stdout, new TextEncoder().encode(SECRET), {
      issuer: 'civic-graph-dev',
      audience: 'civic-graph',
    });
    expect(payload).toMatchObject({ role: 'STAFF', department: department.id, name: 'Ada' });
    expect((payload.exp as number) - (payload.iat as number)).toBe(7200);
  });

  test.each([
    [['token']],
    [['token', '--role', 'STAFF']],
    [['token', '--role', 'STAFF', '--department', 'no-such-department']],
    [['token', '--role', 'PARTNER', '--organization', 'x']],
    [['token', '--role', 'ADMIN', '--ttl', 'forever']],
    // Longer than the gateway's maximum token lifetime (24 h): the token would be refused.
    [['token', '--role', 'ADMIN', '--ttl', '7d']],
    [['token', '--role', 'ADMIN', '--bogus']],
  ])('wrong usage exits 2: %j', (args) => {
    const run = civic(args, { CIVIC_JWT_SECRET: SECRET });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/civic token:/);
  });

  test('in production it refuses without an explicit key (exit 1), and signs with one', () => {
    const refused = civic(['token', '--role', 'ADMIN'], { NODE_ENV: 'production', CIVIC_JWT_SECRET: '' });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    const given = civic(['token', '--role', 'ADMIN'], { NODE_ENV: 'production', CIVIC_JWT_SECRET: SECRET });
    expect(given.code).toBe(0);
  });

  test('--help exits 0', () => {
    expect(civic(['token', '--help']).code).toBe(0);
    expect(civic(['api-key', '--help']).code).toBe(0);
  });
});

describe('civic api-key through the running gateway', () => {
  let stack: Stack;
  let organization = '';
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    stack = await startStack({ production: true });
    env = { CIVIC_GATEWAY_URL: stack.gatewayUrl, CIVIC_JWT_SECRET: stack.jwtSecret, NODE_ENV: 'production' };
    const orgs = await gql<{ organizations: { id: string }[] }>(stack.gatewayUrl, '{ organizations { id } }');
    organization = orgs.body.data?.organizations[0]?.id as string;
  });
  afterAll(async () => stack?.destroy());

  test('create, use, list, revoke', async () => {
    const created = civic(['api-key', 'create', '--organization', organization, '--label', 'Food bank'], env);
    expect(created.code).toBe(0);
    const key = created.stdout;
    expect(key).toMatch(/^cg_live_/);
    const used = await gql(stack.gatewayUrl, '{ goals { number } }', {}, { 'x-api-key': key });
    expect(used.status).toBe(200);
    const listed = civic(['api-key', 'list', '--json'], env);
    expect(listed.code).toBe(0);
    const keys = JSON.parse(listed.stdout) as { prefix: string; label: string; organizationId: string }[];
    const mine = keys.find((k) => key.startsWith(k.prefix));
    expect(mine).toMatchObject({ label: 'Food bank', organizationId: organization });
    expect(listed.stdout).not.toContain(key);
    const revoked = civic(['api-key', 'revoke', mine?.prefix as string], env);
    expect(revoked.code).toBe(0);
    expect((await gql(stack.gatewayUrl, '{ goals { number } }', {}, { 'x-api-key': key })).status).toBe(401);
  });

  test('an unknown organization, an unknown key, or no admin credentials fail with exit 1', () => {
    expect(civic(['api-key', 'create', '--organization', 'nope', '--label', 'x'], env).code).toBe(1);
    expect(civic(['api-key', 'revoke', 'cg_live_nothing'], env).code).toBe(1);
    expect(civic(['api-key', 'list'], { ...env, CIVIC_JWT_SECRET: '' }).code).toBe(1);
    expect(civic(['api-key', 'list'], { ...env, CIVIC_JWT_SECRET: '', CIVIC_ADMIN_TOKEN: 'not-a-token' }).code).toBe(1);
  });

  test('wrong usage exits 2', () => {
    expect(civic(['api-key'], env).code).toBe(2);
    expect(civic(['api-key', 'create', '--label', 'x'], env).code).toBe(2);
    expect(civic(['api-key', 'revoke'], env).code).toBe(2);
    expect(civic(['api-key', 'rotate'], env).code).toBe(2);
  });
});

describe('civic api-key with the gateway stopped opens its database', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'civic-cli-'));
  const env = { CIVIC_GATEWAY_URL: 'http://127.0.0.1:1', CIVIC_DATA_DIR: dataDir, GATEWAY_DATABASE_URL: '' };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  test('create, list and revoke work on the PGlite folder', () => {
    const created = civic(['api-key', 'create', '--organization', 'org-1', '--label', 'offline'], env);
    expect(created.code).toBe(0);
    expect(created.stderr).toMatch(/not checked/);
    const listed = JSON.parse(civic(['api-key', 'list', '--json'], env).stdout) as { id: string; revokedAt: null }[];
    expect(listed).toHaveLength(1);
    expect(civic(['api-key', 'revoke', listed[0]?.id as string], env).code).toBe(0);
    const after = JSON.parse(civic(['api-key', 'list', '--json'], env).stdout) as { revokedAt: string | null }[];
    expect(after[0]?.revokedAt).toMatch(/^\d{4}-/);
    // Four CLI processes, each opening the PGlite folder: 28 s on a quiet host, 72 s at high load.
  }, 180_000);
});
