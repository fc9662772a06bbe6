import { PUBLIC_IDENTITY, signIdentity } from '@civic/server-kit/identity';
import type { Stack } from '@civic/test-stack/stack';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  acceptsConnections,
  bearer,
  expectMasked,
  gatewayReady,
  gql,
  halfSentRequest,
  launchGateway,
  portOf,
  removeTarget,
  startSeededStack,
  subgraphReadyForGateway,
  TcpProxy,
} from './support.ts';

// initiatives (initiatives subgraph) with their lead department (resources subgraph).
const PLAN = 'query Plan { initiatives { code title leadDepartment { name } } }';
const GOALS = 'query Goals { goals { number title } }';
const CONCERNS = 'query Concerns { concerns(first: 5) { totalCount edges { node { id summary } } } }';

type Plan = { initiatives: { code: string; title: string; leadDepartment: { name: string } | null }[] };

let stack: Stack;
beforeAll(async () => {
  stack = await startSeededStack(['initiatives', 'resources'], {
    gatewayEnv: { SHUTDOWN_GRACE_MS: '300', RATE_LIMIT_PER_ADDRESS: '100000' },
  });
});
afterAll(async () => stack?.destroy());

function expectDegraded(response: Awaited<ReturnType<typeof gql<Plan>>>, code: string) {
  expect(response.status).toBe(200);
  const initiatives = response.body.data?.initiatives ?? [];
  expect(initiatives.length).toBeGreaterThan(10);
  expect(initiatives.every((i) => i.title && i.leadDepartment === null)).toBe(true);
  expect(response.body.errors?.length).toBeGreaterThan(0);
  for (const error of response.body.errors ?? []) {
    expect(error.extensions?.code).toBe(code);
    expect(error.message).toBe('The resources service is unavailable');
  }
  expectMasked(stack, response.body);
}

async function expectHealthy(url: string, query: string) {
  const response = await gql(url, query);
  expect(response.status).toBe(200);
  expect(response.body.errors).toBeUndefined();
  return response;
}

describe('a subgraph killed (SIGKILL) and restarted', () => {
  test('queries touching it degrade, the others are untouched, and it recovers without a gateway restart', async () => {
    await expectHealthy(stack.gatewayUrl, PLAN);
    const gateway = stack.processes.get('gateway');
    const gatewayPid = gateway?.child.pid;

    await stack.stopSubgraph('resources', 'SIGKILL');
    const [plan, goals, concerns] = await Promise.all([
      gql<Plan>(stack.gatewayUrl, PLAN),
      gql(stack.gatewayUrl, GOALS),
      gql(stack.gatewayUrl, CONCERNS),
    ]);
    expectDegraded(plan, 'SERVICE_UNAVAILABLE');
    expect(goals.body.errors).toBeUndefined();
    expect(concerns.body.errors).toBeUndefined();
    // The gateway still serves, so it stays ready; /health reports the subgraph down.
    expect(await gatewayReady(stack)).toBe(200);
    await expect.poll(() => subgraphReadyForGateway(stack, 'resources'), { timeout: 5_000 }).toBe(false);

    await stack.startSubgraph('resources');
    await expect.poll(() => subgraphReadyForGateway(stack, 'resources'), { timeout: 15_000 }).toBe(true);
    const healed = await expectHealthy(stack.gatewayUrl, PLAN);
    expect((healed.body.data as Plan).initiatives.some((i) => i.leadDepartment?.name)).toBe(true);
    // The same gateway process served before, during and after.
    expect(gateway?.child.exitCode).toBeNull();
    expect(stack.processes.get('gateway')?.child.pid).toBe(gatewayPid);
  });
});

describe('a subgraph slower than the gateway timeout (a delaying TCP proxy in front of it)', () => {
  let proxy: TcpProxy;
  let slow: Awaited<ReturnType<typeof launchGateway>>;
  const TIMEOUT_MS = 1_500;
  const METRICS_TOKEN = 'reliability-metrics-token';

  beforeAll(async () => {
    proxy = await TcpProxy.start(portOf(stack.subgraphUrls.resources));
    slow = await launchGateway(stack, 'gateway-behind-slow-resources', {
      RESOURCES_URL: `http://127.0.0.1:${proxy.port}/graphql`,
      SUBGRAPH_TIMEOUT_MS: String(TIMEOUT_MS),
      METRICS_TOKEN,
    });
  });
  afterAll(async () => {
    proxy?.close();
    if (slow) {
      slow.proc.child.kill('SIGTERM');
      await slow.proc.exited;
      await removeTarget(slow.target).catch(() => {});
    }
  });

  test('a coded SERVICE_UNAVAILABLE after the timeout; the gateway keeps answering everything else', async () => {
    await expectHealthy(slow.url, PLAN);
    proxy.delayMs = TIMEOUT_MS * 3;
    const slowPlans = Promise.all(Array.from({ length: 4 }, () => gql<Plan>(slow.url, PLAN)));
    // While those wait on the slow subgraph, the gateway answers other queries and its health.
    const [goals, concerns, health] = await Promise.all([
      gql(slow.url, GOALS),
      gql(slow.url, CONCERNS),
      fetch(new URL('/health', slow.url)),
    ]);
    expect(goals.body.errors).toBeUndefined();
    expect(concerns.body.errors).toBeUndefined();
    expect(health.status).toBe(200);
    for (const plan of await slowPlans) expectDegraded(plan, 'SERVICE_UNAVAILABLE');
    const metrics = await (await fetch(new URL('/metrics', slow.url), { headers: bearer(METRICS_TOKEN) })).text();
    expect(metrics).toMatch(
      /civic_gateway_subgraph_fetch_duration_seconds_count\{subgraph="resources",outcome="timeout"\} [1-9]/,
    );

    proxy.delayMs = 0;
    await expect
      .poll(async () => (await gql(slow.url, PLAN)).body.errors === undefined, { timeout: 15_000 })
      .toBe(true);
    expect(slow.proc.child.exitCode).toBeNull();
  });
});

describe('SIGTERM during in-flight requests', () => {
  test('a subgraph: the in-flight request completes with 200, new connections are refused, exit 0', async () => {
    const proc = stack.processes.get('resources');
    if (!proc) throw new Error('no resources process');
    const port = portOf(stack.subgraphUrls.resources);
    const body = JSON.stringify({ query: '{ services(first: 3) { totalCount edges { node { name } } } }' });
    const inFlight = halfSentRequest(
      stack.subgraphUrls.resources,
      body,
      signIdentity(stack.secret, PUBLIC_IDENTITY, body),
    );
    // Let the server read the headers and half the body before the signal.
    await new Promise((r) => setTimeout(r, 200));
    proc.child.kill('SIGTERM');
    await expect.poll(() => acceptsConnections(port), { timeout: 10_000 }).toBe(false);
    expect(proc.child.exitCode).toBeNull();
    inFlight.finish();
    const response = await inFlight.response;
    expect(response.status, proc.output.join('\n')).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect((response.body.data as { services: { totalCount: number } }).services.totalCount).toBeGreaterThan(0);
    expect(await proc.exited).toBe(0);

    await stack.startSubgraph('resources');
    await expect.poll(() => subgraphReadyForGateway(stack, 'resources'), { timeout: 15_000 }).toBe(true);
  });

  test('the gateway: the in-flight request completes with 200, new connections are refused, exit 0', async () => {
    const proc = stack.processes.get('gateway');
    if (!proc) throw new Error('no gateway process');
    const port = portOf(stack.gatewayUrl);
    const body = JSON.stringify({ query: PLAN });
    const inFlight = halfSentRequest(stack.gatewayUrl, body);
    await new Promise((r) => setTimeout(r, 200));
    proc.child.kill('SIGTERM');
    await expect.poll(() => acceptsConnections(port), { timeout: 10_000 }).toBe(false);
    expect(proc.child.exitCode).toBeNull();
    inFlight.finish();
    const response = await inFlight.response;
    expect(response.status, proc.output.join('\n')).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect((response.body.data as Plan).initiatives.some((i) => i.leadDepartment?.name)).toBe(true);
    expect(await proc.exited).toBe(0);
  });
});
