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
  /**
   * A fresh answer; or one past its TTL but within its grace (`stale`), while another caller
   * recomputes it; or the sequence to store a new answer with (a miss, or this caller was chosen
   * to recompute a stale answer: one caller per answer at a time, for at most `refreshMs`).
   */
  get(key: string): Promise<{ answer: CachedAnswer; stale?: true } | { sequence: number }>;
  store(key: string, answer: CachedAnswer, tags: string[], sequence: number): Promise<boolean>;
  /** Deletes every answer stored under any of `tags`. */
  invalidate(tags: string[]): Promise<void>;
  close(): Promise<void>;
}

/** Every answer is also stored under this tag, so a write that names nothing clears everything. */
export const ALL_TAG = '*';

export interface ResponseCacheTimes {
  /** How long an answer is fresh. */
  ttlMs: number;
  /**
   * How long after that it may still be served while one caller recomputes it (stale-while-
   * revalidate): without it, every popular answer expiring at once sent its callers to the
   * subgraphs together. An invalidated answer is deleted, never served stale.
   */
  staleMs: number;
  /** How long the caller recomputing a stale answer has before another caller is chosen (its request timeout). */
  refreshMs: number;
}

interface MemoryEntry {
  answer: CachedAnswer;
  tags: string[];
  bytes: number;
  freshUntil: number;
  staleUntil: number;
  refreshingUntil: number;
}

/**
 * One process's answers, least recently used first out, bounded in bytes (the JSON's length three
 * times: twice for the string as UTF-16, once for its bytes as sent, which also covers its much
 * smaller compressed forms; plus the keys). Enough for one gateway instance; several need Redis.
 */
export function memoryResponseCache(
  options: { maxBytes: number } & ResponseCacheTimes,
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
      const time = now();
      if (entry.staleUntil <= time) {
        remove(key);
        return { sequence };
      }
      // Map order is recency: move the entry to the end.
      entries.delete(key);
      entries.set(key, entry);
      if (time < entry.freshUntil) return { answer: entry.answer };
      if (time < entry.refreshingUntil) return { answer: entry.answer, stale: true };
      entry.refreshingUntil = time + options.refreshMs;
      return { sequence };
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
      const freshUntil = now() + options.ttlMs;
      entries.set(key, {
        answer,
        tags,
        bytes: size,
        freshUntil,
        staleUntil: freshUntil + options.staleMs,
        refreshingUntil: 0,
      });
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

// KEYS: entry, sequence, fresh mark, refresh claim. ARGV: refresh ms.
// {1, answer} fresh; {2, answer} stale while another caller recomputes it; {0, sequence} a miss, or
// this caller claimed the recomputation, and must hand the sequence back to STORE.
const GET_SCRIPT = `
local v = redis.call('GET', KEYS[1])
if v then
  if redis.call('EXISTS', KEYS[3]) == 1 then return {1, v} end
  if not redis.call('SET', KEYS[4], '1', 'NX', 'PX', ARGV[1]) then return {2, v} end
end
return {0, redis.call('GET', KEYS[2]) or '0'}`;

// KEYS: entry, sequence, fresh mark, refresh claim. ARGV: prefix, ttl ms, text, sequence read before
// computing, stale ms, tags...
const STORE_SCRIPT = `
local prefix = ARGV[1]
for i = 6, #ARGV do
  local mark = tonumber(redis.call('GET', prefix .. 'i:' .. ARGV[i]) or '0')
  if mark > tonumber(ARGV[4]) then return 0 end
end
local lifetime = tonumber(ARGV[2]) + tonumber(ARGV[5])
redis.call('SET', KEYS[1], ARGV[3], 'PX', lifetime)
redis.call('SET', KEYS[3], '1', 'PX', ARGV[2])
redis.call('DEL', KEYS[4])
for i = 6, #ARGV do
  local set = prefix .. 't:' .. ARGV[i]
  redis.call('SADD', set, KEYS[1])
  redis.call('PEXPIRE', set, lifetime)
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
 * Answers in Redis, shared by every gateway instance: `<prefix>e:<key>` holds an answer (for its
 * TTL and grace), `<prefix>f:<key>` marks it fresh (for the TTL), `<prefix>r:<key>` is the claim of
 * the caller recomputing it once stale, `<prefix>t:<tag>` the set of answer keys under a tag,
 * `<prefix>i:<tag>` the sequence number of the tag's last invalidation, `<prefix>seq` the sequence.
 * An invalidation deletes the answers of its tags in one script, so every instance misses them from then on.
 */
export function redisResponseCache(url: string, options: { prefix: string } & ResponseCacheTimes): ResponseCacheStore {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
  const { prefix, ttlMs, staleMs, refreshMs } = options;
  const keysOf = (key: string) => [`${prefix}e:${key}`, `${prefix}seq`, `${prefix}f:${key}`, `${prefix}r:${key}`];
  return {
    async get(key) {
      const [found, value] = (await redis.eval(GET_SCRIPT, 4, ...keysOf(key), String(refreshMs))) as [number, string];
      if (found === 0) return { sequence: Number(value) };
      return found === 1 ? { answer: { text: value } } : { answer: { text: value }, stale: true };
    },
    async store(key, answer, tags, sequence) {
      const stored = await redis.eval(
        STORE_SCRIPT,
        4,
        ...keysOf(key),
        prefix,
        String(ttlMs),
        answer.text,
        String(sequence),
        String(staleMs),
        ...tags,
      );
      return stored === 1;
    },
    async invalidate(tags) {
      if (tags.length === 0) return;
      // A mark must outlive any query that started before it (at most the subgraph timeout).
      await redis.eval(
        INVALIDATE_SCRIPT,
        1,
        `${prefix}seq`,
        prefix,
        String(Math.max(ttlMs, refreshMs, 60_000)),
        ...tags,
      );
    },
    async close() {
      redis.disconnect();
    },
  };
}
