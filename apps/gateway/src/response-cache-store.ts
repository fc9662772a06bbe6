import type { PreparedAnswer } from '@civic/server-kit/http';
import { Redis } from 'ioredis';

/**
 * A cached answer: the JSON of the execution result, as the client receives it. Server-kit keeps
 * its bytes and compressed forms on it once sent (PreparedAnswer), so the in-process store's hits
 * encode nothing again.
 */
export interface CachedAnswer extends PreparedAnswer {
  readonly text: string;
}

/**
 * Where cached answers live. `begin` returns a sequence number read before the answer was computed;
 * `store` refuses an answer any of whose tags was invalidated after it (a write that finished while
 * the query ran), so an answer computed before a write is never stored after the write's invalidation.
 */
export interface ResponseCacheStore {
  get(key: string): Promise<{ answer: CachedAnswer } | { sequence: number }>;
  store(key: string, answer: CachedAnswer, tags: string[], sequence: number): Promise<boolean>;
  /** Deletes every answer stored under any of `tags`. */
  invalidate(tags: string[]): Promise<void>;
  close(): Promise<void>;
}

/** Every answer is also stored under this tag, so a write that names nothing clears everything. */
export const ALL_TAG = '*';

interface MemoryEntry {
  answer: CachedAnswer;
  tags: string[];
  bytes: number;
  expiresAt: number;
}

/**
 * One process's answers, least recently used first out, bounded in bytes (the JSON's length three
 * times: twice for the string as UTF-16, once for its bytes as sent, which also covers its much
 * smaller compressed forms; plus the keys). Enough for one gateway instance; several need Redis.
 */
export function memoryResponseCache(
  options: { maxBytes: number; ttlMs: number },
  now: () => number = Date.now,
): ResponseCacheStore {
  const entries = new Map<string, MemoryEntry>();
  const tagged = new Map<string, Set<string>>();
  const invalidatedAt = new Map<string, number>();
  let bytes = 0;
  let sequence = 0;

  const remove = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    bytes -= entry.bytes;
    for (const tag of entry.tags) {
      const keys = tagged.get(tag);
      keys?.delete(key);
      if (keys?.size === 0) tagged.delete(tag);
    }
  };

  return {
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return { sequence };
      if (entry.expiresAt <= now()) {
        remove(key);
        return { sequence };
      }
      // Map order is recency: move the entry to the end.
      entries.delete(key);
      entries.set(key, entry);
      return { answer: entry.answer };
    },
    async store(key, answer, tags, startedSequence) {
      if (tags.some((tag) => (invalidatedAt.get(tag) ?? 0) > startedSequence)) return false;
      const size = 3 * answer.text.length + 2 * key.length + tags.reduce((sum, t) => sum + 2 * t.length + 64, 0);
      if (size > options.maxBytes / 4) return false;
      remove(key);
      while (bytes + size > options.maxBytes) {
        const oldest = entries.keys().next().value;
        if (oldest === undefined) break;
        remove(oldest);
      }
      entries.set(key, { answer, tags, bytes: size, expiresAt: now() + options.ttlMs });
      bytes += size;
      for (const tag of tags) {
        const keys = tagged.get(tag) ?? new Set<string>();
        tagged.set(tag, keys);
        keys.add(key);
      }
      return true;
    },
    async invalidate(tags) {
      sequence++;
      for (const tag of tags) {
        invalidatedAt.set(tag, sequence);
        for (const key of [...(tagged.get(tag) ?? [])]) remove(key);
      }
      // Only answers computed while an invalidation ran need its mark; old marks are dropped in bulk.
      if (invalidatedAt.size > 10_000) invalidatedAt.clear();
    },
    async close() {
      entries.clear();
      tagged.clear();
    },
  };
}

// Answer, or the invalidation sequence the caller must hand back to STORE.
const GET_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if v then return {1, v} end
return {0, redis.call('GET', KEYS[2]) or '0'}`;

// KEYS: entry, sequence. ARGV: prefix, ttl ms, text, sequence read before computing, tags...
const STORE_SCRIPT = `
local prefix = ARGV[1]
for i = 5, #ARGV do
  local mark = tonumber(redis.call('GET', prefix .. 'i:' .. ARGV[i]) or '0')
  if mark > tonumber(ARGV[4]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[2])
for i = 5, #ARGV do
  local set = prefix .. 't:' .. ARGV[i]
  redis.call('SADD', set, KEYS[1])
  redis.call('PEXPIRE', set, ARGV[2])
end
return 1`;

// KEYS: sequence. ARGV: prefix, mark lifetime ms, tags...
const INVALIDATE_SCRIPT = `
local prefix = ARGV[1]
local sequence = redis.call('INCR', KEYS[1])
for i = 3, #ARGV do
  local set = prefix .. 't:' .. ARGV[i]
  local keys = redis.call('SMEMBERS', set)
  for j = 1, #keys, 500 do
    redis.call('DEL', unpack(keys, j, math.min(j + 499, #keys)))
  end
  redis.call('DEL', set)
  redis.call('SET', prefix .. 'i:' .. ARGV[i], sequence, 'PX', ARGV[2])
end
return sequence`;

/**
 * Answers in Redis, shared by every gateway instance: `<prefix>e:<key>` holds an answer (with the
 * TTL), `<prefix>t:<tag>` the set of answer keys under a tag, `<prefix>i:<tag>` the sequence number
 * of the tag's last invalidation, `<prefix>seq` the sequence. An invalidation deletes the answers
 * of its tags in one script, so every instance misses them from then on.
 */
export function redisResponseCache(url: string, options: { ttlMs: number; prefix: string }): ResponseCacheStore {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
  const { prefix, ttlMs } = options;
  const entryKey = (key: string) => `${prefix}e:${key}`;
  return {
    async get(key) {
      const [found, value] = (await redis.eval(GET_SCRIPT, 2, entryKey(key), `${prefix}seq`)) as [number, string];
      return found === 1 ? { answer: { text: value } } : { sequence: Number(value) };
    },
    async store(key, answer, tags, sequence) {
      const stored = await redis.eval(
        STORE_SCRIPT,
        2,
        entryKey(key),
        `${prefix}seq`,
        prefix,
        String(ttlMs),
        answer.text,
        String(sequence),
        ...tags,
      );
      return stored === 1;
    },
    async invalidate(tags) {
      if (tags.length === 0) return;
      // A mark must outlive any query that started before it (at most the subgraph timeout).
      await redis.eval(INVALIDATE_SCRIPT, 1, `${prefix}seq`, prefix, String(Math.max(ttlMs, 60_000)), ...tags);
    },
    async close() {
      redis.disconnect();
    },
  };
}
