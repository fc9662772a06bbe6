// pnpm --filter @civic/bench exec tsx src/profile-gateway.ts [--scale N] [--operation concern-page]
//   [--duration S] [--concurrency C] [--out DIR] [--response-cache on|off]
// Starts the stack on PostgreSQL, seeds it, starts a second gateway under `node --cpu-prof` on the
// same subgraphs, loads one operation through it with wrk, and writes its .cpuprofile (open it in
// Chrome DevTools or speedscope) plus a list of the functions with the most self time.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { entries, freePort, type ManagedProcess, startStack, stopProcess, waitReady } from '@civic/test-stack/stack';
import { flagshipOperations } from './operations.ts';
import { topSelfTime } from './profile-top.ts';
import { seedStack } from './seed.ts';
import { runWrk } from './wrk.ts';

const argv = process.argv.slice(2);
const value = (name: string, fallback: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};
const scale = Number(value('--scale', '0.05'));
const operation = value('--operation', 'concern-page');
const outDir = value('--out', join(import.meta.dirname, '..', 'profiles'));
process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/postgres';
const METRICS_TOKEN = randomBytes(16).toString('hex');

const stack = await startStack({
  production: true,
  seed: 'none',
  env: { INITIATIVES_MEASURE_REFRESH: 'false' },
  gatewayEnv: { RATE_LIMIT_PER_ADDRESS: '1000000000', RATE_LIMIT_PER_KEY: '1000000000' },
});
let gateway: ManagedProcess | undefined;
try {
  await seedStack(stack, scale);
  mkdirSync(outDir, { recursive: true });
  const port = await freePort();
  const child = spawn(process.execPath, ['--cpu-prof', '--cpu-prof-dir', outDir, entries.gateway], {
    env: {
      ...process.env,
      ...stack.gatewayEnv,
      GATEWAY_PORT: String(port),
      RESPONSE_CACHE: value('--response-cache', 'off'),
      METRICS_TOKEN,
    },
    stdio: 'ignore',
  });
  gateway = { name: 'profiled-gateway', child, output: [], exited: new Promise((r) => child.once('exit', r)) };
  await waitReady(`http://127.0.0.1:${port}/ready`, gateway);
  const url = `http://127.0.0.1:${port}/graphql`;
  const op = (await flagshipOperations(url)).find((o) => o.name === operation);
  if (!op) throw new Error(`no operation ${operation}`);
  const before = new Set(readdirSync(outDir));
  const load = await runWrk({
    url,
    body: JSON.stringify({ query: op.query, variables: op.variables }),
    connections: Number(value('--concurrency', '10')),
    durationSeconds: Number(value('--duration', '10')),
  });
  console.log(`${operation}: ${load.throughput} req/s, p99 ${load.latencyMs.p99} ms, errors ${load.errors}`);
  const metrics = await (
    await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
  ).text();
  const cache = metrics.split('\n').filter((line) => line.startsWith('civic_gateway_response_cache_total'));
  if (cache.length > 0) console.log(cache.join('\n'));
  await stopProcess(gateway);
  gateway = undefined;
  const written = readdirSync(outDir).filter((f) => f.endsWith('.cpuprofile') && !before.has(f));
  for (const file of written) {
    console.log(`\n${join(outDir, file)}\n${topSelfTime(join(outDir, file)).join('\n')}`);
  }
} finally {
  if (gateway) await stopProcess(gateway);
  await stack.destroy();
}
