import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, launch, type ManagedProcess, type Stack, stopProcess, waitReady } from '@civic/test-stack/stack';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, gatewayBase, gql, metricsHeaders, productionStack, staffToken } from './helpers.ts';

const LIMITS = {
  MAX_DEPTH: '6',
  MAX_ALIASES: '5',
  MAX_ROOT_FIELDS: '4',
  MAX_DIRECTIVES: '3',
  MAX_TOKENS: '400',
  MAX_COST: '500',
  DEFAULT_LIST_SIZE: '5',
  MAX_BODY_BYTES: '6000',
  MAX_ENTITY_REPRESENTATIONS: '2',
  LOG_LEVEL: 'info',
};

let stack: Stack;
beforeAll(async () => {
  stack = await productionStack({ gatewayEnv: LIMITS });
});
afterAll(async () => stack?.destroy());

async function rejected(query: string, code: string, variables: Record<string, unknown> = {}) {
  const response = await gql(stack.gatewayUrl, query, variables);
  expect(response.status).toBe(400);
  expect(response.body.errors?.[0]?.extensions?.code).toBe(code);
  expect(response.body.data).toBeUndefined();
  return response;
}

describe('limits checked before execution answer 400 (or 413), never 500', () => {
  test('an operation within every limit runs', async () => {
    const response = await gql(stack.gatewayUrl, '{ goals { number initiatives { code title goal { number } } } }');
    // cost: goals 1 + number 5 + initiatives 5 + (code, title, goal, number) 4 × 25 = 111
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
  });

  test('depth, counted through nested fields and through fragments', async () => {
    await rejected(
      '{ goals { initiatives { goal { initiatives { goal { initiatives { goal { number } } } } } } } }',
      'QUERY_TOO_DEEP',
    );
    await rejected(
      `query { goals { ...G } }
       fragment G on Goal { initiatives { goal { ...H } } }
       fragment H on Goal { initiatives { goal { initiatives { goal { number } } } } }`,
      'QUERY_TOO_DEEP',
    );
    // Depth 6 exactly is allowed.
    const ok = await gql(stack.gatewayUrl, '{ goals { initiatives { goal { initiatives { goal { number } } } } } }');
    expect(ok.status).toBe(200);
  });

  test('aliases', async () => {
    await rejected('{ a: goals { n1: number n2: number n3: number n4: number n5: number } }', 'TOO_MANY_ALIASES');
  });

  test('root fields', async () => {
    await rejected(
      '{ goals { number } initiatives { code } neighborhoods { name } organizations { name } concerns { totalCount } }',
      'TOO_MANY_ROOT_FIELDS',
    );
  });

  test('directives', async () => {
    await rejected(
      '{ goals { number @include(if: true) title @include(if: true) statement @skip(if: false) id @skip(if: false) } }',
      'TOO_MANY_DIRECTIVES',
    );
  });

  test('tokens (the parser stops early)', async () => {
    const fields = Array.from({ length: 450 }, () => 'number').join(' ');
    const response = await gql(stack.gatewayUrl, `{ goals { ${fields} } }`);
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(response.body.errors?.[0]?.message).toMatch(/tokens/);
  });

  test('cost counts list sizes from first/last (literal or variable) and a default list size', async () => {
    const page =
      'query Page($first: Int) { concerns(first: $first) { edges { node { id summary neighborhood { name } } } } }';
    await rejected(page, 'QUERY_TOO_COMPLEX', { first: 100 });
    expect((await gql(stack.gatewayUrl, page, { first: 10 })).status).toBe(200);
    await rejected(
      '{ concerns(first: 100) { edges { node { id summary neighborhood { name } } } } }',
      'QUERY_TOO_COMPLEX',
    );
    // Lists without a size count as DEFAULT_LIST_SIZE (5): 1 + 5 + 25 + 25 + 5 × 125 = 681 > 500.
    await rejected(
      '{ goals { initiatives { goal { initiatives { code title description status sourceUrl } } } } }',
      'QUERY_TOO_COMPLEX',
    );
  });

  test("a page size left to a variable's default is costed at that default, like the same value sent", async () => {
    // 1 + 100 × (edges, node, id, summary, neighborhood) = 501 > 500, whether 100 is sent or the default.
    const page =
      'query D($n: Int = 100) { concerns(first: $n) { edges { node { id summary neighborhood { name } } } } }';
    await rejected(page, 'QUERY_TOO_COMPLEX');
    await rejected(page, 'QUERY_TOO_COMPLEX', { n: 100 });
    expect((await gql(stack.gatewayUrl, page, { n: 10 })).status).toBe(200);
  });

  test('request size', async () => {
    const response = await gql(stack.gatewayUrl, '{ goals { number } }', { padding: 'x'.repeat(7000) });
    expect(response.status).toBe(413);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('batched HTTP requests are off', async () => {
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ goals { number } }' }, { query: '{ goals { number } }' }]),
    });
    expect(response.status).toBe(400);
  });

  test('field suggestions are hidden', async () => {
    const response = await rejected('{ goalz { number } }', 'GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(response.body)).not.toMatch(/Did you mean|"goals"/);
  });

  test('the _entities representations one fetch may carry are capped', async () => {
    const response = await gql<{ initiatives: { code: string; leadDepartment: unknown }[] }>(
      stack.gatewayUrl,
      '{ initiatives { code leadDepartment { name } } }',
    );
    expect(response.status).toBe(200);
    expect(response.body.data?.initiatives.length).toBeGreaterThan(2);
    expect(response.body.data?.initiatives.every((i) => i.leadDepartment === null)).toBe(true);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('TOO_MANY_ENTITIES');
  });
});

describe('browser protections', () => {
  test('CSRF prevention: a GET without a preflight-forcing header is refused', async () => {
    const url = `${stack.gatewayUrl}?query=${encodeURIComponent('{ goals { number } }')}`;
    expect((await fetch(url)).status).toBe(400);
    expect((await fetch(url, { headers: { 'apollo-require-preflight': 'true' } })).status).toBe(200);
    const form = await fetch(stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ goals { number } }' }),
    });
    expect(form.status).toBe(400);
  });

  test('CORS only for the configured web origins', async () => {
    const preflight = (origin: string) =>
      fetch(stack.gatewayUrl, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const allowed = await preflight('http://localhost:5173');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const evil = await preflight('https://evil.example');
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const post = await gql(stack.gatewayUrl, '{ goals { number } }', {}, { origin: 'https://evil.example' });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('operability', () => {
  test('a request id is echoed (or made) and logged as structured JSON', async () => {
    const given = await gql(stack.gatewayUrl, '{ goals { number } }', {}, { 'x-request-id': 'trace-abc-123' });
    expect(given.headers.get('x-request-id')).toBe('trace-abc-123');
    const made = await gql(stack.gatewayUrl, '{ goals { number } }', {}, { 'x-request-id': 'bad id with spaces' });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const gateway = stack.processes.get('gateway');
    await expect
      .poll(() =>
        gateway?.output
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as { msg: string; requestId?: string })
          .some((entry) => entry.msg === 'graphql request' && entry.requestId === 'trace-abc-123'),
      )
      .toBe(true);
  });

  test('/metrics: requests, errors and latency by operation name, subgraph fetch latency', async () => {
    await gql(stack.gatewayUrl, 'query MetricsProbe { goals { number } }');
    await gql(stack.gatewayUrl, 'query MetricsProbeBad { goalz }');
    const text = await (await fetch(`${gatewayBase(stack)}/metrics`, { headers: metricsHeaders })).text();
    expect(text).toMatch(/civic_gateway_requests_total\{operation="MetricsProbe",status="200"\} 1/);
    expect(text).toMatch(
      /civic_gateway_errors_total\{operation="MetricsProbeBad",code="GRAPHQL_VALIDATION_FAILED"\} 1/,
    );
    expect(text).toMatch(/civic_gateway_request_duration_seconds_count\{operation="MetricsProbe"\} 1/);
    expect(text).toMatch(
      /civic_gateway_subgraph_fetch_duration_seconds_count\{subgraph="initiatives",outcome="ok"\} \d+/,
    );
  });

  test('the GraphQL IDE is bundled GraphiQL with example operations and loads nothing from elsewhere', async () => {
    for (const response of [
      await fetch(`${gatewayBase(stack)}/graphiql`),
      await fetch(stack.gatewayUrl, { headers: { accept: 'text/html' } }),
    ]) {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      const html = await response.text();
      expect(html).toContain('GraphiQL');
      expect(html).toContain('query StrategicPlan');
      expect(html).not.toMatch(/<script[^>]+src=["']https?:/i);
      expect(html).not.toMatch(/<link[^>]+href=["']https?:/i);
    }
  });

  test('introspection works for STAFF even with tight limits', async () => {
    const token = await staffToken(stack, { role: 'ADMIN' });
    const response = await gql(stack.gatewayUrl, '{ __schema { types { name } } }', {}, bearer(token));
    expect(response.status).toBe(200);
  });
});

/** Gateways started beside the stack's, on the same subgraphs, with other settings. */
const extra: { proc: ManagedProcess; url: string; dir: string }[] = [];
const startGateway = async (env: NodeJS.ProcessEnv) => {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'civic-gw-'));
  const proc = launch('gateway-rate', join(stack.processes.get('gateway')?.child.spawnargs.at(-1) ?? ''), {
    ...stack.gatewayEnv,
    GATEWAY_PORT: String(port),
    GATEWAY_DATABASE_URL: '',
    DATABASE_URL: '',
    CIVIC_DATA_DIR: dir,
    ...env,
  });
  await waitReady(`http://127.0.0.1:${port}/ready`, proc);
  const entry = { proc, url: `http://127.0.0.1:${port}/graphql`, dir };
  extra.push(entry);
  return entry;
};
afterAll(async () => {
  for (const e of extra) {
    await stopProcess(e.proc);
    rmSync(e.dir, { recursive: true, force: true });
  }
});

const adminKey = async (url: string) => {
  const admin = bearer(await staffToken(stack, { role: 'ADMIN' }));
  const orgs = await gql<{ organizations: { id: string }[] }>(url, '{ organizations { id } }', {}, admin);
  const created = await fetch(url.replace(/\/graphql$/, '/admin/api-keys'), {
    method: 'POST',
    headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify({ organizationId: orgs.body.data?.organizations[0]?.id, label: 'rate' }),
  });
  return ((await created.json()) as { key: string }).key;
};

describe('rate limits, counted in operations, answer 429 with Retry-After', () => {
  test('per client address and per API key, in memory', async () => {
    const gw = await startGateway({
      RATE_LIMIT_PER_ADDRESS: '3',
      RATE_LIMIT_PER_KEY: '5',
      RATE_LIMIT_WINDOW_MS: '60000',
    });
    const key = await adminKey(gw.url);
    for (let i = 0; i < 3; i++) expect((await gql(gw.url, '{ goals { number } }')).status).toBe(200);
    const limited = await gql(gw.url, '{ goals { number } }');
    expect(limited.status).toBe(429);
    expect(limited.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    // The key has its own budget.
    for (let i = 0; i < 5; i++) {
      expect((await gql(gw.url, '{ goals { number } }', {}, { 'x-api-key': key })).status).toBe(200);
    }
    expect((await gql(gw.url, '{ goals { number } }', {}, { 'x-api-key': key })).status).toBe(429);
  });

  test('in Redis, shared by two gateway instances', async () => {
    const env = {
      REDIS_URL: 'redis://127.0.0.1:6379',
      RATE_LIMIT_REDIS_PREFIX: `civic-test:${randomBytes(6).toString('hex')}:`,
      RATE_LIMIT_PER_ADDRESS: '4',
      RATE_LIMIT_WINDOW_MS: '60000',
    };
    const [a, b] = [await startGateway(env), await startGateway(env)];
    const statuses: number[] = [];
    for (const url of [a.url, b.url, a.url, b.url, a.url, b.url]) {
      statuses.push((await gql(url, '{ goals { number } }')).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });
});

describe("cost limits at their defaults, sized by the supergraph's @listSize and @cost", () => {
  let gateway: { url: string };
  let partner: Record<string, string>;
  beforeAll(async () => {
    // The stack's own gateway runs with tight test limits; this one keeps every limit at its default.
    const defaults = Object.fromEntries(Object.keys(LIMITS).map((name) => [name, undefined]));
    gateway = await startGateway({ ...defaults, LOG_LEVEL: 'info' });
    partner = { 'x-api-key': await adminKey(gateway.url) };
  }, 300_000);

  const PARTNER_PAGE = `query PartnerPage($n: Int = 50) {
    concerns(first: $n) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node {
        id summary status neighborhood { name }
        initiatives { id code title status }
        resources { id name }
        suggestedResources(first: 3) { score resource { id name } }
      } }
    }
  }`;
  type Page = {
    concerns: { edges: { node: { id: string; initiatives: unknown[] | null; resources: unknown[] | null } }[] };
  };

  test('a partner asking for 50 concerns with their initiatives, resources and suggestions is answered', async () => {
    const viewer = await gql<{ viewer: { role: string } }>(gateway.url, '{ viewer { role } }', {}, partner);
    expect(viewer.body.data?.viewer.role).toBe('PARTNER');
    const response = await gql<Page>(gateway.url, PARTNER_PAGE, {}, partner);
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    const edges = response.body.data?.concerns.edges ?? [];
    expect(edges.length).toBeGreaterThan(0);
    expect(edges.length).toBeLessThanOrEqual(50);
    expect(edges.every((e) => Array.isArray(e.node.initiatives) && Array.isArray(e.node.resources))).toBe(true);
  });

  test('twice that page is refused, sent as a variable or left to its default', async () => {
    for (const [query, variables] of [
      [PARTNER_PAGE, { n: 100 }],
      [PARTNER_PAGE.replace('$n: Int = 50', '$n: Int = 100'), {}],
    ] as const) {
      const response = await gql(gateway.url, query, variables, partner);
      expect(response.status).toBe(400);
      expect(response.body.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    }
  });
});
