import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, test } from 'vitest';
import { ALL_TAG, memoryResponseCache, type ResponseCacheStore, redisResponseCache } from './response-cache-store.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `civic-test:cache-unit:${randomBytes(6).toString('hex')}:`;

afterAll(async () => {
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

const answer = (text: string) => ({ text });
const LONG = { ttlMs: 60_000, staleMs: 0, refreshMs: 10_000 };

/** A new Redis store refuses commands until it is connected (it fails fast rather than queueing). */
async function connected(store: ResponseCacheStore): Promise<ResponseCacheStore> {
  for (let i = 0; i < 50; i++) {
    if (
      await store.get('probe').then(
        () => true,
        () => false,
      )
    )
      return store;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('Redis did not connect');
}

async function sequenceOf(store: ResponseCacheStore, key: string): Promise<number> {
  const found = await store.get(key);
  if (!('sequence' in found)) throw new Error(`${key} is cached`);
  return found.sequence;
}

describe.each([
  ['memory', () => memoryResponseCache({ maxBytes: 1_000_000, ...LONG })],
  ['redis', () => connected(redisResponseCache(REDIS_URL, { ...LONG, prefix }))],
])('%s store', (_name, open) => {
  test('stores, invalidates by tag only what holds it, and everything by the ALL tag', async () => {
    const store = await open();
    try {
      await store.store('a', answer('{"a":1}'), [ALL_TAG, 'Concern:1'], await sequenceOf(store, 'a'));
      await store.store('b', answer('{"b":1}'), [ALL_TAG, 'Concern:2'], await sequenceOf(store, 'b'));
      expect(await store.get('a')).toMatchObject({ answer: { text: '{"a":1}' } });
      await store.invalidate(['Concern:1']);
      expect(await store.get('a')).toHaveProperty('sequence');
      expect(await store.get('b')).toMatchObject({ answer: { text: '{"b":1}' } });
      await store.invalidate([ALL_TAG]);
      expect(await store.get('b')).toHaveProperty('sequence');
    } finally {
      await store.close();
    }
  });

  test('an answer computed before an invalidation of one of its tags is not stored after it', async () => {
    const store = await open();
    try {
      const started = await sequenceOf(store, 'c');
      await store.invalidate(['Concern:3']);
      expect(await store.store('c', answer('{"stale":true}'), [ALL_TAG, 'Concern:3'], started)).toBe(false);
      expect(await store.get('c')).toHaveProperty('sequence');
      // A tag nobody invalidated meanwhile stores fine.
      expect(await store.store('c', answer('{"ok":true}'), [ALL_TAG, 'Concern:4'], started)).toBe(true);
    } finally {
      await store.close();
    }
  });
});

test('the memory store drops the least recently used answers beyond its bytes', async () => {
  // Each answer counts 370 bytes (3 per character of text, 2 per character of key, 66 for its tag): four fit.
  const store = memoryResponseCache({ maxBytes: 1_500, ...LONG });
  const text = 'x'.repeat(100);
  for (const key of ['k1', 'k2', 'k3']) await store.store(key, answer(text), [ALL_TAG], 0);
  await store.get('k1');
  for (const key of ['k4', 'k5']) await store.store(key, answer(text), [ALL_TAG], 0);
  expect(await store.get('k3')).toHaveProperty('answer');
  expect(await store.get('k1')).toHaveProperty('answer');
  expect(await store.get('k2')).toHaveProperty('sequence');
});

test('the memory store expires answers after the TTL', async () => {
  let now = 1_000;
  const store = memoryResponseCache({ maxBytes: 100_000, ttlMs: 5_000, staleMs: 0, refreshMs: 1_000 }, () => now);
  await store.store('k', answer('{}'), [ALL_TAG], 0);
  now += 4_999;
  expect(await store.get('k')).toEqual({ answer: answer('{}') });
  now += 2;
  expect(await store.get('k')).toHaveProperty('sequence');
  expect(await store.get('k')).toHaveProperty('sequence');
});

test('the memory store serves a stale answer while one caller recomputes it, until the grace ends', async () => {
  let now = 1_000;
  const store = memoryResponseCache({ maxBytes: 100_000, ttlMs: 5_000, staleMs: 5_000, refreshMs: 1_000 }, () => now);
  await store.store('k', answer('{"v":1}'), [ALL_TAG, 'Concern:1'], 0);
  now += 5_001;
  // The first caller past the TTL recomputes; the others meanwhile get the stale answer.
  const refresher = await store.get('k');
  expect(refresher).toHaveProperty('sequence');
  expect(await store.get('k')).toEqual({ answer: answer('{"v":1}'), stale: true });
  // A refresher that never stores (its request failed) is replaced after refreshMs.
  now += 1_001;
  expect(await store.get('k')).toHaveProperty('sequence');
  expect(await store.get('k')).toHaveProperty('stale', true);
  await store.store('k', answer('{"v":2}'), [ALL_TAG, 'Concern:1'], (refresher as { sequence: number }).sequence);
  expect(await store.get('k')).toEqual({ answer: answer('{"v":2}') });
  // An invalidated answer is gone, never served stale.
  now += 6_000;
  await store.get('k');
  await store.invalidate(['Concern:1']);
  expect(await store.get('k')).toHaveProperty('sequence');
  // Past the grace, a miss for every caller.
  await store.store('k', answer('{"v":3}'), [ALL_TAG], await sequenceOf(store, 'k'));
  now += 10_001;
  expect(await store.get('k')).toHaveProperty('sequence');
  expect(await store.get('k')).toHaveProperty('sequence');
});

test('the Redis store serves a stale answer to every instance while one caller recomputes it', async () => {
  const times = { ttlMs: 300, staleMs: 5_000, refreshMs: 2_000, prefix: `${prefix}swr:` };
  const a = await connected(redisResponseCache(REDIS_URL, times));
  const b = await connected(redisResponseCache(REDIS_URL, times));
  try {
    await a.store('k', answer('{"v":1}'), [ALL_TAG, 'Concern:9'], await sequenceOf(a, 'k'));
    expect(await b.get('k')).toEqual({ answer: answer('{"v":1}') });
    await new Promise((r) => setTimeout(r, 400));
    const refresher = await a.get('k');
    expect(refresher).toHaveProperty('sequence');
    expect(await b.get('k')).toEqual({ answer: answer('{"v":1}'), stale: true });
    expect(await a.get('k')).toEqual({ answer: answer('{"v":1}'), stale: true });
    await a.store('k', answer('{"v":2}'), [ALL_TAG, 'Concern:9'], (refresher as { sequence: number }).sequence);
    expect(await b.get('k')).toEqual({ answer: answer('{"v":2}') });
    await new Promise((r) => setTimeout(r, 400));
    await b.invalidate(['Concern:9']);
    expect(await a.get('k')).toHaveProperty('sequence');
  } finally {
    await a.close();
    await b.close();
  }
});
