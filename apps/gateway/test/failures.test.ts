import { testDatabaseKind } from '@civic/db/testing';
import type { Stack } from '@civic/test-stack/stack';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gatewayBase, gql, metricsHeaders, productionStack } from './helpers.ts';

const TIMEOUT_MS = 1500;
const PLAN = 'query Plan { initiatives { code title leadDepartment { name } } }';

type Plan = { initiatives: { code: string; title: string; leadDepartment: { name: string } | null }[] };

let stack: Stack;
beforeAll(async () => {
  stack = await productionStack({
    // It kills and restarts subgraphs: they are its own.
    shareSubgraphs: undefined,
    gatewayEnv: { SUBGRAPH_TIMEOUT_MS: String(TIMEOUT_MS), SHUTDOWN_GRACE_MS: '1000', LOG_LEVEL: 'info' },
  });
});
afterAll(async () => stack?.destroy());

const ready = async () => (await fetch(`${gatewayBase(stack)}/ready`)).status;
/** What the gateway's /health says of one subgraph (its /ready does not depend on them). */
const subgraphSeen = async (name: string) => {
  const body = (await (await fetch(`${gatewayBase(stack)}/health`)).json()) as {
    subgraphs: Record<string, { ready: boolean | null }>;
  };
  return body.subgraphs[name]?.ready;
};

/** Nothing about the inside reaches the client: no subgraph URL, port, status, body or stack. */
function expectMasked(text: string) {
  expect(text).not.toMatch(/127\.0\.0\.1|localhost|ECONNREFUSED|fetch failed|stacktrace|"response"|socket|abort/i);
  for (const url of Object.values(stack.subgraphUrls)) expect(text).not.toContain(new URL(url).port);
}

function expectPartial(response: Awaited<ReturnType<typeof gql<Plan>>>, message: RegExp, code: RegExp) {
  expect(response.status).toBe(200);
  const initiatives = response.body.data?.initiatives ?? [];
  expect(initiatives.length).toBeGreaterThan(10);
  expect(initiatives.every((i) => i.title && i.leadDepartment === null)).toBe(true);
  expect(response.body.errors?.length).toBeGreaterThan(0);
  for (const error of response.body.errors ?? []) {
    expect(error.message).toMatch(message);
    expect(error.extensions?.code).toMatch(code);
    expect(Object.keys(error.extensions ?? {})).toEqual(['code']);
  }
  expectMasked(JSON.stringify(response.body));
}

describe('a failing subgraph gives partial data and a masked error', () => {
  test('healthy: every initiative has its lead department', async () => {
    const response = await gql<Plan>(stack.gatewayUrl, PLAN);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.initiatives.some((i) => i.leadDepartment?.name)).toBe(true);
    expect(await ready()).toBe(200);
    await expect.poll(() => subgraphSeen('resources'), { timeout: 5_000 }).toBe(true);
  });

  test('subgraph killed: the rest still answers; the gateway stays ready and live, /health and /metrics report the subgraph down; details go to the log', async () => {
    await stack.stopSubgraph('resources', 'SIGKILL');
    const response = await gql<Plan>(stack.gatewayUrl, PLAN, {}, { 'x-request-id': 'killed-resources-1' });
    expectPartial(response, /^The resources service is unavailable$/, /^SERVICE_UNAVAILABLE$/);
    // This gateway can still serve (every other field): a load balancer must keep sending it traffic.
    expect(await ready()).toBe(200);
    expect((await fetch(`${gatewayBase(stack)}/health`)).status).toBe(200);
    await expect.poll(() => subgraphSeen('resources'), { timeout: 5_000 }).toBe(false);
    expect(await subgraphSeen('engagement')).toBe(true);
    const metrics = await (await fetch(`${gatewayBase(stack)}/metrics`, { headers: metricsHeaders })).text();
    expect(metrics).toContain('civic_gateway_subgraph_ready{subgraph="resources"} 0');
    expect(metrics).toContain('civic_gateway_subgraph_ready{subgraph="initiatives"} 1');
    const logged = stack.processes
      .get('gateway')
      ?.output.filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((e) => e.msg === 'subgraph fetch failed' && e.requestId === 'killed-resources-1');
    expect(logged?.subgraph).toBe('resources');
    await stack.startSubgraph('resources');
    await expect.poll(() => subgraphSeen('resources'), { timeout: 10_000 }).toBe(true);
    // Full answers again from the same gateway; the restarted subgraph's first answers can exceed this
    // stack's 1.5 s subgraph timeout on a loaded machine, so it is asked until it answers in time.
    await expect
      .poll(async () => (await gql<Plan>(stack.gatewayUrl, PLAN)).body.errors, { timeout: 30_000, interval: 500 })
      .toBeUndefined();
  });

  test('subgraph slow beyond the timeout: answered soon after the timeout, with partial data', async () => {
    const resources = stack.processes.get('resources');
    resources?.child.kill('SIGSTOP');
    try {
      const started = Date.now();
      const response = await gql<Plan>(stack.gatewayUrl, PLAN);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 100);
      expect(elapsed).toBeLessThan(TIMEOUT_MS + 3000);
      expectPartial(response, /^The resources service is unavailable$/, /^SERVICE_UNAVAILABLE$/);
      const metrics = await (await fetch(`${gatewayBase(stack)}/metrics`, { headers: metricsHeaders })).text();
      expect(metrics).toMatch(
        /civic_gateway_subgraph_fetch_duration_seconds_count\{subgraph="resources",outcome="timeout"\} [1-9]/,
      );
    } finally {
      resources?.child.kill('SIGCONT');
    }
    await expect.poll(() => subgraphSeen('resources'), { timeout: 10_000 }).toBe(true);
  });

  test.skipIf(testDatabaseKind() !== 'postgres')(
    'database gone (PostgreSQL: the database is dropped under the running subgraph)',
    async () => {
      const target = stack.targets.resources;
      if (target.kind !== 'postgres') return;
      const admin = new URL(target.url);
      admin.pathname = '/postgres';
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      try {
        await client.query(`drop database "${target.database}" with (force)`);
      } finally {
        await client.end();
      }
      const response = await gql<Plan>(stack.gatewayUrl, PLAN);
      expectPartial(
        response,
        /^(Internal server error|The resources service is unavailable)$/,
        /^(INTERNAL_SERVER_ERROR|SERVICE_UNAVAILABLE)$/,
      );
      expect(await ready()).toBe(200);
      // Its /ready fails (database unreachable), which the gateway reports.
      await expect.poll(() => subgraphSeen('resources'), { timeout: 5_000 }).toBe(false);
    },
  );
});

describe('graceful shutdown', () => {
  test('readiness fails first, the in-flight request finishes, then the gateway exits 0', async () => {
    const initiatives = stack.processes.get('initiatives');
    const gateway = stack.processes.get('gateway');
    if (!initiatives || !gateway) throw new Error('stack incomplete');
    initiatives.child.kill('SIGSTOP');
    const inFlight = gql<{ goals: { number: number }[] }>(stack.gatewayUrl, '{ goals { number } }');
    await new Promise((r) => setTimeout(r, 200));
    gateway.child.kill('SIGTERM');
    // Still accepting during the grace period, but no longer ready. /ready answers at once (it asks no
    // subgraph), so it is read until the process has handled the signal (SHUTDOWN_GRACE_MS=1000 after it).
    let during = await fetch(`${gatewayBase(stack)}/ready`);
    for (const deadline = Date.now() + 5_000; during.status === 200 && Date.now() < deadline; ) {
      await new Promise((r) => setTimeout(r, 20));
      during = await fetch(`${gatewayBase(stack)}/ready`);
    }
    expect(during.status).toBe(503);
    expect(await during.json()).toEqual({ status: 'shutting down' });
    initiatives.child.kill('SIGCONT');
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(response.body.data?.goals.length).toBeGreaterThan(0);
    expect(await gateway.exited).toBe(0);
    await expect(fetch(`${gatewayBase(stack)}/health`)).rejects.toThrow();
  });
});
