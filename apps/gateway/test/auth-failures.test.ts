import { randomBytes } from 'node:crypto';
import type { Stack } from '@civic/test-stack/stack';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { memoryRateLimiter } from '../src/rate-limit.ts';
import { bearer, gql, productionStack, staffToken } from './helpers.ts';

// Failed sign-ins counted in Redis, as a multi-instance deployment shares them.
const REDIS_PREFIX = `civic-test:${randomBytes(6).toString('hex')}:`;
const QUERY = '{ goals { number } }';
let stack: Stack;
let redis: Redis;
beforeAll(async () => {
  stack = await productionStack({
    seed: 'none',
    gatewayEnv: {
      REDIS_URL: 'redis://127.0.0.1:6379',
      RATE_LIMIT_REDIS_PREFIX: REDIS_PREFIX,
      RATE_LIMIT_WINDOW_MS: '60000',
      // Each test plays its own clients through X-Forwarded-For.
      TRUST_PROXY: 'true',
    },
  });
  redis = new Redis('redis://127.0.0.1:6379');
});
afterAll(async () => {
  redis?.disconnect();
  await stack?.destroy();
});

const guessedKey = (prefix = randomBytes(4).toString('hex')) =>
  `cg_live_${prefix}${randomBytes(24).toString('base64url')}`;
const from = (address: string, headers: Record<string, string> = {}) => ({ 'x-forwarded-for': address, ...headers });

describe('failed authentication is rate-limited (issue 21, item 4)', () => {
  test('30 failures a minute from one client, then 429 RATE_LIMITED with Retry-After for any credentials', async () => {
    const client = '203.0.113.10';
    for (let i = 0; i < 30; i++) {
      const answer = await gql(stack.gatewayUrl, QUERY, {}, from(client, { 'x-api-key': guessedKey() }));
      expect(answer.status, `attempt ${i + 1}`).toBe(401);
    }
    const limited = await gql(stack.gatewayUrl, QUERY, {}, from(client, { 'x-api-key': guessedKey() }));
    expect(limited.status).toBe(429);
    expect(limited.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // A bad token, and even a good one, from that client waits as well.
    expect((await gql(stack.gatewayUrl, QUERY, {}, from(client, bearer('not.a.token')))).status).toBe(429);
    const staff = bearer(await staffToken(stack, { role: 'ADMIN' }));
    expect((await gql(stack.gatewayUrl, QUERY, {}, from(client, staff))).status).toBe(429);
    // Anonymous reading from that client, and other clients, are not affected.
    expect((await gql(stack.gatewayUrl, QUERY, {}, from(client))).status).toBe(200);
    expect((await gql(stack.gatewayUrl, QUERY, {}, from('203.0.113.11', { 'x-api-key': guessedKey() }))).status).toBe(
      401,
    );
    expect((await gql(stack.gatewayUrl, QUERY, {}, from('203.0.113.12', staff))).status).toBe(200);
  });

  test('30 failures with one key prefix from many clients, then 429 for that prefix only', async () => {
    const prefix = 'abcd1234';
    for (let i = 0; i < 30; i++) {
      const answer = await gql(
        stack.gatewayUrl,
        QUERY,
        {},
        from(`198.51.100.${i + 1}`, { 'x-api-key': guessedKey(prefix) }),
      );
      expect(answer.status, `attempt ${i + 1}`).toBe(401);
    }
    const limited = await gql(stack.gatewayUrl, QUERY, {}, from('198.51.100.200', bearer(guessedKey(prefix))));
    expect(limited.status).toBe(429);
    expect(limited.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await gql(stack.gatewayUrl, QUERY, {}, from('198.51.100.201', { 'x-api-key': guessedKey() }))).status).toBe(
      401,
    );
  });

  test('the failure counts live in Redis, shared by every gateway instance', async () => {
    const keys = await redis.keys(`${REDIS_PREFIX}authfail:*`);
    expect(keys).toContain(`${REDIS_PREFIX}authfail:address:203.0.113.10`);
    expect(keys).toContain(`${REDIS_PREFIX}authfail:prefix:cg_live_abcd1234`);
    expect(Number(await redis.get(`${REDIS_PREFIX}authfail:address:203.0.113.10`))).toBe(30);
  });

  test('the /admin endpoints count and refuse the same way', async () => {
    const client = '203.0.113.20';
    const admin = `${stack.gatewayUrl.replace(/\/graphql$/, '')}/admin/api-keys`;
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const response = await fetch(admin, { headers: from(client, bearer('forged.admin.token')) });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
  });
});

describe('memory rate limiter', () => {
  test('peek reads a window without counting', async () => {
    let t = 1_000;
    const limiter = memoryRateLimiter(60_000, () => t);
    expect(await limiter.peek('k')).toEqual({ count: 0, retryAfterSeconds: 0 });
    await limiter.hit('k', 5);
    await limiter.hit('k', 5);
    expect(await limiter.peek('k')).toEqual({ count: 2, retryAfterSeconds: 60 });
    expect(await limiter.peek('k')).toEqual({ count: 2, retryAfterSeconds: 60 });
    t += 60_000;
    expect((await limiter.peek('k')).count).toBe(0);
    await limiter.close();
  });
});
