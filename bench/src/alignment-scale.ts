// pnpm --filter @civic/bench exec tsx src/alignment-scale.ts [--scale 1] [--new 1000] [--concurrency 10] [--out DIR]
// Issue 17's scale targets measured end to end on the running stack (PostgreSQL, production mode), not on the
// engine alone (packages/alignment/scripts/bench-scale.ts does that), without the load runs of `npm run bench`
// (which measures the same after its load, src/alignment-engine.ts):
// 1. the synthetic dataset at scale N (N=1: 20,000 concerns, 5,000 services) is seeded and engagement restarted,
//    which sweeps every seeded concern (tag, translate, same-issue neighbours, proposed groups): the first pass;
// 2. a full rebuild (`rebuildAlignment`, what `civic align --rebuild` asks for), from the request until the
//    engine is caught up again;
// 3. `--new` residents' statements imported with the staff CSV import, until each is tagged, grouped and matched;
// peak RSS of every process over the whole run. Writes bench/results/alignment-scale-<date>.json and .md.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startStack, waitAlignmentCaughtUp } from '@civic/test-stack/stack';
import {
  type EngineFigures,
  engagementRequest,
  engineRows,
  measureNewConcerns,
  measureRebuild,
  NEW_CONCERNS_NOTE,
  seconds,
  waitWorkerRunning,
} from './alignment-engine.ts';
import { ALIGNMENT_ENGINE, engineProcesses, processStats } from './process-stats.ts';
import { seedStack, settleAfterSeed } from './seed.ts';

const argv = process.argv.slice(2);
const value = (name: string, fallback: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? (argv[i + 1] ?? fallback) : fallback;
};
const scale = Number(value('--scale', '1'));
const newConcerns = Number(value('--new', '1000'));
const concurrency = Number(value('--concurrency', '10'));
const outDir = value('--out', join(import.meta.dirname, '..', 'results'));
process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/postgres';

const stack = await startStack({
  production: true,
  seed: 'none',
  readyTimeoutMs: 300_000,
  // The engine in its own process (as deployed), so its memory is reported beside engagement's.
  env: { INITIATIVES_MEASURE_REFRESH: 'false', ALIGNMENT_WORKER: 'process' },
  gatewayEnv: {
    RATE_LIMIT_PER_ADDRESS: '1000000000',
    RATE_LIMIT_PER_KEY: '1000000000',
    RESPONSE_CACHE: 'off',
  },
});
const peaks = new Map<string, number>();
const samplePeaks = () => {
  const pids: [string, number][] = [
    ...[...stack.processes].map(([name, p]): [string, number] => [name, p.child.pid as number]),
    ...engineProcesses(stack.processes.get('engagement')?.child.pid),
  ];
  for (const [name, pid] of pids) {
    try {
      peaks.set(name, Math.max(peaks.get(name) ?? 0, processStats(pid).peakRssMb));
    } catch {
      // restarted meanwhile: its successor is sampled next time
    }
  }
};
const sampler = setInterval(samplePeaks, 1000);
const startedAt = new Date().toISOString();
let seededConcerns = 0;
let figures: EngineFigures;
try {
  const seeded = await seedStack(stack, scale);
  console.log(`seeded N=${scale} in ${seeded.seconds} s`);
  const counts = await engagementRequest<{ concerns: { totalCount: number } }>(
    stack,
    'STAFF',
    '{ concerns(first: 1) { totalCount } }',
  );
  seededConcerns = counts.concerns.totalCount;
  // The seed wrote from its own process: a start sweeps what it left pending (every seeded concern).
  const firstPassStarted = Date.now();
  if (stack.targets.engagement.kind === 'postgres') {
    await stack.stopSubgraph('engagement');
    await stack.startSubgraph('engagement');
  }
  await waitWorkerRunning(stack);
  console.log(await waitAlignmentCaughtUp(stack, 3_600_000));
  const firstPassSeconds = seconds(Date.now() - firstPassStarted);
  await settleAfterSeed(stack);
  const rebuild = await measureRebuild(stack);
  console.log('rebuild', rebuild);
  const fresh = await measureNewConcerns(stack, { count: newConcerns, concurrency });
  console.log('new concerns', fresh);
  figures = { firstPassSeconds, rebuild, newConcerns: fresh };
} finally {
  clearInterval(sampler);
  samplePeaks();
  await stack.stop();
}

let commit = 'unknown';
try {
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', cwd: import.meta.dirname }).trim();
} catch {
  // not a checkout
}
const peakRssMb = Object.fromEntries(peaks);
const report = { startedAt, scale, seededConcerns, commit, ...figures, peakRssMb };
const stamp = startedAt.replace(/[:.]/g, '-');
const jsonPath = join(outDir, `alignment-scale-${stamp}.json`);
writeFileSync(jsonPath, `${JSON.stringify(report, null, 1)}\n`);
const md = `# Alignment engine at scale, end to end (issue 17)

${startedAt}, commit ${commit}. PostgreSQL, production mode, scale N=${scale} (${seededConcerns} concerns seeded).
Command: \`pnpm --filter @civic/bench exec tsx src/alignment-scale.ts --scale ${scale} --new ${newConcerns} --concurrency ${concurrency}\`

| figure | measured | target | result |
|---|---|---|---|
${engineRows(figures).join('\n')}

Peak RSS over the run (MB; the engine runs in a process of its own, ${ALIGNMENT_ENGINE}, ALIGNMENT_WORKER=process): ${Object.entries(
  peakRssMb,
)
  .map(([name, mb]) => `${name} ${mb}`)
  .join(', ')}.

${NEW_CONCERNS_NOTE}
`;
writeFileSync(jsonPath.replace(/\.json$/, '.md'), md);
console.log(md);
