import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DatabaseTarget } from '@civic/db/config';
import { newTestTarget, prepareTestTarget, removeTarget, testDatabaseKind } from '@civic/db/testing';
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PUBLIC_IDENTITY, signIdentity } from '../src/identity.ts';
import {
  INVALIDATIONS_PATH,
  type InvalidationPage,
  pruneInvalidations,
  recordInvalidation,
} from '../src/invalidations.ts';
import { type RunningSubgraph, readSubgraphEnv, startSubgraph } from '../src/subgraph.ts';

// The table as the subgraphs create it: engagement's migration, applied by the real subgraph runner.
const MIGRATION = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../apps/subgraphs/engagement/prisma/migrations/20261203132000_cache_invalidations',
);
const secret = 'a-gateway-secret-for-the-server-kit-tests-0123';
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { hello: { type: GraphQLString, resolve: () => 'hi' } } }),
});

let running: RunningSubgraph<unknown>;
let target: DatabaseTarget;
let migrations: string;

beforeAll(async () => {
  target = newTestTarget('kit-invalidations');
  await prepareTestTarget(target);
  migrations = mkdtempSync(join(tmpdir(), 'civic-kit-invalidations-'));
  cpSync(MIGRATION, join(migrations, '20261203132000_cache_invalidations'), { recursive: true });
  const env = readSubgraphEnv('engagement', {
    NODE_ENV: 'production',
    ENGAGEMENT_PORT: '0',
    CIVIC_SEED: 'none',
    CIVIC_GATEWAY_SECRET: secret,
    LOG_LEVEL: 'error',
  });
  running = await startSubgraph(
    {
      name: 'engagement',
      schema,
      migrationsDir: migrations,
      createPrisma: () => ({ $disconnect: async () => {} }),
      createContext: (base) => base,
    },
    { env, target },
  );
});

afterAll(async () => {
  await running?.stop();
  if (target) await removeTarget(target);
  if (migrations) rmSync(migrations, { recursive: true, force: true });
});

async function feed(after?: number, signed = true): Promise<{ status: number; page: InvalidationPage }> {
  const url = `${running.http.url.replace(/\/graphql$/, '')}${INVALIDATIONS_PATH}${after === undefined ? '' : `?after=${after}`}`;
  const response = await fetch(url, { headers: signed ? signIdentity(secret, PUBLIC_IDENTITY, '') : {} });
  return { status: response.status, page: (await response.json()) as InvalidationPage };
}

describe('the invalidation feed of a subgraph', () => {
  test('answers only requests the gateway signed', async () => {
    expect((await feed(undefined, false)).status).toBe(401);
    const forged = await fetch(`${running.http.url.replace(/\/graphql$/, '')}${INVALIDATIONS_PATH}`, {
      headers: signIdentity('another-secret-of-at-least-thirty-two-chars', PUBLIC_IDENTITY, ''),
    });
    expect(forged.status).toBe(401);
    expect((await feed()).status).toBe(200);
  });

  test('a new reader gets the newest sequence number; then what committed after its place, in order', async () => {
    const start = (await feed()).page;
    expect(start.entries).toEqual([]);
    await running.db.sql.transaction((tx) => recordInvalidation(tx, ['Concern:a', 'Concern:b', 'Concern:a']));
    await running.db.sql.transaction((tx) => recordInvalidation(tx, ['Concern', 'ProposedCitywideConcern']));
    await running.db.sql.transaction((tx) => recordInvalidation(tx, []));
    const { page } = await feed(start.latest);
    expect(page.entries.map((e) => e.tags)).toEqual([
      ['Concern:a', 'Concern:b'],
      ['Concern', 'ProposedCitywideConcern'],
    ]);
    expect(page.latest).toBe(page.entries.at(-1)?.seq);
    expect((await feed(page.entries[0]?.seq)).page.entries.map((e) => e.seq)).toEqual([page.latest]);
    expect((await feed(page.latest)).page.entries).toEqual([]);
  });

  test('a write that rolls back records nothing', async () => {
    const before = (await feed()).page.latest;
    await expect(
      running.db.sql.transaction(async (tx) => {
        await recordInvalidation(tx, ['Measure:m1']);
        throw new Error('the write failed');
      }),
    ).rejects.toThrow('the write failed');
    expect((await feed(before)).page.entries).toEqual([]);
  });

  test('a second writer records after the first has committed, so sequence numbers appear in order', async () => {
    const before = (await feed()).page.latest;
    let releaseFirst: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    const order: string[] = [];
    const first = running.db.sql.transaction(async (tx) => {
      await recordInvalidation(tx, ['Service:first']);
      await held;
      order.push('first commits');
    });
    await new Promise((r) => setTimeout(r, 100));
    const second = running.db.sql.transaction(async (tx) => {
      await recordInvalidation(tx, ['Service:second']);
      order.push('second recorded');
    });
    await new Promise((r) => setTimeout(r, 300));
    // Until the first commits, the second waits (PostgreSQL: the advisory lock; PGlite: one connection,
    // which the feed would wait for too).
    expect(order).toEqual([]);
    if (testDatabaseKind() === 'postgres') expect((await feed(before)).page.entries).toEqual([]);
    releaseFirst();
    await Promise.all([first, second]);
    expect(order).toEqual(['first commits', 'second recorded']);
    expect((await feed(before)).page.entries.map((e) => e.tags)).toEqual([['Service:first'], ['Service:second']]);
  });

  test('old records are pruned, the newest always kept; a reader behind them sees it by `oldest`', async () => {
    await running.db.sql.transaction((tx) => recordInvalidation(tx, ['Goal:g1']));
    await running.db.sql.query(`UPDATE "CacheInvalidation" SET "at" = "at" - interval '2 hours'`);
    await pruneInvalidations(running.db.sql);
    const { page } = await feed(0);
    expect(page.entries.map((e) => e.tags)).toEqual([['Goal:g1']]);
    expect(page.oldest).toBe(page.latest);
    expect(page.oldest).toBeGreaterThan(1);
  });

  test('a bad `after` is refused', async () => {
    const response = await fetch(`${running.http.url.replace(/\/graphql$/, '')}${INVALIDATIONS_PATH}?after=-1`, {
      headers: signIdentity(secret, PUBLIC_IDENTITY, ''),
    });
    expect(response.status).toBe(400);
  });
});
