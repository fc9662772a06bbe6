import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const MAX_OPERATION_LABELS = 500;

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

  // Operation names come from clients: bound the label set so they cannot exhaust memory.
  const seen = new Set<string>();
  const label = (name: string | null | undefined): string => {
    if (!name) return 'anonymous';
    if (!OPERATION_NAME.test(name)) return 'invalid';
    if (seen.has(name)) return name;
    if (seen.size >= MAX_OPERATION_LABELS) return 'other';
    seen.add(name);
    return name;
  };

  return {
    registry,
    observeRequest(operation: string | null | undefined, status: number, seconds: number, codes: string[]) {
      const op = label(operation);
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
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
