import { join } from 'node:path';
import type { DatabaseTarget } from '@civic/db/config';
import { newTestTarget, removeTarget } from '@civic/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entries, freePort, launch, stopProcess, waitReady } from '../src/processes.ts';
import {
  cacheableSeed,
  openSubgraphDatabase,
  prepareSeededTarget,
  type SubgraphDatabase,
  seedCacheEnabled,
} from '../src/seed-cache.ts';

async function withDatabase<T>(target: DatabaseTarget, fn: (sql: SubgraphDatabase) => Promise<T>): Promise<T> {
  const db = await openSubgraphDatabase('engagement', target);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** Rows in every table of the public schema, by table. */
async function rowCounts(sql: SubgraphDatabase): Promise<Record<string, number>> {
  const tables = await sql.query<{ name: string }>(
    `select c.relname as name from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
     order by c.relname`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await sql.query<{ n: number }>(`select count(*)::int as n from "${name}"`);
    counts[name] = row?.n ?? 0;
  }
  return counts;
}

describe('which stacks use the cache', () => {
  it('is on only when CIVIC_TEST_STACK_CACHE=1 asks for it', () => {
    expect(seedCacheEnabled({ VITEST: 'true' })).toBe(false);
    expect(seedCacheEnabled({ VITEST: 'true', CIVIC_TEST_STACK_CACHE: '1' })).toBe(true);
    expect(seedCacheEnabled({ VITEST: 'true', CIVIC_TEST_STACK_CACHE: '0' })).toBe(false);
    expect(seedCacheEnabled({})).toBe(false);
    expect(seedCacheEnabled({ CIVIC_TEST_STACK_CACHE: '1' })).toBe(true);
  });

  it('keys on the seed; variables that may change what is stored bypass it', () => {
    expect(cacheableSeed(undefined, {})).toBe('demo');
    expect(cacheableSeed('none', {})).toBe('none');
    expect(cacheableSeed('demo', { CIVIC_SEED: 'reference' })).toBe('reference');
    expect(cacheableSeed('demo', { SMTP_URL: 'smtp://127.0.0.1:2525', INITIATIVES_MEASURE_REFRESH: 'false' })).toBe(
      'demo',
    );
    expect(cacheableSeed('demo', { ENGAGEMENT_DATABASE_URL: 'postgres://127.0.0.1/x' })).toBeUndefined();
    expect(cacheableSeed('demo', { FOLLOW_DIGEST_CRON: '* * * * *' })).toBeUndefined();
    expect(cacheableSeed('demo', { CIVIC_SEED: 'scale' })).toBeUndefined();
  });
});

describe("engagement's demo database from the cache", () => {
  const copies = [newTestTarget('engagement'), newTestTarget('engagement')];
  const log: string[] = [];

  beforeAll(async () => {
    // Two stacks asking at once: one build (or none, if this run built it already), two copies.
    const served = await Promise.all(
      copies.map((target) => prepareSeededTarget('engagement', 'demo', target, (line) => log.push(line))),
    );
    expect(log.filter((line) => !line.includes('built'))).toEqual([]);
    expect(served).toEqual([true, true]);
    expect(log.filter((line) => line.includes('built')).length).toBeLessThanOrEqual(1);
  });
  afterAll(async () => {
    await Promise.all(copies.map((target) => removeTarget(target)));
  });

  it('is seeded once and taken after the background work: aligned, no job waiting or running', async () => {
    await withDatabase(copies[0] as DatabaseTarget, async (sql) => {
      const seeded = await sql.query('select 1 from "_civic_meta" where key = $1', ['demo_seeded_at']);
      expect(seeded).toHaveLength(1);
      const [concerns] = await sql.query<{ all: number; pending: number; tagged: number }>(
        `select count(*)::int as all, count(*) filter (where "alignmentPendingSince" is not null)::int as pending,
                count(*) filter (where cardinality("themes") > 0)::int as tagged from "Concern"`,
      );
      expect(concerns?.all).toBeGreaterThan(0);
      expect(concerns?.pending).toBe(0);
      expect(concerns?.tagged).toBeGreaterThan(0);
      for (const schema of ['engagement_jobs', 'engagement_notify']) {
        const [jobs] = await sql.query<{ n: number }>(
          `select count(*)::int as n from "${schema}".job where state::text in ('created', 'retry', 'active')`,
        );
        expect(jobs?.n, schema).toBe(0);
      }
    });
  });

  it('a subgraph started on a copy neither seeds again nor changes a row count', async () => {
    const target = copies[0] as DatabaseTarget;
    const before = await withDatabase(target, rowCounts);
    const port = await freePort();
    const proc = launch('engagement', entries.subgraph('engagement'), {
      NODE_ENV: 'development',
      CIVIC_SEED: 'demo',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      CIVIC_GATEWAY_URL: 'http://127.0.0.1:9/graphql',
      ENGAGEMENT_PORT: String(port),
      ENGAGEMENT_HOST: '127.0.0.1',
      ...(target.kind === 'postgres'
        ? { ENGAGEMENT_DATABASE_URL: target.url }
        : { CIVIC_DATA_DIR: join(target.dataDir, '..') }),
    });
    try {
      await waitReady(`http://127.0.0.1:${port}/ready`, proc, 300_000);
      const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ concerns(first: 1) { totalCount } }' }),
      });
      const body = (await response.json()) as { data?: { concerns: { totalCount: number } } };
      expect(body.data?.concerns.totalCount).toBeGreaterThan(0);
    } finally {
      expect(await stopProcess(proc, 'SIGTERM', 120_000)).toBe(0);
    }
    expect(await withDatabase(target, rowCounts)).toEqual(before);
  });

  it('copies are independent of each other', async () => {
    const [first, second] = copies as [DatabaseTarget, DatabaseTarget];
    await withDatabase(first, (sql) =>
      sql.query('insert into "_civic_meta" (key, value) values ($1, $2)', ['seed-cache-test', 'first']),
    );
    const inSecond = await withDatabase(second, (sql) =>
      sql.query('select 1 from "_civic_meta" where key = $1', ['seed-cache-test']),
    );
    expect(inSecond).toHaveLength(0);
  });
});
