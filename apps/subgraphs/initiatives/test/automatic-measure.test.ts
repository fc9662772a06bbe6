import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createLogger } from '@civic/server-kit/logger';
import { identities, startTestSubgraph, type TestSubgraph } from '@civic/test-stack/subgraph';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InitiativesPrisma } from '../src/db.ts';
import {
  gatewayConversationStats,
  refreshAllAutomaticMeasures,
  startMeasureRefresher,
} from '../src/domain/measure-refresh.ts';
import { createInitiativesSubgraph } from '../src/subgraph.ts';
import { COMMS, errorCode, type Loose, ok, POLICE } from './helpers.ts';

/** A stand-in for the engagement service behind the gateway: the real conversationStats contract over HTTP. */
const typeDefs = `#graphql
  type ConversationMonth { month: String! published: Int! }
  type Query { conversationStats(from: String, to: String): [ConversationMonth!]! }
`;
let months: { month: string; published: number }[] = [];
let failing = false;
let calls = 0;
const engagement = new ApolloServer({
  typeDefs,
  resolvers: {
    Query: {
      conversationStats: () => {
        calls++;
        if (failing) throw new GraphQLError('engagement database unavailable');
        return months;
      },
    },
  },
});

let url: string;
let subgraph: TestSubgraph<InitiativesPrisma>;
let measureId: string;

beforeAll(async () => {
  ({ url } = await startStandaloneServer(engagement, { listen: { port: 0, host: '127.0.0.1' } }));
  subgraph = await startTestSubgraph(
    createInitiativesSubgraph({ conversationStats: gatewayConversationStats(url, 2_000) }),
    { seed: true },
  );
  const measure = await subgraph.prisma.measure.findFirstOrThrow({
    where: { initiative: { code: '3.13' }, name: 'Community Conversations Uploaded' },
  });
  measureId = measure.id;
});
afterAll(async () => {
  await subgraph?.stop();
  await engagement.stop();
});
beforeEach(() => {
  failing = false;
});

const REFRESH = `mutation ($id: ID!) { refreshMeasure(id: $id) {
  months measure { refreshedAt latest { period value note automatic } trend } } }`;

const series = async () =>
  (
    await subgraph.prisma.observation.findMany({
      where: { measureId },
      orderBy: { period: 'asc' },
      select: { period: true, value: true, automatic: true, note: true, sourceUrl: true },
    })
  ).map((o) => [o.period, o.value, o.automatic]);

/** The gateway cache tags recorded so far, oldest first. */
const invalidations = async () =>
  (
    await subgraph.db.sql.query<{ tags: string[] }>(
      `SELECT to_jsonb("tags") AS "tags" FROM "CacheInvalidation" ORDER BY "seq"`,
    )
  ).map((r) => r.tags);

describe('the automatic measure "Community Conversations Uploaded" (3.13)', () => {
  it('is seeded as automatic from engagement', async () => {
    const data = ok(
      await subgraph.execute<Loose>('{ initiative(code: "3.13") { measures { name automaticSource refreshedAt } } }'),
    );
    expect(data.initiative.measures[0]).toEqual({
      name: 'Community Conversations Uploaded',
      automaticSource: 'ENGAGEMENT_PUBLISHED_CONVERSATIONS',
      refreshedAt: null,
    });
  });

  it('refreshMeasure writes one observation per month from the published conversations', async () => {
    months = [
      { month: '2023-12', published: 2 },
      { month: '2026-10', published: 4 },
      { month: '2026-11', published: 7 },
    ];
    const data = ok(await subgraph.execute<Loose>(REFRESH, { id: measureId }, identities.staff(COMMS)));
    expect(data.refreshMeasure.months).toBe(3);
    expect(data.refreshMeasure.measure.refreshedAt).not.toBeNull();
    expect(data.refreshMeasure.measure.latest).toEqual({
      period: '2026-11',
      value: 7,
      note: 'automatic: published conversations',
      automatic: true,
    });
    expect(data.refreshMeasure.measure.trend).toBe('IMPROVING');
    expect(await series()).toEqual([
      ['2023-07', 1, false],
      ['2023-08', 9, false],
      ['2023-09', 2, false],
      ['2023-10', 1, false],
      ['2023-11', 3, false],
      ['2023-12', 2, true],
      ['2026-10', 4, true],
      ['2026-11', 7, true],
    ]);
  });

  it('is idempotent: the same months are updated, not duplicated', async () => {
    months = [{ month: '2026-11', published: 8 }];
    ok(await subgraph.execute(REFRESH, { id: measureId }, identities.admin()));
    const rows = await series();
    expect(rows).toHaveLength(8);
    expect(rows.at(-1)).toEqual(['2026-11', 8, true]);
    const audits = await subgraph.prisma.auditEntry.findMany({
      where: { action: 'measure.refresh', subjectId: measureId },
    });
    expect(audits.map((a) => a.actor).sort()).toEqual(['admin:admin-1', 'staff:staff-1']);
  });

  it('leaves the series untouched when engagement fails or the gateway is down', async () => {
    const before = await series();
    const recorded = (await invalidations()).length;
    failing = true;
    const failed = await subgraph.execute(REFRESH, { id: measureId }, identities.staff(COMMS));
    expect(failed.errors?.length).toBeGreaterThan(0);
    expect(failed.data).toBeNull();
    expect(await series()).toEqual(before);
    expect(await invalidations()).toHaveLength(recorded);

    const down = await startTestSubgraph(
      createInitiativesSubgraph({ conversationStats: gatewayConversationStats('http://127.0.0.1:9/graphql', 1_000) }),
      { seed: true },
    );
    try {
      const measure = await down.prisma.measure.findFirstOrThrow({ where: { automaticSource: { not: null } } });
      const count = await down.prisma.observation.count({ where: { measureId: measure.id } });
      const result = await down.execute(REFRESH, { id: measure.id }, identities.admin());
      expect(result.errors?.length).toBeGreaterThan(0);
      expect(await down.prisma.observation.count({ where: { measureId: measure.id } })).toBe(count);
      expect((await down.prisma.measure.findUniqueOrThrow({ where: { id: measure.id } })).refreshedAt).toBeNull();
    } finally {
      await down.stop();
    }
  });

  it('only the lead department or an administrator may refresh it', async () => {
    const callsBefore = calls;
    expect(errorCode(await subgraph.execute(REFRESH, { id: measureId }, identities.staff(POLICE)))).toBe('FORBIDDEN');
    expect(errorCode(await subgraph.execute(REFRESH, { id: measureId }, identities.public))).toBe('UNAUTHENTICATED');
    expect(calls).toBe(callsBefore);
  });

  it('refuses to refresh a measure without an automatic source', async () => {
    const manual = await subgraph.prisma.measure.findFirstOrThrow({ where: { initiative: { code: '3.11' } } });
    const result = await subgraph.execute(REFRESH, { id: manual.id }, identities.staff(COMMS));
    expect(errorCode(result)).toBe('BAD_USER_INPUT');
  });

  it('the background refresher reads the source on its timer and keeps going after a failure', async () => {
    const logger = createLogger('initiatives', 'error');
    failing = true;
    expect(await refreshAllAutomaticMeasures(subgraph.prisma, gatewayConversationStats(url, 2_000), logger)).toBe(0);
    failing = false;
    months = [{ month: '2026-12', published: 3 }];
    const refresher = startMeasureRefresher({
      prisma: subgraph.prisma,
      conversationStats: gatewayConversationStats(url, 2_000),
      logger,
      intervalMs: 60_000,
      initialDelayMs: 0,
    });
    try {
      await expect
        .poll(async () => (await series()).at(-1), { timeout: 10_000, interval: 100 })
        .toEqual(['2026-12', 3, true]);
      // No gateway mutation announces a timer's refresh: it records what the gateways' caches must clear,
      // the measure and the observation it wrote, changed in place (not every list of measures).
      const december = await subgraph.prisma.observation.findFirstOrThrow({ where: { measureId, period: '2026-12' } });
      await expect
        .poll(async () => (await invalidations()).at(-1), { timeout: 10_000, interval: 100 })
        .toEqual([`=Measure:${measureId}`, `=Observation:${december.id}`]);
    } finally {
      refresher.stop();
    }
  });

  it('a refresh that reads what is stored records no invalidation (cached answers stay)', async () => {
    const logger = createLogger('initiatives', 'error');
    months = [
      { month: '2026-11', published: 8 },
      { month: '2026-12', published: 3 },
    ];
    const before = await invalidations();
    const stored = await series();
    expect(await refreshAllAutomaticMeasures(subgraph.prisma, gatewayConversationStats(url, 2_000), logger)).toBe(1);
    ok(await subgraph.execute(REFRESH, { id: measureId }, identities.admin()));
    expect(await series()).toEqual(stored);
    expect(await invalidations()).toEqual(before);
    // One month read differently: that observation and its measure, nothing else.
    months = [
      { month: '2026-11', published: 9 },
      { month: '2026-12', published: 3 },
    ];
    ok(await subgraph.execute(REFRESH, { id: measureId }, identities.admin()));
    const november = await subgraph.prisma.observation.findFirstOrThrow({ where: { measureId, period: '2026-11' } });
    expect(await invalidations()).toEqual([...before, [`=Measure:${measureId}`, `=Observation:${november.id}`]]);
  });
});
