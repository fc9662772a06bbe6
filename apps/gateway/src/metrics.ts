import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_OPERATION_LABELS = 500;
/** Labels that callers other than signed-in staff may take, in all and each. */
const MAX_UNTRUSTED_LABELS = 400;
const MAX_LABELS_PER_CLIENT = 20;

/**
 * Who named an operation: `client` is what its rate limit counts (an address, a key, a user);
 * `trusted` callers (signed-in STAFF/ADMIN, the gateway's own operations) are not capped per client.
 */
export interface Caller {
  client: string;
  trusted: boolean;
}

/** Prometheus metrics for the gateway: one registry per gateway (tests start several). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'civic_gateway_requests_total',
    help: 'GraphQL operations by operation name and HTTP status',
    labelNames: ['operation', 'status'] as const,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'civic_gateway_errors_total',
    help: 'Errors returned to clients, by operation name and error code',
    labelNames: ['operation', 'code'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'civic_gateway_request_duration_seconds',
    help: 'GraphQL request latency by operation name',
    labelNames: ['operation'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const subgraphLatency = new Histogram({
    name: 'civic_gateway_subgraph_fetch_duration_seconds',
    help: 'Subgraph fetch latency by subgraph and outcome (ok, error, timeout)',
    labelNames: ['subgraph', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'civic_gateway_rejected_requests_total',
    help: 'Requests refused before GraphQL ran, by reason (UNAUTHENTICATED, RATE_LIMITED, PAYLOAD_TOO_LARGE, ...)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const responseCache = new Counter({
    name: 'civic_gateway_response_cache_total',
    help: 'Operations by response cache outcome: hit, stale (past its TTL, served while one request recomputes it), miss (a PUBLIC query computed), bypass (not cacheable)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });

  // Operation names come from clients: bound the label set so they cannot exhaust memory, and
  // bound what each client may add so junk names from one cannot push real operations into "other".
  const seen = new Set<string>();
  let untrusted = 0;
  const addedBy = new Map<string, number>();
  const label = (name: string | null | undefined, caller?: Caller): string => {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'invalid';
    if (seen.has(name)) return name;
    if (seen.size >= MAX_OPERATION_LABELS) return 'other';
    if (caller && !caller.trusted) {
      const added = addedBy.get(caller.client) ?? 0;
      if (added >= MAX_LABELS_PER_CLIENT || untrusted >= MAX_UNTRUSTED_LABELS) return 'other';
      // Clients are as many as the labels they added: bounded by MAX_UNTRUSTED_LABELS.
      addedBy.set(caller.client, added + 1);
      untrusted++;
    }
    seen.add(name);
    return name;
  };

  return {
    registry,
    observeRequest(
      operation: string | null | undefined,
      status: number,
      seconds: number,
      codes: string[],
      caller?: Caller,
    ) {
      const op = label(operation, caller);
      requests.inc({ operation: op, status: String(status) });
      latency.observe({ operation: op }, seconds);
      for (const code of codes) errors.inc({ operation: op, code });
    },
    observeSubgraph(subgraph: string, outcome: 'ok' | 'error' | 'timeout', seconds: number) {
      subgraphLatency.observe({ subgraph, outcome }, seconds);
    },
    observeRejection(reason: string) {
      rejected.inc({ reason });
    },
    observeResponseCache(outcome: 'hit' | 'stale' | 'miss' | 'bypass') {
      responseCache.inc({ outcome });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
