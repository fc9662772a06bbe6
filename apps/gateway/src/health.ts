import { Gauge, type Registry } from 'prom-client';

export interface SubgraphState {
  /** The subgraph's /ready answered 2xx within the timeout. */
  ready: boolean;
  /** Its HTTP status, or null when it did not answer in time. */
  status: number | null;
}

export interface SubgraphHealth {
  /** Each subgraph's readiness, asked at most once per `maxAgeMs` (concurrent callers share one round). */
  check(): Promise<Record<string, SubgraphState>>;
  /**
   * The same, waiting at most `waitMs` for a round in progress: a slow subgraph must not make the
   * gateway's liveness probe time out. Until a round has finished, each state is `{ ready: null }`.
   */
  latest(waitMs: number): Promise<Record<string, SubgraphState | { ready: null }>>;
}

/**
 * Subgraph health for /health and /metrics, not for the gateway's readiness: one subgraph down makes
 * the queries touching it answer partially with SERVICE_UNAVAILABLE, while this gateway still serves
 * everything else, so a load balancer must keep sending it traffic.
 */
export function subgraphHealth(
  subgraphUrls: Record<string, string>,
  timeoutMs: number,
  maxAgeMs = 1_000,
  now: () => number = Date.now,
): SubgraphHealth {
  const readyUrls = Object.entries(subgraphUrls).map(
    ([name, url]) => [name, new URL('/ready', url).toString()] as const,
  );
  let last: { at: number; result: Promise<Record<string, SubgraphState>> } | undefined;
  let known: Record<string, SubgraphState | { ready: null }> = Object.fromEntries(
    readyUrls.map(([name]) => [name, { ready: null }]),
  );
  const ask = async (): Promise<Record<string, SubgraphState>> => {
    const states = await Promise.all(
      readyUrls.map(async ([name, url]): Promise<[string, SubgraphState]> => {
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(Math.min(2_000, timeoutMs)) });
          await response.body?.cancel();
          return [name, { ready: response.ok, status: response.status }];
        } catch {
          return [name, { ready: false, status: null }];
        }
      }),
    );
    known = Object.fromEntries(states);
    return Object.fromEntries(states);
  };
  const check = () => {
    if (!last || now() - last.at >= maxAgeMs) last = { at: now(), result: ask() };
    return last.result;
  };
  return {
    check,
    async latest(waitMs) {
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, waitMs);
      });
      await Promise.race([check(), waited]);
      clearTimeout(timer);
      return known;
    },
  };
}

/** `civic_gateway_subgraph_ready{subgraph}`: 1 when the subgraph's /ready answers, read at scrape time. */
export function registerSubgraphGauge(registry: Registry, health: SubgraphHealth): void {
  new Gauge({
    name: 'civic_gateway_subgraph_ready',
    help: "1 when the subgraph's /ready answers 2xx, 0 otherwise (the gateway's own /ready does not depend on it)",
    labelNames: ['subgraph'] as const,
    registers: [registry],
    async collect() {
      for (const [subgraph, state] of Object.entries(await health.check())) this.set({ subgraph }, state.ready ? 1 : 0);
    },
  });
}

/**
 * What /health adds for the gateway: each subgraph's readiness and the rate-limit store. Neither
 * decides the gateway's readiness (server-kit's: not draining; the supergraph is composed before the
 * HTTP server starts): a subgraph down degrades only the fields it serves, and a Redis outage lets
 * requests through (admission.ts), so marking every gateway unready for a dependency they all share
 * would take the whole API down instead.
 */
export function gatewayHealth(
  subgraphs: SubgraphHealth,
  rateLimiter: { store: 'memory' | 'redis'; reachable(): Promise<boolean> },
): () => Promise<Record<string, unknown>> {
  return async () => {
    const [states, reachable] = await Promise.all([subgraphs.latest(500), rateLimiter.reachable()]);
    return {
      subgraphs: states,
      rateLimits: { store: rateLimiter.store, reachable },
    };
  };
}
