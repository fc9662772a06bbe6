import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEPARTMENTS } from '@civic/reference-data/departments';
import { freePort, launch, type ManagedProcess, type Stack, stopProcess, waitReady } from '@civic/test-stack/stack';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, createApiKey, gql, metricsHeaders, productionStack, staffToken } from './helpers.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
/** This run's Redis keys (cache and rate limits), deleted afterwards. */
const REDIS_PREFIX = `civic-test:cache:${randomBytes(6).toString('hex')}:`;
const department = DEPARTMENTS[0]?.id as string;

const CONCERN_PAGE = `query ConcernPage($id: ID!) {
  concern(id: $id) { id summary status cityResponse themes followerCount neighborhood { id name } }
}`;
const GOALS = 'query Goals { goals { number title } }';
const CONCERNS_TOTAL = 'query ConcernsTotal { concerns(first: 50) { totalCount edges { node { id status } } } }';
const CREATE_CONVERSATION = `mutation Record($input: CreateConversationInput!) {
  createConversation(input: $input) { id concerns { id } }
}`;
const PUBLISH = 'mutation Publish($id: ID!) { publishConversation(id: $id) { id status } }';
/** Its answer names the conversation only: the gateway cannot tell which concerns it changed. */
const UPDATE_CONVERSATION = `mutation Update($id: ID!, $input: UpdateConversationInput!) {
  updateConversation(id: $id, input: $input) { id }
}`;
const CHANGE_STATUS = `mutation Status($id: ID!, $status: ConcernStatus!, $note: String!) {
  changeConcernStatus(concernId: $id, status: $status, publicNote: $note) { id status }
}`;

const MEASURES = `query Measures {
  initiative(code: "3.13") { id measures { id name refreshedAt observations { period value automatic } } }
}`;
/** The month the test conversations are held in, as the automatic measure counts them. */
const TEST_MONTH = '2026-11';
const STATS = `query Stats { conversationStats(from: "${TEST_MONTH}", to: "${TEST_MONTH}") { month published } }`;

type Measures = {
  initiative: {
    measures: { name: string; observations: { period: string; value: number; automatic: boolean }[] }[];
  };
};

type ConcernPage = {
  concern: { id: string; status: string; cityResponse: string | null; followerCount: number | null; themes: string[] };
};

let stack: Stack;
let staff: Record<string, string>;
let draftConcernId = '';

/** A published conversation's new concern (status NEW), by STAFF through the gateway. */
async function publicConcern(url: string, summary: string, themes?: string[]): Promise<string> {
  return (await publicConversation(url, summary, themes)).concernId;
}

async function publicConversation(
  url: string,
  summary: string,
  themes?: string[],
): Promise<{ conversationId: string; concernId: string }> {
  const created = await gql<{ createConversation: { id: string; concerns: { id: string }[] } }>(
    url,
    CREATE_CONVERSATION,
    {
      input: {
        title: `Cache test: ${summary}`,
        heldOn: '2026-11-20T18:00:00.000Z',
        format: 'IN_PERSON',
        concerns: [{ summary, moderation: 'ACCEPTED', ...(themes ? { themes } : {}) }],
      },
    },
    staff,
  );
  expect(created.body.errors).toBeUndefined();
  const conversation = created.body.data?.createConversation;
  const published = await gql(url, PUBLISH, { id: conversation?.id }, staff);
  expect(published.body.errors).toBeUndefined();
  return { conversationId: conversation?.id as string, concernId: conversation?.concerns[0]?.id as string };
}

const cacheOf = (response: { headers: Headers }) => response.headers.get('x-cache');

const ALIGNMENT_STATUS = 'query Engine { alignmentStatus { pendingJobs pendingConcerns } }';

/**
 * Waits until the alignment engine has tagged and regrouped what the test wrote, and the gateways have
 * read the invalidations it recorded (each reads the feeds every 0.5 s): until then, a cached answer
 * holding a new concern may be cleared at any moment.
 */
async function engineSettled(url: string): Promise<void> {
  const pending = async () => {
    const status = await gql<{ alignmentStatus: { pendingJobs: number; pendingConcerns: number } }>(
      url,
      ALIGNMENT_STATUS,
      {},
      staff,
    );
    const s = status.body.data?.alignmentStatus;
    return s ? s.pendingJobs + s.pendingConcerns : -1;
  };
  await expect.poll(pending, { timeout: 120_000, interval: 200 }).toBe(0);
  await new Promise((r) => setTimeout(r, 1_500));
}

async function cacheMetric(url: string, outcome: string): Promise<number> {
  const text = await (await fetch(url.replace(/\/graphql$/, '/metrics'), { headers: metricsHeaders })).text();
  const line = text.split('\n').find((l) => l.startsWith(`civic_gateway_response_cache_total{outcome="${outcome}"}`));
  return Number(line?.split(' ').at(-1) ?? 0);
}

beforeAll(async () => {
  // This gateway keeps its cache in memory (the default without REDIS_URL), long enough for every test.
  // The automatic measures refresh every 3 s: a background write that no gateway mutation announces.
  stack = await productionStack({
    env: { INITIATIVES_MEASURE_REFRESH_DELAY_MS: '0', INITIATIVES_MEASURE_REFRESH_INTERVAL_MS: '3000' },
    gatewayEnv: { RESPONSE_CACHE: 'on', RESPONSE_CACHE_TTL_SECONDS: '600' },
  });
  staff = bearer(await staffToken(stack, { role: 'STAFF', department, name: 'Cache Staff' }));
  const draft = await gql<{ createConversation: { concerns: { id: string }[] } }>(
    stack.gatewayUrl,
    CREATE_CONVERSATION,
    {
      input: {
        title: 'Cache test draft',
        heldOn: '2026-11-20T18:00:00.000Z',
        format: 'IN_PERSON',
        concerns: [{ summary: 'A draft concern only staff see', moderation: 'ACCEPTED', themes: ['HOUSING'] }],
      },
    },
    staff,
  );
  expect(draft.body.errors).toBeUndefined();
  draftConcernId = draft.body.data?.createConversation.concerns[0]?.id as string;
});

afterAll(async () => {
  await stack?.destroy();
});

describe('the response cache of one gateway (in memory)', () => {
  test('a repeated PUBLIC query is answered from the cache, and the metrics count it', async () => {
    const url = stack.gatewayUrl;
    const hitsBefore = await cacheMetric(url, 'hit');
    const first = await gql(url, GOALS);
    const second = await gql(url, GOALS);
    expect(first.body.errors).toBeUndefined();
    expect(cacheOf(first)).toBe('miss');
    expect(cacheOf(second)).toBe('hit');
    expect(second.body).toEqual(first.body);
    expect(await cacheMetric(url, 'hit')).toBe(hitsBefore + 1);
    // Cache-Control: no-cache asks for an answer computed now.
    expect(cacheOf(await gql(url, GOALS, {}, { 'cache-control': 'no-cache' }))).toBe('bypass');
  });

  test('a STAFF or PARTNER answer is never stored nor served to PUBLIC, nor a PUBLIC one to them', async () => {
    const url = stack.gatewayUrl;
    const id = await publicConcern(url, 'Cache test: streetlight out on the corner');
    await engineSettled(url);
    // STAFF first: its answer (followerCount is staff-only) must not be what PUBLIC then gets.
    const staffFirst = await gql<ConcernPage>(url, CONCERN_PAGE, { id }, staff);
    expect(staffFirst.body.data?.concern.followerCount).toBe(0);
    expect(cacheOf(staffFirst)).toBe('bypass');
    const publicFirst = await gql<ConcernPage>(url, CONCERN_PAGE, { id });
    expect(cacheOf(publicFirst)).toBe('miss');
    expect(publicFirst.body.data?.concern.followerCount).toBeNull();
    const publicAgain = await gql<ConcernPage>(url, CONCERN_PAGE, { id });
    expect(cacheOf(publicAgain)).toBe('hit');
    expect(publicAgain.body.data?.concern.followerCount).toBeNull();
    // Cached for PUBLIC, still computed for STAFF and PARTNER.
    const staffAgain = await gql<ConcernPage>(url, CONCERN_PAGE, { id }, staff);
    expect(cacheOf(staffAgain)).toBe('bypass');
    expect(staffAgain.body.data?.concern.followerCount).toBe(0);
    const partner = await createApiKey(stack, department, 'cache test');
    const partnerAnswer = await gql<ConcernPage>(url, CONCERN_PAGE, { id }, { 'x-api-key': partner.key });
    expect(cacheOf(partnerAnswer)).toBe('bypass');

    // A list: staff count the draft concern, PUBLIC never does, in either order.
    const publicList = await gql<{ concerns: { totalCount: number; edges: { node: { id: string } }[] } }>(
      url,
      CONCERNS_TOTAL,
    );
    const staffList = await gql<{ concerns: { totalCount: number; edges: { node: { id: string } }[] } }>(
      url,
      CONCERNS_TOTAL,
      {},
      staff,
    );
    const publicListAgain = await gql<{ concerns: { totalCount: number } }>(url, CONCERNS_TOTAL);
    expect(cacheOf(publicListAgain)).toBe('hit');
    expect(staffList.body.data?.concerns.totalCount).toBeGreaterThan(publicList.body.data?.concerns.totalCount ?? 0);
    expect(JSON.stringify(staffList.body)).toContain(draftConcernId);
    expect(publicListAgain.body.data?.concerns.totalCount).toBe(publicList.body.data?.concerns.totalCount);
    expect(JSON.stringify(publicListAgain.body)).not.toContain(draftConcernId);
  });

  test('a mutation invalidates exactly the answers holding what it changed', async () => {
    const url = stack.gatewayUrl;
    const changed = await publicConcern(url, 'Cache test: the sidewalk is broken');
    const unrelated = await publicConcern(url, 'Cache test: the park needs benches');
    await engineSettled(url);
    for (const query of [
      () => gql<ConcernPage>(url, CONCERN_PAGE, { id: changed }),
      () => gql<ConcernPage>(url, CONCERN_PAGE, { id: unrelated }),
      () => gql(url, GOALS),
      () => gql(url, CONCERNS_TOTAL),
    ]) {
      await query();
      expect(cacheOf(await query())).toBe('hit');
    }
    const status = await gql(
      url,
      CHANGE_STATUS,
      { id: changed, status: 'UNDER_REVIEW', note: 'Public works is reviewing this.' },
      staff,
    );
    expect(status.body.errors).toBeUndefined();

    const changedPage = await gql<ConcernPage>(url, CONCERN_PAGE, { id: changed });
    expect(cacheOf(changedPage)).toBe('miss');
    expect(changedPage.body.data?.concern).toMatchObject({
      status: 'UNDER_REVIEW',
      cityResponse: 'Public works is reviewing this.',
    });
    // Lists of concerns may hold it: recomputed.
    const list = await gql<{ concerns: { edges: { node: { id: string; status: string } }[] } }>(url, CONCERNS_TOTAL);
    expect(cacheOf(list)).toBe('miss');
    // Another concern's page and the plan's goals stay cached.
    expect(cacheOf(await gql(url, CONCERN_PAGE, { id: unrelated }))).toBe('hit');
    expect(cacheOf(await gql(url, GOALS))).toBe('hit');
  });

  test('a background measure refresh reaches a cached answer through the invalidation feed, long before the TTL', async () => {
    const url = stack.gatewayUrl;
    const published = async () => {
      const stats = await gql<{ conversationStats: { published: number }[] }>(
        url,
        STATS,
        {},
        { 'cache-control': 'no-cache' },
      );
      return stats.body.data?.conversationStats[0]?.published ?? 0;
    };
    // What PUBLIC is shown (cached for 600 s once computed): the measure's automatic count for the month.
    const shown = async () => {
      const answer = await gql<Measures>(url, MEASURES);
      const measure = answer.body.data?.initiative.measures.find((m) => m.name === 'Community Conversations Uploaded');
      return measure?.observations.find((o) => o.automatic && o.period === TEST_MONTH)?.value ?? 0;
    };
    await expect.poll(shown, { timeout: 60_000, interval: 250 }).toBe(await published());
    const before = await shown();
    await publicConcern(url, 'Cache test: a conversation the measure counts');
    expect(await published()).toBe(before + 1);
    // The conversation's mutation does not touch the measure; only the refresh's recorded invalidation does.
    const started = Date.now();
    await expect.poll(shown, { timeout: 20_000, interval: 100 }).toBe(before + 1);
    console.info(`measure refresh seen by PUBLIC ${Date.now() - started} ms after the publish (refresh every 3 s)`);
  });

  test('GET queries: Cache-Control public with an ETag and 304 for PUBLIC, no-store for staff', async () => {
    const search = new URLSearchParams({ query: GOALS, operationName: 'Goals' });
    const get = (headers: Record<string, string> = {}) =>
      fetch(`${stack.gatewayUrl}?${search}`, { headers: { 'apollo-require-preflight': 'true', ...headers } });
    const first = await get();
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const etag = first.headers.get('etag') as string;
    expect(etag).toMatch(/^".+"$/);
    const notModified = await get({ 'if-none-match': etag });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');
    const staffGet = await get(staff);
    expect(staffGet.status).toBe(200);
    expect(staffGet.headers.get('cache-control')).toBe('no-store');
    expect(staffGet.headers.get('etag')).toBeNull();
  });

  test('answers above 1 kB go out compressed to clients that accept it (br, else gzip), smaller ones as they are', async () => {
    const post = (query: string, encoding: string) =>
      fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-encoding': encoding },
        body: JSON.stringify({ query }),
      });
    const plain = await post(CONCERNS_TOTAL, 'identity');
    expect(plain.headers.get('content-encoding')).toBeNull();
    const expected = await plain.json();
    expect(JSON.stringify(expected).length).toBeGreaterThan(1024);
    for (const [accepts, encoding] of [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0, gzip;q=0.5', 'gzip'],
    ]) {
      const response = await post(CONCERNS_TOTAL, accepts as string);
      expect(response.headers.get('content-encoding'), accepts).toBe(encoding);
      expect(response.headers.get('vary')).toContain('accept-encoding');
      // fetch decodes it: the same answer.
      expect(await response.json()).toEqual(expected);
    }
    const small = await post('{ __typename }', 'br');
    expect(small.headers.get('content-encoding')).toBeNull();
  });
});

/** Gateways started beside the stack's, on the same subgraphs, sharing their cache in Redis. */
const extra: { proc: ManagedProcess; url: string; dir: string }[] = [];
/** Long: within a test, only an invalidation can make an answer change. */
const TTL_SECONDS = 300;

async function startRedisGateway(): Promise<string> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'civic-gw-cache-'));
  const proc = launch('gateway-cache', join(stack.processes.get('gateway')?.child.spawnargs.at(-1) ?? ''), {
    ...stack.gatewayEnv,
    GATEWAY_PORT: String(port),
    GATEWAY_DATABASE_URL: '',
    DATABASE_URL: '',
    CIVIC_DATA_DIR: dir,
    REDIS_URL,
    RATE_LIMIT_REDIS_PREFIX: `${REDIS_PREFIX}rate:`,
    RESPONSE_CACHE: 'on',
    RESPONSE_CACHE_REDIS_PREFIX: REDIS_PREFIX,
    RESPONSE_CACHE_TTL_SECONDS: String(TTL_SECONDS),
  });
  extra.push({ proc, url: `http://127.0.0.1:${port}/graphql`, dir });
  await waitReady(`http://127.0.0.1:${port}/ready`, proc);
  return `http://127.0.0.1:${port}/graphql`;
}

afterAll(async () => {
  for (const e of extra) {
    await stopProcess(e.proc);
    rmSync(e.dir, { recursive: true, force: true });
  }
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${REDIS_PREFIX}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  redis.disconnect();
});

describe('two gateway instances sharing the cache in Redis', () => {
  let a = '';
  let b = '';
  beforeAll(async () => {
    [a, b] = await Promise.all([startRedisGateway(), startRedisGateway()]);
  });

  test('an answer cached by one instance is served by the other, and a write through one is visible through the other at once', async () => {
    const id = await publicConcern(a, 'Cache test: the crosswalk signal is too short');
    await engineSettled(a);
    const onA = await gql<ConcernPage>(a, CONCERN_PAGE, { id });
    expect(cacheOf(onA)).toBe('miss');
    const onB = await gql<ConcernPage>(b, CONCERN_PAGE, { id });
    expect(cacheOf(onB)).toBe('hit');
    expect(onB.body).toEqual(onA.body);
    expect(onB.body.data?.concern.status).toBe('NEW');

    const status = await gql(a, CHANGE_STATUS, { id, status: 'UNDER_REVIEW', note: 'Transportation is on it.' }, staff);
    expect(status.body.errors).toBeUndefined();
    const afterWrite = await gql<ConcernPage>(b, CONCERN_PAGE, { id });
    expect(cacheOf(afterWrite)).toBe('miss');
    expect(afterWrite.body.data?.concern).toMatchObject({
      status: 'UNDER_REVIEW',
      cityResponse: 'Transportation is on it.',
    });
    // A STAFF answer through B is never one A cached for PUBLIC.
    const staffOnB = await gql<ConcernPage>(b, CONCERN_PAGE, { id }, staff);
    expect(cacheOf(staffOnB)).toBe('bypass');
    expect(staffOnB.body.data?.concern.followerCount).toBe(0);
  });

  test('the alignment engine’s background tagging reaches both instances’ cached answers within about a second', async () => {
    // Tagged by staff (the engine never changes staff tags), so the answer both instances cache is stable.
    const { conversationId, concernId: id } = await publicConversation(
      a,
      'Cache test: the bus shelter roof leaks every time it rains',
      ['ARTS_CULTURE'],
    );
    await engineSettled(a);
    const cached = await gql<ConcernPage>(a, CONCERN_PAGE, { id });
    expect(cached.body.data?.concern.themes).toEqual(['ARTS_CULTURE']);
    expect(cacheOf(await gql(b, CONCERN_PAGE, { id }))).toBe('hit');
    // Staff clear the tags, handing the concern back to the engine, through a write whose answer does not
    // name the concern: only the engine's recorded invalidation can refresh the cached page.
    const cleared = await gql(
      a,
      UPDATE_CONVERSATION,
      { id: conversationId, input: { updateConcerns: [{ id, themes: [] }] } },
      staff,
    );
    expect(cleared.body.errors).toBeUndefined();
    // Staff answers are never cached: they show when the engine has tagged the concern.
    let tagged: string[] = [];
    const deadline = Date.now() + 120_000;
    while (tagged.length === 0 && Date.now() < deadline) {
      tagged = (await gql<ConcernPage>(a, CONCERN_PAGE, { id }, staff)).body.data?.concern.themes ?? [];
      if (tagged.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(tagged.length).toBeGreaterThan(0);
    expect(tagged).not.toEqual(['ARTS_CULTURE']);
    const taggedAt = Date.now();
    const publicThemes = async (url: string) =>
      (await gql<ConcernPage>(url, CONCERN_PAGE, { id })).body.data?.concern.themes ?? [];
    for (const url of [b, a]) {
      await expect.poll(() => publicThemes(url), { timeout: 5_000, interval: 50 }).toEqual(tagged);
    }
    console.info(`engine's tags seen by PUBLIC on both gateways ${Date.now() - taggedAt} ms after staff saw them`);
  });
});
