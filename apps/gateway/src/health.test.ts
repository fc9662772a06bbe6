import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { gatewayHealth, registerSubgraphGauge, subgraphHealth } from './health.ts';
import { memoryRateLimiter } from './rate-limit.ts';

// Real HTTP servers on loopback standing in for subgraphs' /ready: one ready, one draining (503), one
// that answers after 1.5 s; port 9 (discard) refuses connections.
const servers: Server[] = [];
const urls: Record<string, string> = {};
let readyCalls = 0;

async function listen(name: string, handler: Parameters<typeof createServer>[1]): Promise<void> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

beforeAll(async () => {
  await listen('engagement', (req, res) => {
    if (req.url === '/ready') readyCalls++;
    res.writeHead(req.url === '/ready' ? 200 : 404).end('{}');
  });
  await listen('initiatives', (_req, res) => res.writeHead(503).end('{"status":"shutting down"}'));
  await listen('slow', (_req, res) => setTimeout(() => res.writeHead(200).end('{}'), 1_500));
  urls.resources = 'http://127.0.0.1:9/graphql';
});

afterAll(async () => {
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('subgraph health (reported, not the gateway readiness)', () => {
  test("reports each subgraph's /ready: answered 2xx, answered 503, refused", async () => {
    const { slow: _slow, ...three } = urls;
    const health = subgraphHealth(three, 1_000);
    expect(await health.check()).toEqual({
      engagement: { ready: true, status: 200 },
      initiatives: { ready: false, status: 503 },
      resources: { ready: false, status: null },
    });
  });

  test('asks each subgraph at most once per interval, concurrent callers sharing the round', async () => {
    let t = 0;
    const health = subgraphHealth({ engagement: urls.engagement as string }, 1_000, 1_000, () => t);
    const before = readyCalls;
    await Promise.all([health.check(), health.check(), health.check()]);
    await health.check();
    expect(readyCalls - before).toBe(1);
    t = 1_000;
    await health.check();
    expect(readyCalls - before).toBe(2);
  });

  test('latest() does not wait for a slow subgraph longer than asked, then shows its answer', async () => {
    const health = subgraphHealth({ slow: urls.slow as string }, 5_000, 0);
    const started = Date.now();
    expect(await health.latest(200)).toEqual({ slow: { ready: null } });
    expect(Date.now() - started).toBeLessThan(1_000);
    await health.check();
    expect(await health.latest(0)).toEqual({ slow: { ready: true, status: 200 } });
  }, 10_000);

  test('/health fields: subgraphs and the rate-limit store', async () => {
    const { slow: _slow, ...three } = urls;
    const limiter = memoryRateLimiter(60_000);
    const fields = await gatewayHealth(subgraphHealth(three, 1_000), limiter)();
    await limiter.close();
    expect(fields).toMatchObject({
      subgraphs: { engagement: { ready: true }, initiatives: { ready: false }, resources: { ready: false } },
      rateLimits: { store: 'memory', reachable: true },
    });
  });

  test('/metrics: civic_gateway_subgraph_ready per subgraph', async () => {
    const { slow: _slow, ...three } = urls;
    const registry = new Registry();
    registerSubgraphGauge(registry, subgraphHealth(three, 1_000));
    const text = await registry.metrics();
    expect(text).toContain('civic_gateway_subgraph_ready{subgraph="engagement"} 1');
    expect(text).toContain('civic_gateway_subgraph_ready{subgraph="initiatives"} 0');
    expect(text).toContain('civic_gateway_subgraph_ready{subgraph="resources"} 0');
  });
});
