// pnpm --filter @civic/bench exec tsx src/cpu-per-request.ts [--scale 1] [--operation concern-page-mixed]
//   [--requests 600] [--concurrency 10] [--rounds 3] [--cpu-prof] [--answers FILE] [--vacuum]
// CPU time per request of each process (gateway with its response cache off, and each subgraph):
// utime + stime from /proc before and after sending the operation's documents in turn. Unlike
// req/s, this does not depend on what else the machine is running. With --cpu-prof every process
// runs under `node --cpu-prof` (bench/profiles/cpu-<date>/) and its top self time is printed; the
// CPU figures of such a run include the profiler's own cost. --answers writes every answer (by
// variables) so that two builds can be compared for identical outputs. --vacuum runs VACUUM ANALYZE on each
// subgraph's database after the warm-up: the first suggestions recompute every seeded service's coverage (5,000
// rows updated at N=1, after the seed's own VACUUM), which leaves as many dead rows until autovacuum comes by.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack } from '@civic/test-stack/stack';
import { flagshipOperations } from './operations.ts';
import { processStats } from './process-stats.ts';
import { topSelfTime } from './profile-top.ts';
import { seedStack, settleAfterSeed } from './seed.ts';

const argv = process.argv.slice(2);
const value = (name: string, fallback: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};
const scale = Number(value('--scale', '1'));
const operationName = value('--operation', 'concern-page-mixed');
const requests = Number(value('--requests', '600'));
const concurrency = Number(value('--concurrency', '10'));
const rounds = Number(value('--rounds', '3'));
const profileDir = argv.includes('--cpu-prof')
  ? join(import.meta.dirname, '..', 'profiles', `cpu-${new Date().toISOString().replace(/[:.]/g, '-')}`)
  : undefined;
const answersFile = argv.includes('--answers') ? value('--answers', '') : undefined;
const vacuum = argv.includes('--vacuum');
process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/postgres';

if (profileDir) mkdirSync(profileDir, { recursive: true });
const stack = await startStack({
  production: true,
  seed: 'none',
  readyTimeoutMs: 300_000,
  env: {
    INITIATIVES_MEASURE_REFRESH: 'false',
    ...(profileDir ? { CIVIC_NODE_FLAGS: `--cpu-prof --cpu-prof-dir ${profileDir}` } : {}),
  },
  gatewayEnv: {
    RATE_LIMIT_PER_ADDRESS: '1000000000',
    RATE_LIMIT_PER_KEY: '1000000000',
    MAX_COST: '1000000',
    RESPONSE_CACHE: 'off',
  },
});
try {
  const seeded = await seedStack(stack, scale);
  // The scale seed writes from its own process and nudges no alignment worker: the seeded concerns stay
  // pending and the worker idle while this measures (run.ts's waitForAlignmentEngine would wait for them).
  console.log(`seeded N=${scale} in ${seeded.seconds} s`);
  const operation = (await flagshipOperations(stack.gatewayUrl)).find((o) => o.name === operationName);
  if (!operation) throw new Error(`no operation ${operationName}`);
  const variableSets = operation.variableSets ?? [operation.variables];
  const answers = new Map<string, string>();
  const send = async (variables: Record<string, unknown>) => {
    const response = await fetch(stack.gatewayUrl, {
      method: 'POST',
      // As wrk sends it in the benchmark: no accept-encoding, so answers are not compressed.
      headers: {
        'content-type': 'application/json',
        'apollo-require-preflight': 'true',
        'accept-encoding': 'identity',
      },
      body: JSON.stringify({ query: operation.query, variables }),
    });
    const text = await response.text();
    const body = JSON.parse(text) as { errors?: unknown[] };
    if (!response.ok || body.errors) throw new Error(`${response.status}: ${text.slice(0, 500)}`);
    answers.set(JSON.stringify(variables), text);
  };
  const load = async (count: number) => {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          const i = next++;
          await send(variableSets[i % variableSets.length] as Record<string, unknown>);
        }
      }),
    );
  };
  // The first suggestions build resources' service matcher (seconds of CPU), past the gateway's subgraph timeout on
  // a loaded machine: retried until one answer is whole. Then every document once (JIT, plan cache, connection
  // pools), then the measured rounds.
  for (let attempt = 1; ; attempt++) {
    try {
      await send(variableSets[0] as Record<string, unknown>);
      break;
    } catch (error) {
      if (attempt === 30) throw error;
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
  await load(variableSets.length);
  if (vacuum) {
    await settleAfterSeed(stack);
    await load(variableSets.length);
  }
  const processes = [...stack.processes.entries()].map(([name, p]) => ({ name, pid: p.child.pid as number }));
  const rows: Record<string, number[]> = Object.fromEntries(processes.map((p) => [p.name, []]));
  // PostgreSQL's CPU for each subgraph: the server processes (backends) serving its database. A backend that
  // started during a round counts from zero; one that ended during it is missed (pools keep theirs under load).
  const databases = Object.entries(stack.targets).flatMap(([name, t]) =>
    t.kind === 'postgres' ? [{ name: `postgres:${name}`, database: t.database }] : [],
  );
  const backendCpu = () =>
    databases.map(({ database }) => {
      const pids = execFileSync(
        'psql',
        [process.env.DATABASE_URL as string, '-Atc', `SELECT pid FROM pg_stat_activity WHERE datname = '${database}'`],
        { encoding: 'utf8' },
      )
        .split('\n')
        .filter(Boolean)
        .map(Number);
      const cpu = new Map<number, number>();
      for (const pid of pids) {
        try {
          cpu.set(pid, processStats(pid).cpuSeconds);
        } catch {
          // ended meanwhile
        }
      }
      return cpu;
    });
  // Each subgraph's SQL statements and HTTP requests (a batch of the gateway's fetches counts once) so far.
  const subgraphCounters = async () =>
    Promise.all(
      Object.values(stack.subgraphUrls).map(async (url) => {
        const text = await (await fetch(url.replace(/\/graphql$/, '/metrics'))).text();
        const counter = (name: string) => Number(text.match(new RegExp(`${name}\\{[^}]*\\} (\\d+)`))?.[1] ?? 0);
        return { sql: counter('civic_sql_statements_total'), http: counter('civic_graphql_requests_total') };
      }),
    );
  for (let round = 0; round < rounds; round++) {
    const countersBefore = await subgraphCounters();
    const backendsBefore = backendCpu();
    const before = processes.map((p) => processStats(p.pid).cpuSeconds);
    const started = performance.now();
    await load(requests);
    const seconds = (performance.now() - started) / 1000;
    const after = processes.map((p) => processStats(p.pid).cpuSeconds);
    const perRequest = processes.map((p, i) => {
      const ms = (((after[i] as number) - (before[i] as number)) * 1000) / requests;
      rows[p.name]?.push(ms);
      return `${p.name} ${ms.toFixed(2)}`;
    });
    const backendsAfter = backendCpu();
    const countersAfter = await subgraphCounters();
    databases.forEach((d, i) => {
      let seconds = 0;
      for (const [pid, cpu] of backendsAfter[i] ?? []) seconds += cpu - (backendsBefore[i]?.get(pid) ?? 0);
      const ms = (seconds * 1000) / requests;
      rows[d.name] = [...(rows[d.name] ?? []), ms];
      perRequest.push(`${d.name} ${ms.toFixed(2)}`);
    });
    const perSubgraph = (counter: 'sql' | 'http') =>
      Object.keys(stack.subgraphUrls).map((name, i) => {
        const count = (countersAfter[i]?.[counter] ?? 0) - (countersBefore[i]?.[counter] ?? 0);
        return `${name} ${(count / requests).toFixed(2)}`;
      });
    console.log(
      `round ${round + 1}: ${requests} requests, c=${concurrency}, ${seconds.toFixed(1)} s; CPU ms/request: ${perRequest.join(', ')}; SQL/request: ${perSubgraph('sql').join(', ')}; HTTP requests/request: ${perSubgraph('http').join(', ')}`,
    );
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  console.log(`\n${operationName}, N=${scale}, c=${concurrency}, CPU ms per request (median of ${rounds} rounds):`);
  let total = 0;
  for (const p of [...processes, ...databases]) {
    const m = median(rows[p.name] ?? []);
    total += m;
    console.log(`  ${p.name.padEnd(12)} ${m.toFixed(2)}`);
  }
  console.log(`  ${'total'.padEnd(12)} ${total.toFixed(2)}`);
  const sorted = [...answers.entries()].sort(([a], [b]) => a.localeCompare(b));
  const digest = createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 16);
  console.log(`answers: ${sorted.length} distinct, sha256 ${digest}`);
  if (answersFile) writeFileSync(answersFile, `${sorted.map(([v, a]) => `${v}\t${a}`).join('\n')}\n`);
} finally {
  await stack.destroy();
}
if (profileDir) {
  for (const file of readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))) {
    console.log(`\n${join(profileDir, file)}\n${topSelfTime(join(profileDir, file), 30).join('\n')}`);
  }
}
