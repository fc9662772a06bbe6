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
  ['memory', () => memoryResponseCache({ maxBytes: 1_000_000, ttlMs: 60_000 })],
  ['redis', () => connected(redisResponseCache(REDIS_URL, { ttlMs: 60_000, prefix }))],
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
  // Each answer counts 270 bytes (2 per character of text and key, 66 for its tag).
  const store = memoryResponseCache({ maxBytes: 1_200, ttlMs: 60_000 });
  const text = 'x'.repeat(100);
  for (const key of ['k1', 'k2', 'k3']) await store.store(key, answer(text), [ALL_TAG], 0);
  await store.get('k1');
  for (const key of ['k4', 'k5']) await store.store(key, answer(text), [ALL_TAG], 0);
  expect(await store.get('k1')).toHaveProperty('answer');
  expect(await store.get('k2')).toHaveProperty('sequence');
});

test('the memory store expires answers after the TTL', async () => {
  let now = 1_000;
  const store = memoryResponseCache({ maxBytes: 100_000, ttlMs: 5_000 }, () => now);
  await store.store('k', answer('{}'), [ALL_TAG], 0);
  now += 4_999;
  expect(await store.get('k')).toHaveProperty('answer');
  now += 2;
  expect(await store.get('k')).toHaveProperty('sequence');
});
