// V8 heap caps per service: the one place that defines them. `civic up` (apps/cli), the test stacks and
// the benchmark (packages/test-stack) pass nodeMemoryFlags(service) to node; deploy/kubernetes sets the
// same flags in NODE_OPTIONS (tests/instances/test/deploy.test.ts checks they match).
//
// Why: with V8's default limit (4 GB here) the old generation grows to 2-4x its live size before a full
// collection under load, so a service living at 50-110 MB of heap peaked at 370-490 MB RSS in the
// benchmark (bench/README.md "Memory"). A cap makes V8 collect sooner; it must stay well above the
// largest live set the service ever holds, or the process dies with "heap out of memory". Each cap is
// that largest live set (after a full collection at its peak, bench/README.md "Memory") at N=10 with
// margin; the figures and which of them are estimates are beside each cap.
import type { SubgraphName } from './ports.ts';

export type ServiceName = SubgraphName | 'gateway';

/** --max-old-space-size per service, in MB. */
export const HEAP_LIMIT_MB: Record<ServiceName, number> = {
  // ~60 MB live at N=1 plus the in-memory response cache (RESPONSE_CACHE_MAX_BYTES, 32 MB): ~92 MB at most, 2x
  // under the cap. At 256 a gateway with the cache off, whose every request allocates subgraph answers, let its
  // heap grow to 313 MB RSS under the benchmark (results/2026-12-06T22-34-05-556Z.md).
  gateway: 192,
  // ~64 MB live at N=1; the alignment regroup holds every concern, the similarity index and 10
  // neighbours each: 33 MB above the empty heap for 20,000 concerns (bench/src/live-sets.ts), so
  // ~330 MB at N=10 (200,000 concerns, extrapolated linearly, not run: ~1 h of CPU on these machines).
  engagement: 768,
  // ~51 MB live at N=1; the measure refresh reads 16 observations per initiative (300 at N=1).
  initiatives: 256,
  // ~80-110 MB live at N=1, of which ~20 MB the service matcher (5,000 services); ~200 MB at N=10,
  // held twice while it is rebuilt (not measured at N=10).
  resources: 640,
};

/**
 * Young generation semi-space, in MB (Node 20's default is 16 on 64-bit; 3 semi-spaces are reserved).
 * Smaller means more frequent but cheaper scavenges and fewer short-lived objects promoted early.
 */
export const SEMI_SPACE_MB = 8;

/**
 * The node flags a service starts with. An operator's own --max-old-space-size in NODE_OPTIONS wins
 * (these flags are then left out), and CIVIC_NODE_FLAGS adds flags of their own (e.g. --trace-gc to
 * measure live sets; node refuses it in NODE_OPTIONS).
 */
export function nodeMemoryFlags(service: ServiceName, env: NodeJS.ProcessEnv = process.env): string[] {
  const own = /--max-old-space-size/.test(env.NODE_OPTIONS ?? '')
    ? []
    : [`--max-old-space-size=${HEAP_LIMIT_MB[service]}`, `--max-semi-space-size=${SEMI_SPACE_MB}`];
  return [...own, ...(env.CIVIC_NODE_FLAGS ?? '').split(/\s+/).filter(Boolean)];
}

/** The same flags as NODE_OPTIONS holds them (deploy/kubernetes). */
export function nodeOptionsFor(service: ServiceName): string {
  return nodeMemoryFlags(service, {}).join(' ');
}
