import { Redis } from 'ioredis';

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window resets. */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Counts one operation against `key` (fixed window). */
  hit(key: string, limit: number): Promise<RateDecision>;
  /** What `key` has counted in its current window, without counting (0 when none). */
  peek(key: string): Promise<{ count: number; retryAfterSeconds: number }>;
  /** Where the counters live, and whether that store answers now (reported by /health). */
  store: 'memory' | 'redis';
  reachable(): Promise<boolean>;
  close(): Promise<void>;
}

function decide(count: number, limit: number, msLeft: number): RateDecision {
  return {
    allowed: count <= limit,
    limit,
    remaining: Math.max(0, limit - count),
    retryAfterSeconds: Math.max(1, Math.ceil(msLeft / 1000)),
  };
}

/** One process's counters; enough for a single gateway instance. */
export function memoryRateLimiter(windowMs: number, now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { count: number; resetAt: number }>();
  const sweep = setInterval(() => {
    const t = now();
    for (const [key, w] of windows) if (w.resetAt <= t) windows.delete(key);
  }, windowMs);
  sweep.unref();
  return {
    async hit(key, limit) {
      const t = now();
      let w = windows.get(key);
      if (!w || w.resetAt <= t) {
        w = { count: 0, resetAt: t + windowMs };
        windows.set(key, w);
      }
      w.count++;
      return decide(w.count, limit, w.resetAt - t);
    },
    async peek(key) {
      const t = now();
      const w = windows.get(key);
      if (!w || w.resetAt <= t) return { count: 0, retryAfterSeconds: 0 };
      return { count: w.count, retryAfterSeconds: Math.max(1, Math.ceil((w.resetAt - t) / 1000)) };
    },
    store: 'memory',
    async reachable() {
      return true;
    },
    async close() {
      clearInterval(sweep);
    },
  };
}

// INCR and set the expiry on the first hit in one round trip, so every instance shares the window.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}`;

const PEEK_SCRIPT = `
local count = tonumber(redis.call('GET', KEYS[1]) or '0')
return {count, redis.call('PTTL', KEYS[1])}`;

/** Counters in Redis, shared by every gateway instance. */
export function redisRateLimiter(url: string, windowMs: number, prefix = 'civic:rate:'): RateLimiter {
  const redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
  return {
    async hit(key, limit) {
      const [count, ttl] = (await redis.eval(HIT_SCRIPT, 1, `${prefix}${key}`, String(windowMs))) as [number, number];
      return decide(count, limit, ttl);
    },
    async peek(key) {
      const [count, ttl] = (await redis.eval(PEEK_SCRIPT, 1, `${prefix}${key}`)) as [number, number];
      return { count, retryAfterSeconds: count > 0 ? Math.max(1, Math.ceil(Math.max(ttl, 0) / 1000)) : 0 };
    },
    store: 'redis',
    async reachable() {
      const pong = redis.ping().then(
        (answer) => answer === 'PONG',
        () => false,
      );
      const late = new Promise<boolean>((resolve) => setTimeout(resolve, 500, false).unref());
      return Promise.race([pong, late]);
    },
    async close() {
      redis.disconnect();
    },
  };
}
