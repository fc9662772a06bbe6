import { randomBytes, randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import type { Stack } from '@civic/test-stack/stack';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Answer,
  base,
  bearer,
  codeOf,
  createApiKey,
  direct,
  gql,
  METRICS_TOKEN,
  productionStack,
  raw,
  signJwt,
  token,
} from './helpers.ts';

// Issue 21, items 3, 4, 5, 6, 8, 9 and 10, against the production stack with the demo data.
let stack: Stack;
let partnerKey = '';
let partnerServiceId = '';
beforeAll(async () => {
  stack = await productionStack({}, { shared: true });
  type Edge = { node: { id: string; organization: { id: string; internal: boolean } } };
  const services = await gql(stack, '{ services(first: 100) { edges { node { id organization { id internal } } } } }');
  const edges = ((services.json.data?.services ?? { edges: [] }) as { edges: Edge[] }).edges;
  const partnerService = edges.find((e) => !e.node.organization.internal)?.node;
  if (!partnerService) throw new Error('the demo data has no partner service');
  const partnerOrganization = partnerService.organization.id;
  partnerServiceId = partnerService.id;
  partnerKey = await createApiKey(stack, partnerOrganization);
}, 420_000);
afterAll(async () => stack?.destroy());

function refused(answer: Answer, code: string, status = 400) {
  expect(answer.status, answer.text.slice(0, 200)).toBe(status);
  expect(codeOf(answer), answer.text.slice(0, 200)).toBe(code);
  expect(answer.json.data ?? undefined).toBeUndefined();
}

const post = (body: string, headers: Record<string, string> = {}) =>
  raw(stack, stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
const deepArray = (n: number) => `${'['.repeat(n)}0${']'.repeat(n)}`;

describe('item 3: a page size in a variable default is costed at that default', () => {
  const QUERY = `query D($n: Int = 100) { concerns(first: $n) { edges { node { id summary
    suggestedResources(first: 20) { score resource { id name } } } } } }`;

  test('the default 100 is refused like an explicit 100; a small page still runs', async () => {
    refused(await gql(stack, QUERY), 'QUERY_TOO_COMPLEX');
    refused(await gql(stack, QUERY, { n: 100 }), 'QUERY_TOO_COMPLEX');
    const small = await gql(stack, QUERY, { n: 3 });
    expect(small.status).toBe(200);
    expect(small.json.errors ?? []).toEqual([]);
  });
});

describe('item 5: deeply nested JSON is refused before parsing, 400 JSON_TOO_DEEP', () => {
  test('variables 5,000 levels deep, at the gateway', async () => {
    const body = `{"query":"query Q($v: String) { goals { number } }","variables":{"v":${deepObject(5_000)}}}`;
    refused(await post(body), 'JSON_TOO_DEEP');
    refused(await post(body, { 'x-api-key': partnerKey }), 'JSON_TOO_DEEP');
  });

  test("a partner's serviceAreaGeoJson 40,000 levels deep, at the gateway and straight to the subgraph", async () => {
    const query = 'mutation U($id: ID!, $input: UpdateServiceInput!) { updateService(id: $id, input: $input) { id } }';
    const body = `{"query":${JSON.stringify(query)},"variables":{"id":${JSON.stringify(partnerServiceId)},"input":{"serviceAreaGeoJson":${deepArray(40_000)}}}}`;
    refused(await post(body, { 'x-api-key': partnerKey }), 'JSON_TOO_DEEP');
    // Signed with the real secret, as the gateway would: the subgraph refuses it itself.
    refused(await direct(stack, stack.subgraphUrls.resources, body, { secret: stack.secret }), 'JSON_TOO_DEEP');
    // An ordinary GeoJSON service area still passes the check (and the mutation runs).
    const area = {
      type: 'Polygon',
      coordinates: [
        [
          [-78.91, 35.99],
          [-78.9, 35.99],
          [-78.9, 36.0],
          [-78.91, 35.99],
        ],
      ],
    };
    const ok = await gql(
      stack,
      query,
      { id: partnerServiceId, input: { serviceAreaGeoJson: area } },
      {
        'x-api-key': partnerKey,
      },
    );
    expect(ok.status).toBe(200);
    expect(ok.json.errors ?? []).toEqual([]);
  });
});

describe('item 9: subgraphs apply their own limits and give no suggestions (signed requests too)', () => {
  test('depth, aliases and suggestions at the engagement subgraph', async () => {
    // 16 levels: concerns, edges, node, then six conversation/concerns pairs, then id.
    const nested = `{ concerns(first: 1) { edges { node { ${'conversation { concerns { '.repeat(6)}id${' } }'.repeat(6)} } } } }`;
    refused(
      await direct(stack, stack.subgraphUrls.engagement, JSON.stringify({ query: nested }), { secret: stack.secret }),
      'QUERY_TOO_DEEP',
    );
    const aliases = `{ ${Array.from({ length: 61 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    refused(
      await direct(stack, stack.subgraphUrls.engagement, JSON.stringify({ query: aliases }), { secret: stack.secret }),
      'TOO_MANY_ALIASES',
    );
    const misspelled = await direct(
      stack,
      stack.subgraphUrls.engagement,
      JSON.stringify({ query: '{ concern { summ } }' }),
      {
        secret: stack.secret,
      },
    );
    expect(misspelled.status).toBe(400);
    expect(misspelled.text).not.toMatch(/Did you mean/i);
  });
});

describe('item 10: a 5 MB body with Connection: close gets its 413', () => {
  function rawPost(url: string, bytes: number): Promise<string> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname);
      let answer = '';
      socket.on('data', (d) => {
        answer += d.toString('latin1');
      });
      socket.on('error', (error) => reject(new Error(`${error.message} after ${JSON.stringify(answer.slice(0, 80))}`)));
      socket.on('close', () => resolve(answer));
      socket.on('connect', () => {
        socket.write(
          `POST /graphql HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${bytes}\r\n\r\n`,
        );
        const piece = Buffer.alloc(64 * 1024, 'x');
        let sent = 0;
        const pump = () => {
          while (sent < bytes) {
            const n = Math.min(piece.length, bytes - sent);
            sent += n;
            if (!socket.write(piece.subarray(0, n))) return void socket.once('drain', pump);
          }
        };
        pump();
      });
    });
  }

  test('at the gateway and at a subgraph: HTTP 413 PAYLOAD_TOO_LARGE, not a reset', async () => {
    for (const url of [stack.gatewayUrl, stack.subgraphUrls.resources]) {
      const answer = await rawPost(url, 5 * 1024 * 1024);
      expect(answer, url).toMatch(/^HTTP\/1\.1 413 /);
      expect(answer, url).toContain('PAYLOAD_TOO_LARGE');
    }
    expect((await gql(stack, '{ goals { number } }')).status).toBe(200);
  });
});

describe('item 8: sign-in tokens need exp and a bounded lifetime', () => {
  test('no exp, or 30 days, is refused with 401; 1 hour passes', async () => {
    const sub = `sec-${randomUUID()}`;
    const noExp = signJwt(stack.jwtSecret, { sub, role: 'ADMIN', exp: undefined });
    refused(await gql(stack, '{ goals { number } }', {}, bearer(noExp)), 'UNAUTHENTICATED', 401);
    const month = signJwt(stack.jwtSecret, { sub, role: 'ADMIN' }, 30 * 86_400);
    refused(await gql(stack, '{ goals { number } }', {}, bearer(month)), 'UNAUTHENTICATED', 401);
    expect((await gql(stack, '{ goals { number } }', {}, await token(stack, { role: 'ADMIN' }))).status).toBe(200);
  });
});

describe('item 6: junk operation names cannot push real ones into "other"', () => {
  test('510 junk names from one partner key; a PUBLIC ConcernList_Page is still labelled', async () => {
    for (let i = 0; i < 510; i++) {
      const answer = await gql(
        stack,
        `query Junk${i}x${randomBytes(3).toString('hex')} { __typename }`,
        {},
        {
          'x-api-key': partnerKey,
        },
      );
      expect(answer.status).toBe(200);
    }
    await gql(stack, 'query ConcernList_Page { concerns(first: 1) { edges { node { id } } } }');
    const metrics = await fetch(`${base(stack)}/metrics`, { headers: bearer(METRICS_TOKEN) });
    const text = await metrics.text();
    expect(text).toMatch(/civic_gateway_requests_total\{operation="ConcernList_Page",status="200"\} 1/);
    const junk = new Set(text.match(/civic_gateway_requests_total\{operation="Junk\d+x[0-9a-f]+"/g) ?? []);
    // At most the key's share (20); item 5's mutation `U` already took one of them.
    expect(junk.size).toBeGreaterThan(0);
    expect(junk.size).toBeLessThanOrEqual(20);
  });
});

// Last: it blocks sign-ins from this suite's address for the rest of the window.
describe('item 4: failed authentication is rate-limited', () => {
  test('guessed API keys from one client get 401 until 30 failures (item 8 made 2), then 429 with Retry-After', async () => {
    const guess = () => `cg_live_${randomBytes(32).toString('base64url')}`;
    const statuses: number[] = [];
    let limited: Answer | undefined;
    for (let i = 0; i < 31 && !limited; i++) {
      const answer = await gql(stack, '{ goals { number } }', {}, { 'x-api-key': guess() });
      statuses.push(answer.status);
      if (answer.status === 429) limited = answer;
      else refused(answer, 'UNAUTHENTICATED', 401);
    }
    // This suite's address already failed twice (item 8's refused tokens): 28 more, then refused.
    expect(statuses.filter((s) => s === 401)).toHaveLength(28);
    if (!limited) throw new Error(`never limited: ${statuses.join(',')}`);
    refused(limited, 'RATE_LIMITED', 429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // Anonymous reading from the same client goes on.
    expect((await gql(stack, '{ goals { number } }')).status).toBe(200);
  });
});
