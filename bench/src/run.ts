// npm run bench [-- --smoke] [--duration S] [--concurrency 1,10] [--out DIR]
// Starts the real stack in production mode (PostgreSQL unless --smoke without DATABASE_URL),
// loads each flagship operation with wrk on loopback, and writes bench/results/<date>.json + .md.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PUBLIC_IDENTITY, signIdentity } from '@civic/server-kit/identity';
import { SUBGRAPHS } from '@civic/server-kit/ports';
import { gql } from '@civic/test-stack/graphql';
import { entries, freePort, launch, type Stack, startStack, stopProcess, waitReady } from '@civic/test-stack/stack';
import { type CapturedFetch, startCaptureProxy } from './capture.ts';
import { flagshipOperations } from './operations.ts';
import { processStats } from './process-stats.ts';
import { type LoadResult, runWrk } from './wrk.ts';

interface Options {
  smoke: boolean;
  durationSeconds: number;
  concurrency: number[];
  outDir: string;
  databaseUrl: string | undefined;
}

function parseOptions(argv: string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const smoke = argv.includes('--smoke');
  return {
    smoke,
    durationSeconds: Number(value('--duration') ?? (smoke ? 1 : 10)),
    concurrency: (value('--concurrency') ?? (smoke ? '1' : '1,10,50')).split(',').map(Number),
    outDir: value('--out') ?? join(import.meta.dirname, '..', 'results'),
    databaseUrl: process.env.DATABASE_URL || (smoke ? undefined : 'postgres://postgres@127.0.0.1:5432/postgres'),
  };
}

interface RunRecord {
  operation: string;
  target: string;
  concurrency: number;
  load: LoadResult;
  cpuSeconds: Record<string, number>;
  sqlPerRequest: number | null;
}

async function sqlStatements(stack: Stack): Promise<number> {
  let total = 0;
  for (const name of SUBGRAPHS) {
    const text = await (await fetch(stack.subgraphUrls[name].replace('/graphql', '/metrics'))).text();
    total += Number(text.match(/civic_sql_statements_total\{[^}]*\} (\d+)/)?.[1] ?? 0);
  }
  return total;
}

function cpuSnapshot(stack: Stack): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, proc] of stack.processes) if (proc.child.pid) out[name] = processStats(proc.child.pid).cpuSeconds;
  return out;
}

async function measure(
  stack: Stack,
  operation: string,
  target: string,
  concurrency: number,
  run: () => Promise<LoadResult>,
): Promise<RunRecord> {
  const cpuBefore = cpuSnapshot(stack);
  const sqlBefore = await sqlStatements(stack);
  const load = await run();
  const sqlAfter = await sqlStatements(stack);
  const cpuAfter = cpuSnapshot(stack);
  const cpuSeconds = Object.fromEntries(
    Object.keys(cpuAfter).map((k) => [k, Math.round(((cpuAfter[k] ?? 0) - (cpuBefore[k] ?? 0)) * 100) / 100]),
  );
  // The /metrics reads themselves issue no SQL, so the delta is the load's.
  const sqlPerRequest = load.requests > 0 ? Math.round(((sqlAfter - sqlBefore) / load.requests) * 100) / 100 : null;
  return { operation, target, concurrency, load, cpuSeconds, sqlPerRequest };
}

/** Records the subgraph requests the gateway makes for one execution of each operation. */
async function captureSubgraphFetches(stack: Stack, body: string): Promise<CapturedFetch[]> {
  const captured: CapturedFetch[] = [];
  const proxies = await Promise.all(
    SUBGRAPHS.map((name) => startCaptureProxy(name, stack.subgraphUrls[name], captured)),
  );
  const port = await freePort();
  // Its own key-store folder on PGlite (one process per folder); on PostgreSQL it shares the database.
  const keyStore = stack.gatewayEnv.CIVIC_DATA_DIR ? mkdtempSync(join(tmpdir(), 'civic-capture-')) : undefined;
  const gateway = launch('capture-gateway', entries.gateway, {
    ...stack.gatewayEnv,
    ...(keyStore ? { CIVIC_DATA_DIR: keyStore } : {}),
    GATEWAY_PORT: String(port),
    GATEWAY_HOST: '127.0.0.1',
    ENGAGEMENT_URL: proxies[0]?.url,
    INITIATIVES_URL: proxies[1]?.url,
    RESOURCES_URL: proxies[2]?.url,
  });
  try {
    await waitReady(`http://127.0.0.1:${port}/ready`, gateway);
    captured.length = 0;
    await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return [...captured];
  } finally {
    await stopProcess(gateway);
    await Promise.all(proxies.map((p) => p.close()));
    if (keyStore) rmSync(keyStore, { recursive: true, force: true });
  }
}

function markdown(results: {
  startedAt: string;
  options: Options;
  runs: RunRecord[];
  overhead: unknown[];
  database: string;
}) {
  const lines = [
    `# Benchmark ${results.startedAt}`,
    '',
    `Database: ${results.database}. Production mode. wrk on loopback, ${results.options.durationSeconds}s per run.`,
    '',
    '| operation | target | c | req/s | p50 ms | p95 ms | p99 ms | errors | SQL/req | CPU s (gateway / engagement / initiatives / resources) |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results.runs) {
    const cpu = ['gateway', 'engagement', 'initiatives', 'resources'].map((n) => r.cpuSeconds[n] ?? '-').join(' / ');
    lines.push(
      `| ${r.operation} | ${r.target} | ${r.concurrency} | ${r.load.throughput} | ${r.load.latencyMs.p50} | ${r.load.latencyMs.p95} | ${r.load.latencyMs.p99} | ${r.load.errors} | ${r.sqlPerRequest ?? '-'} | ${cpu} |`,
    );
  }
  lines.push(
    '',
    '## Gateway overhead (concurrency 1, mean latency)',
    '',
    '```json',
    JSON.stringify(results.overhead, null, 2),
    '```',
    '',
  );
  return lines.join('\n');
}

export async function runBenchmarks(
  options: Options,
): Promise<{ jsonPath: string; mdPath: string; runs: RunRecord[] }> {
  if (options.databaseUrl) process.env.DATABASE_URL = options.databaseUrl;
  else delete process.env.DATABASE_URL;
  const startedAt = new Date().toISOString();
  // Load comes from one loopback address, so the per-address rate limit is lifted for the run.
  const stack = await startStack({
    production: true,
    seed: 'demo',
    gatewayEnv: { RATE_LIMIT_PER_ADDRESS: '1000000000', RATE_LIMIT_PER_KEY: '1000000000' },
  });
  const runs: RunRecord[] = [];
  const overhead: unknown[] = [];
  try {
    const operations = await flagshipOperations(stack.gatewayUrl);
    for (const op of operations) {
      const body = JSON.stringify({ query: op.query, variables: op.variables });
      const check = await gql(stack.gatewayUrl, op.query, op.variables);
      if (check.body.errors) throw new Error(`${op.name} fails: ${JSON.stringify(check.body.errors)}`);
      for (const c of options.concurrency) {
        runs.push(
          await measure(stack, op.name, 'gateway', c, () =>
            runWrk({ url: stack.gatewayUrl, body, connections: c, durationSeconds: options.durationSeconds }),
          ),
        );
      }
      // The same work as the subgraphs see it, without the gateway: each captured fetch on its own.
      const fetches = await captureSubgraphFetches(stack, body);
      let directMean = 0;
      for (const f of fetches) {
        const headers = signIdentity(stack.secret, PUBLIC_IDENTITY, f.body);
        const record = await measure(stack, op.name, `direct:${f.subgraph}`, 1, () =>
          runWrk({ url: f.url, body: f.body, headers, connections: 1, durationSeconds: options.durationSeconds }),
        );
        runs.push(record);
        directMean += record.load.latencyMs.mean;
      }
      const viaGateway = runs.find((r) => r.operation === op.name && r.target === 'gateway' && r.concurrency === 1);
      if (viaGateway && fetches.length > 0) {
        overhead.push({
          operation: op.name,
          subgraphFetches: fetches.map((f) => f.subgraph),
          gatewayMeanMs: viaGateway.load.latencyMs.mean,
          sumOfDirectFetchesMeanMs: Math.round(directMean * 100) / 100,
          ratio: Math.round((viaGateway.load.latencyMs.mean / directMean) * 100) / 100,
        });
      }
    }
    const memory = Object.fromEntries(
      [...stack.processes].map(([name, p]) => [name, p.child.pid ? processStats(p.child.pid).peakRssMb : null]),
    );
    const results = {
      startedAt,
      database: options.databaseUrl ? 'PostgreSQL' : 'PGlite',
      options,
      peakRssMb: memory,
      runs,
      overhead,
    };
    mkdirSync(options.outDir, { recursive: true });
    const stamp = startedAt.replace(/[:.]/g, '-');
    const jsonPath = join(options.outDir, `${options.smoke ? 'smoke-' : ''}${stamp}.json`);
    const mdPath = jsonPath.replace(/\.json$/, '.md');
    writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(mdPath, markdown(results));
    return { jsonPath, mdPath, runs };
  } finally {
    await stack.destroy();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const options = parseOptions(process.argv.slice(2));
  const { jsonPath, mdPath } = await runBenchmarks(options);
  console.log(`results: ${jsonPath}\n         ${mdPath}`);
}

export { parseOptions };
