// npm run bench [-- --smoke] [--scale 1,10] [--duration S] [--concurrency 1,10] [--operations a,b] [--no-hive]
//                [--no-nocache] [--no-engine] [--new N] [--no-cold-start] [--out DIR]   (see bench/README.md)
// Starts the real stack in production mode (PostgreSQL unless --smoke without DATABASE_URL), seeds
// the synthetic dataset at the first scale, loads each flagship operation with wrk on loopback through our
// gateway, through Hive Gateway and directly on the subgraphs, counts SQL per operation at page
// sizes 10 and 100, times the alignment engine (a rebuild, new concerns); then, on a fresh stack for each
// further scale, the operations whose targets are at that scale; measures cold start, and writes one
// bench/results/<date>.json + .md.
import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PUBLIC_IDENTITY, signIdentity } from '@civic/server-kit/identity';
import { SUBGRAPHS } from '@civic/server-kit/ports';
import { gql } from '@civic/test-stack/graphql';
import {
  entries,
  freePort,
  launch,
  type Stack,
  startStack,
  stopProcess,
  waitAlignmentCaughtUp,
  waitReady,
} from '@civic/test-stack/stack';
import { type EngineFigures, measureNewConcerns, measureRebuild, waitWorkerRunning } from './alignment-engine.ts';
import { type CapturedFetch, startCaptureProxy } from './capture.ts';
import { type ColdStartResult, coldStart } from './cold-start.ts';
import { startHive } from './hive.ts';
import { DASHBOARD_OPERATION, flagshipOperations } from './operations.ts';
import { engineProcesses, processStats } from './process-stats.ts';
import { type QueryCountRow, queryCounts } from './query-counts.ts';
import { markdown, type Overhead, type Results, type RunRecord, readBefore } from './render.ts';
import { seedStack, settleAfterSeed } from './seed.ts';
import { targetsTable } from './targets.ts';
import { type LoadResult, runWrk } from './wrk.ts';

export interface Options {
  smoke: boolean;
  durationSeconds: number;
  concurrency: number[];
  outDir: string;
  databaseUrl: string | undefined;
  /** Synthetic dataset scales, each on a fresh stack (0 keeps the demo data); the first gets every measurement. */
  scales: number[];
  /** The first of `scales` (results written before several scales ran in one file have only this). */
  scale: number;
  /** What is loaded at the later scales, and at which concurrencies. */
  laterOperations: string[];
  laterConcurrency: number[];
  /** Time the alignment engine (a rebuild, `newConcerns` imported concerns) after the load at the first scale. */
  engine: boolean;
  newConcerns: number;
  /** Only these operations (all when empty). */
  operations: string[];
  /**
   * Of those, only these are loaded (all when empty); the others are checked with one request through
   * each gateway. The smoke run loads one operation of each kind (fixed across the three subgraphs,
   * mixed, the dashboard) and checks the rest.
   */
  load: string[];
  hive: boolean;
  /** Also load a second gateway of ours with its response cache off (`target: gateway-nocache`). */
  nocache: boolean;
  coldStart: boolean;
}

/** What --smoke loads: a fixed operation joining the three subgraphs, a mixed one, and the web client's dashboard. */
export const SMOKE_LOAD = ['concern-page', 'concern-page-mixed', 'dashboard'];
/** The operations with targets at N=10 (issue 20): what the later scales load. */
export const N10_OPERATIONS = ['concerns-list-mixed', 'gap-report'];

function parseOptions(argv: string[]): Options {
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const smoke = argv.includes('--smoke');
  const scales = (value('--scale') ?? (smoke ? '0.005,0.01' : '1,10')).split(',').map(Number);
  if (scales.length === 0 || !scales.every((n) => n >= 0 && n <= 100)) {
    throw new Error('--scale takes numbers from 0 (demo data) to 100, separated by commas');
  }
  const concurrency = (value('--concurrency') ?? (smoke ? '1' : '1,10,50')).split(',').map(Number);
  return {
    smoke,
    durationSeconds: Number(value('--duration') ?? (smoke ? 1 : 10)),
    concurrency,
    outDir: value('--out') ?? join(import.meta.dirname, '..', 'results'),
    databaseUrl: process.env.DATABASE_URL || (smoke ? undefined : 'postgres://postgres@127.0.0.1:5432/postgres'),
    scales,
    scale: scales[0] as number,
    laterOperations: N10_OPERATIONS,
    laterConcurrency: smoke ? concurrency : [1, 10],
    engine: !argv.includes('--no-engine'),
    newConcerns: Number(value('--new') ?? (smoke ? 20 : 1000)),
    operations: (value('--operations') ?? '').split(',').filter(Boolean),
    load: (value('--load') ?? (smoke ? SMOKE_LOAD.join(',') : '')).split(',').filter(Boolean),
    hive: !argv.includes('--no-hive'),
    nocache: !argv.includes('--no-nocache'),
    coldStart: !argv.includes('--no-cold-start') && !smoke,
  };
}

async function sqlStatements(stack: Stack): Promise<number> {
  let total = 0;
  for (const name of SUBGRAPHS) {
    const text = await (await fetch(stack.subgraphUrls[name].replace('/graphql', '/metrics'))).text();
    total += Number(text.match(/civic_sql_statements_total\{[^}]*\} (\d+)/)?.[1] ?? 0);
  }
  return total;
}

/** Processes measured besides the stack's own (Hive Gateway, the gateway without its cache). */
const extraProcesses = new Map<string, ChildProcess>();

function allPids(stack: Stack): [string, number][] {
  const out: [string, number][] = [];
  for (const [name, proc] of stack.processes) if (proc.child.pid) out.push([name, proc.child.pid]);
  for (const [name, child] of extraProcesses) if (child.pid && child.exitCode === null) out.push([name, child.pid]);
  out.push(...engineProcesses(stack.processes.get('engagement')?.child.pid));
  return out;
}

function cpuSnapshot(stack: Stack): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, pid] of allPids(stack)) out[name] = processStats(pid).cpuSeconds;
  return out;
}

async function measure(
  stack: Stack,
  scale: number,
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
  return { scale, operation, target, concurrency, load, cpuSeconds, sqlPerRequest };
}

/**
 * A gateway of ours whose subgraph requests go through recording proxies: `capture(body)` returns the
 * subgraph fetches one execution of a request makes. Started once per run.
 */
async function startCaptureGateway(
  stack: Stack,
): Promise<{ capture(body: string): Promise<CapturedFetch[]>; stop(): Promise<void> }> {
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
    // Every request reaches the subgraphs (a body is captured once anyway).
    RESPONSE_CACHE: 'off',
  });
  const stop = async () => {
    await stopProcess(gateway);
    await Promise.all(proxies.map((p) => p.close()));
    if (keyStore) rmSync(keyStore, { recursive: true, force: true });
  };
  try {
    await waitReady(`http://127.0.0.1:${port}/ready`, gateway);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    async capture(body) {
      captured.length = 0;
      await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      return [...captured];
    },
    stop,
  };
}

/** Our gateway again, on the same subgraphs, with its response cache off (RESPONSE_CACHE=off). */
async function startGatewayWithoutCache(stack: Stack): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const keyStore = stack.gatewayEnv.CIVIC_DATA_DIR ? mkdtempSync(join(tmpdir(), 'civic-nocache-')) : undefined;
  const gateway = launch('gateway-nocache', entries.gateway, {
    ...stack.gatewayEnv,
    ...(keyStore ? { CIVIC_DATA_DIR: keyStore } : {}),
    GATEWAY_PORT: String(port),
    GATEWAY_HOST: '127.0.0.1',
    RESPONSE_CACHE: 'off',
  });
  extraProcesses.set('gateway-nocache', gateway.child);
  const stop = async () => {
    await stopProcess(gateway);
    if (keyStore) rmSync(keyStore, { recursive: true, force: true });
  };
  try {
    await waitReady(`http://127.0.0.1:${port}/ready`, gateway);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}/graphql`, stop };
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', cwd: import.meta.dirname }).trim();
  } catch {
    return 'unknown';
  }
}

/**
 * The alignment engine tags and regroups what was just seeded in the background; measuring while it
 * runs charges its CPU to the requests. A smoke run, whose figures mean nothing, waits at most
 * `smokeTimeoutMs` and then goes on, saying what was still waiting.
 */
async function waitForAlignmentEngine(
  stack: Stack,
  options: { smoke: boolean; timeoutMs?: number; smokeTimeoutMs?: number },
): Promise<string> {
  const timeoutMs = options.smoke ? (options.smokeTimeoutMs ?? 4 * 60_000) : (options.timeoutMs ?? 30 * 60_000);
  try {
    return await waitAlignmentCaughtUp(stack, timeoutMs);
  } catch (error) {
    if (!options.smoke) throw error;
    return `${(error as Error).message}; a smoke run measures anyway`;
  }
}

/** What one scale's stack measured. */
interface ScaleOutcome {
  runs: RunRecord[];
  overhead: Overhead[];
  checked: string[];
  queryCounts: QueryCountRow[] | null;
  peakRssMb: Record<string, number>;
  engine: (EngineFigures & { peakRssMb: Record<string, number> }) | null;
}

/**
 * One scale on a stack of its own (a fresh database, so no answer cached at one scale is served at another):
 * seed, let the engine catch up, load `operations` through each gateway at `concurrency`; at the first scale also
 * the direct fetches, query counts and, after the load, the alignment engine's figures.
 */
async function runScale(
  options: Options,
  scale: number,
  plan: { first: boolean; operations: string[]; load: string[]; concurrency: number[] },
): Promise<ScaleOutcome> {
  // Load comes from one loopback address, so the per-address rate limit is lifted for the run; the
  // cost cap too, for the query-count lists at page size 100 (the cost is still computed per request).
  // The measure refresher is off so no timer adds SQL to the counts.
  const stack = await startStack({
    production: true,
    seed: scale > 0 ? 'none' : 'demo',
    readyTimeoutMs: 300_000,
    env: {
      INITIATIVES_MEASURE_REFRESH: 'false',
      // The alignment engine in its own process, as deployed, reported as engagement-alignment (PostgreSQL only).
      ...(process.env.DATABASE_URL ? { ALIGNMENT_WORKER: 'process' } : {}),
    },
    gatewayEnv: {
      RATE_LIMIT_PER_ADDRESS: '1000000000',
      RATE_LIMIT_PER_KEY: '1000000000',
      MAX_COST: '1000000',
      // As deployed (test stacks turn it off); target gateway-nocache measures it off.
      RESPONSE_CACHE: 'on',
    },
  });
  const runs: RunRecord[] = [];
  const overhead: Overhead[] = [];
  let hive: Awaited<ReturnType<typeof startHive>> | undefined;
  let nocache: Awaited<ReturnType<typeof startGatewayWithoutCache>> | undefined;
  let capture: Awaited<ReturnType<typeof startCaptureGateway>> | undefined;
  const checked: string[] = [];
  try {
    let firstPassSeconds: number | null = null;
    if (scale > 0) {
      const seeded = await seedStack(stack, scale);
      console.log(`seeded scale ${scale} in ${seeded.seconds}s`);
      if (stack.targets.engagement.kind === 'postgres') {
        // The seed wrote from its own process while engagement ran: its concerns wait, marked pending, for a sweep
        // that only a mutation or a start asks for (on PGlite seedStack restarts the subgraphs). Without it the
        // 20,000 seeded concerns of N=1 stayed pending with the worker idle, so waitForAlignmentEngine could only
        // time out after its 30 minutes.
        const restarted = Date.now();
        await stack.stopSubgraph('engagement');
        await stack.startSubgraph('engagement');
        await waitWorkerRunning(stack);
        console.log(await waitForAlignmentEngine(stack, { smoke: options.smoke }));
        firstPassSeconds = Math.round((Date.now() - restarted) / 100) / 10;
      }
      await settleAfterSeed(stack);
    }
    console.log(await waitForAlignmentEngine(stack, { smoke: options.smoke }));
    if (scale > 0) {
      // The engine has just rewritten every seeded concern (themes, translations) and their neighbours (1.9 million
      // rows at N=10): analyzed and vacuumed, as autovacuum would before long, so the runs do not read dead rows.
      for (const target of Object.values(stack.targets)) {
        if (target.kind === 'postgres') execFileSync('psql', [target.url, '-qAtc', 'VACUUM ANALYZE']);
      }
    }
    if (options.hive) {
      hive = await startHive(stack);
      extraProcesses.set('hive', hive.child);
    }
    if (options.nocache || (plan.first && options.engine)) nocache = await startGatewayWithoutCache(stack);
    const operations = (await flagshipOperations(stack.gatewayUrl)).filter(
      (op) => plan.operations.length === 0 || plan.operations.includes(op.name),
    );
    for (const op of operations) {
      const body = JSON.stringify({ query: op.query, variables: op.variables });
      const loadBody = op.variableSets
        ? op.variableSets.map((variables) => JSON.stringify({ query: op.query, variables }))
        : body;
      const check = await gql(stack.gatewayUrl, op.query, op.variables);
      if (check.body.errors) throw new Error(`${op.name} fails: ${JSON.stringify(check.body.errors)}`);
      if (hive) {
        const viaHive = await gql(hive.url, op.query, op.variables);
        if (viaHive.body.errors) throw new Error(`${op.name} fails on Hive: ${JSON.stringify(viaHive.body.errors)}`);
      }
      checked.push(op.name);
      if (plan.load.length > 0 && !plan.load.includes(op.name)) continue;
      const targets: [string, string][] = [['gateway', stack.gatewayUrl]];
      if (nocache && options.nocache) targets.push(['gateway-nocache', nocache.url]);
      if (hive) targets.push(['hive', hive.url]);
      for (const [target, url] of targets) {
        console.log(`N=${scale} ${op.name}: ${target}`);
        for (const c of plan.concurrency) {
          runs.push(
            await measure(stack, scale, op.name, target, c, () =>
              runWrk({ url, body: loadBody, connections: c, durationSeconds: options.durationSeconds }),
            ),
          );
        }
      }
      // The same work as the subgraphs see it, without the gateway: each captured fetch on its own
      // (once per query: a mixed variant's fetches are its fixed twin's), at the first scale.
      if (op.variableSets || !plan.first) continue;
      capture ??= await startCaptureGateway(stack);
      const fetches = await capture.capture(body);
      let directMean = 0;
      for (const f of fetches) {
        const headers = signIdentity(stack.secret, PUBLIC_IDENTITY, f.body);
        const record = await measure(stack, scale, op.name, `direct:${f.subgraph}`, 1, () =>
          runWrk({ url: f.url, body: f.body, headers, connections: 1, durationSeconds: options.durationSeconds }),
        );
        runs.push(record);
        directMean += record.load.latencyMs.mean;
      }
      // The gateway's own work on each request: without its response cache when that was measured.
      const atOne = (target: string) =>
        runs.find((r) => r.operation === op.name && r.target === target && r.concurrency === 1);
      const viaGateway = atOne('gateway-nocache') ?? atOne('gateway');
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
    let counts: QueryCountRow[] | null = null;
    if (plan.first) {
      console.log('query counts');
      counts = await queryCounts(stack);
    }
    const peakRssMb = peaks(stack);
    let engine: ScaleOutcome['engine'] = null;
    if (plan.first && options.engine && nocache) {
      // After the load, so no run shares the cores with it; the rebuild and the import change the data the
      // operations read, so nothing is loaded after them.
      console.log(`N=${scale} alignment engine: rebuild, ${options.newConcerns} new concerns`);
      const rebuild = await measureRebuild(stack);
      const newConcerns = await measureNewConcerns(stack, {
        count: options.newConcerns,
        concurrency: 10,
        gatewayUrl: nocache.url,
      });
      engine = { firstPassSeconds, rebuild, newConcerns, peakRssMb: peaks(stack) };
    }
    return { runs, overhead, checked, queryCounts: counts, peakRssMb, engine };
  } finally {
    await capture?.stop();
    await hive?.stop();
    await nocache?.stop();
    extraProcesses.clear();
    await stack.destroy();
  }
}

/** Peak RSS so far (VmHWM) of every process the run measures, in MB. */
function peaks(stack: Stack): Record<string, number> {
  return Object.fromEntries(allPids(stack).map(([name, pid]) => [name, processStats(pid).peakRssMb]));
}

export async function runBenchmarks(
  options: Options,
): Promise<{ jsonPath: string; mdPath: string; runs: RunRecord[]; queryCounts: QueryCountRow[] }> {
  if (options.databaseUrl) process.env.DATABASE_URL = options.databaseUrl;
  else delete process.env.DATABASE_URL;
  const startedAt = new Date().toISOString();
  const [firstScale, ...laterScales] = options.scales;
  if (firstScale === undefined) throw new Error('--scale names no scale');
  const first = await runScale(options, firstScale, {
    first: true,
    operations: options.operations,
    load: options.load,
    concurrency: options.concurrency,
  });
  const runs = [...first.runs];
  const checked = [...first.checked];
  const peakRssMbByScale: Record<string, Record<string, number>> = { [String(firstScale)]: first.peakRssMb };
  for (const scale of laterScales) {
    const later = await runScale(options, scale, {
      first: false,
      operations: options.laterOperations.filter(
        (op) => options.operations.length === 0 || options.operations.includes(op),
      ),
      load: [],
      concurrency: options.laterConcurrency,
    });
    runs.push(...later.runs);
    checked.push(...later.checked.map((op) => `${op} (N=${scale})`));
    peakRssMbByScale[String(scale)] = later.peakRssMb;
  }
  let cold: ColdStartResult | null = null;
  if (options.coldStart) {
    console.log('cold start');
    cold = await coldStart();
  }
  const partial = {
    startedAt,
    commit: gitCommit(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    database: options.databaseUrl ? 'PostgreSQL' : 'PGlite',
    options,
    peakRssMb: first.peakRssMb,
    peakRssMbByScale,
    checkedOperations: checked,
    runs,
    overhead: first.overhead,
    queryCounts: first.queryCounts ?? [],
    coldStart: cold,
    dashboardOperation: DASHBOARD_OPERATION,
    alignmentEngine: first.engine,
  };
  const results: Results = { ...partial, targets: targetsTable(partial) };
  mkdirSync(options.outDir, { recursive: true });
  const stamp = startedAt.replace(/[:.]/g, '-');
  const jsonPath = join(options.outDir, `${options.smoke ? 'smoke-' : ''}${stamp}.json`);
  const mdPath = jsonPath.replace(/\.json$/, '.md');
  writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(mdPath, markdown(results, readBefore(jsonPath)));
  return { jsonPath, mdPath, runs, queryCounts: results.queryCounts };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const options = parseOptions(process.argv.slice(2));
  const { jsonPath, mdPath, queryCounts: counts } = await runBenchmarks(options);
  console.log(`results: ${jsonPath}\n         ${mdPath}`);
  const unequal = counts.filter((q) => q.at10 !== q.at100);
  if (unequal.length > 0) {
    console.error(
      `SQL per operation differs between page sizes 10 and 100: ${unequal.map((q) => q.operation).join(', ')}`,
    );
    process.exit(1);
  }
}

export { parseOptions };
