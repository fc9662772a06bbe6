// pnpm --filter @civic/bench exec tsx src/alignment-scale.ts [--scale 1] [--new 1000] [--concurrency 10] [--out DIR]
// Issue 17's scale targets measured end to end on the running stack (PostgreSQL, production mode), not on the
// engine alone (packages/alignment/scripts/bench-scale.ts does that):
// 1. the synthetic dataset at scale N (N=1: 20,000 concerns, 5,000 services) is seeded and engagement restarted,
//    which sweeps every seeded concern (tag, translate, same-issue neighbours, proposed groups): the first pass;
// 2. a full rebuild (`rebuildAlignment`, what `civic align --rebuild` asks for), from the request until the
//    engine is caught up again;
// 3. `--new` residents' statements imported with the staff CSV import as published, accepted concerns: how long
//    the import takes to answer, then until every one is tagged and grouped (the engine caught up), then until
//    `suggestedResources(first: 5)` has answered for every one of them through the gateway (response cache off),
//    sent `--concurrency` at a time;
// peak RSS of every process over the whole run. Writes bench/results/alignment-scale-<date>.json and .md.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '@civic/reference-data/durham-neighborhoods';
import { type Role, signIdentity } from '@civic/server-kit/identity';
import { gql } from '@civic/test-stack/graphql';
import { type Stack, startStack, waitAlignmentCaughtUp } from '@civic/test-stack/stack';
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
const SHARED = join(import.meta.dirname, '..', '..', '..', 'shared', 'data');
process.env.DATABASE_URL ||= 'postgres://postgres@127.0.0.1:5432/postgres';

const seconds = (ms: number) => Math.round(ms / 100) / 10;

async function engagement<T>(stack: Stack, role: Role, query: string, variables: Record<string, unknown> = {}) {
  const body = JSON.stringify({ query, variables });
  const identity = { role, subject: 'bench-alignment-scale', department: null, organization: null };
  const response = await fetch(stack.subgraphUrls.engagement, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signIdentity(stack.secret, identity, body) },
    body,
    signal: AbortSignal.timeout(600_000),
  });
  const answer = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!answer.data || answer.errors) throw new Error(`engagement: ${JSON.stringify(answer.errors)}`);
  return answer.data;
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Residents' statements to import: the alignment development set's concerns (English and Spanish) as written, then Polis comments. */
function statements(count: number): { summary: string; language: string }[] {
  const out: { summary: string; language: string }[] = [];
  const seen = new Set<string>();
  const add = (summary: string, language: string) => {
    const text = summary.replace(/\s+/g, ' ').trim();
    if (text.length < 15 || text.length > 500 || seen.has(text.toLowerCase())) return;
    seen.add(text.toLowerCase());
    out.push({ summary: text, language });
  };
  for (const r of parseCsv(readFileSync(join(SHARED, 'alignment', 'concerns-dev.csv'), 'utf8'))) {
    add(r.summary ?? '', r.language || 'en');
  }
  for (const dir of [
    'american-assembly.bowling-green',
    'bg2050-volunteers',
    'scoop-hivemind.affordable-housing',
    'london.youth.policing',
  ]) {
    for (const r of parseCsv(readFileSync(join(SHARED, 'polis', dir, 'comments.csv'), 'utf8')))
      add(r['comment-body'] ?? '', 'en');
  }
  if (out.length < count) throw new Error(`only ${out.length} statements to import, ${count} asked for`);
  return out.slice(0, count);
}

function importCsv(rows: { summary: string; language: string }[], neighborhoods: string[], stamp: string): string {
  const header =
    'conversationKey,conversationTitle,heldOn,format,conversationLanguages,summary,language,neighborhood,supportCount,moderation';
  const lines = rows.map((r, i) => {
    const conversation = Math.floor(i / 100);
    // Every third concern city-wide, the rest spread over the published neighborhoods.
    const neighborhood = i % 3 === 0 ? '' : (neighborhoods[(i * 7) % neighborhoods.length] ?? '');
    return [
      `bench-${stamp}-${conversation}`,
      `Benchmark listening session ${conversation + 1}`,
      '2026-11-01',
      'IN_PERSON',
      'en;es',
      csvField(r.summary),
      r.language,
      csvField(neighborhood),
      String(i % 17),
      'ACCEPTED',
    ].join(',');
  });
  return `${header}\n${lines.join('\n')}\n`;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

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
const report: Record<string, unknown> = { startedAt: new Date().toISOString(), scale, newConcerns, concurrency };
try {
  const seeded = await seedStack(stack, scale);
  console.log(`seeded N=${scale} in ${seeded.seconds} s`);
  const counts = await engagement<{ concerns: { totalCount: number } }>(
    stack,
    'STAFF',
    '{ concerns(first: 1) { totalCount } }',
  );
  report.seededConcerns = counts.concerns.totalCount;
  // The seed wrote from its own process: a start sweeps what it left pending (every seeded concern).
  const firstPassStarted = Date.now();
  if (stack.targets.engagement.kind === 'postgres') {
    await stack.stopSubgraph('engagement');
    await stack.startSubgraph('engagement');
  }
  // A restarted engagement answers before its worker has started: until then the status says no engine runs.
  for (let attempt = 0; ; attempt++) {
    const status = await engagement<{ alignmentStatus: { workerRunning: boolean } }>(
      stack,
      'STAFF',
      '{ alignmentStatus { workerRunning } }',
    ).catch(() => null);
    if (status?.alignmentStatus.workerRunning) break;
    if (attempt === 120) throw new Error('engagement started no alignment worker in 2 minutes');
    await new Promise((r) => setTimeout(r, 1000));
  }
  console.log(await waitAlignmentCaughtUp(stack, 3_600_000));
  report.firstPassSeconds = seconds(Date.now() - firstPassStarted);
  await settleAfterSeed(stack);

  // 2. A full rebuild.
  const rebuildStarted = Date.now();
  const { rebuildAlignment } = await engagement<{ rebuildAlignment: { id: string; total: number } }>(
    stack,
    'ADMIN',
    'mutation { rebuildAlignment { id total } }',
  );
  let rebuild: {
    startedAt: string | null;
    finishedAt: string | null;
    done: number;
    total: number;
    error: string | null;
  };
  for (;;) {
    const status = await engagement<{ alignmentStatus: { rebuild: typeof rebuild } }>(
      stack,
      'STAFF',
      'query ($id: ID) { alignmentStatus { rebuild(id: $id) { startedAt finishedAt done total error } } }',
      { id: rebuildAlignment.id },
    ).catch(() => null);
    if (status?.alignmentStatus.rebuild?.finishedAt) {
      rebuild = status.alignmentStatus.rebuild;
      break;
    }
    if (Date.now() - rebuildStarted > 3_600_000) throw new Error('the rebuild took over an hour');
    await new Promise((r) => setTimeout(r, 1000));
  }
  const rebuildFinished = Date.now();
  console.log(await waitAlignmentCaughtUp(stack, 3_600_000));
  report.rebuild = {
    concerns: rebuild.total,
    untilFinishedSeconds: seconds(rebuildFinished - rebuildStarted),
    workerSeconds:
      rebuild.startedAt && rebuild.finishedAt
        ? seconds(Date.parse(rebuild.finishedAt) - Date.parse(rebuild.startedAt))
        : null,
    untilCaughtUpSeconds: seconds(Date.now() - rebuildStarted),
  };
  console.log('rebuild', report.rebuild);

  // 3. New concerns.
  const neighborhoods = (
    await gql<{ neighborhoods: { name: string }[] }>(stack.gatewayUrl, '{ neighborhoods { name } }')
  ).body.data?.neighborhoods.map((n) => n.name);
  if (!neighborhoods?.length) throw new Error('no neighborhoods');
  const rows = statements(newConcerns);
  const csv = importCsv(rows, neighborhoods, Date.now().toString(36));
  const importStarted = Date.now();
  const imported = await engagement<{
    importConversationsCsv: { conversation: { id: string } | null; concernsCreated: number }[];
  }>(
    stack,
    'STAFF',
    'mutation ($input: ImportConversationsCsvInput!) { importConversationsCsv(input: $input) { concernsCreated conversation { id } } }',
    { input: { csv, fileName: 'bench.csv', publish: true } },
  );
  const importAnswered = Date.now();
  const created = imported.importConversationsCsv.reduce((n, c) => n + c.concernsCreated, 0);
  console.log(await waitAlignmentCaughtUp(stack, 3_600_000));
  const caughtUp = Date.now();
  const ids: string[] = [];
  let tagged = 0;
  let withNeighbours = 0;
  for (const c of imported.importConversationsCsv) {
    if (!c.conversation) continue;
    const data = await engagement<{
      conversation: { concerns: { id: string; themes: string[]; similarConcerns: { score: number }[] }[] };
    }>(
      stack,
      'STAFF',
      'query ($id: ID!) { conversation(id: $id) { concerns { id themes similarConcerns(first: 1) { score } } } }',
      { id: c.conversation.id },
    );
    for (const concern of data.conversation.concerns) {
      ids.push(concern.id);
      if (concern.themes.length > 0) tagged++;
      if (concern.similarConcerns.length > 0) withNeighbours++;
    }
  }
  const query =
    'query Bench_NewSuggestions($id: ID!) { concern(id: $id) { id suggestedResources(first: 5) { score resource { name } } } }';
  const latencies: number[] = [];
  let withSuggestions = 0;
  let next = 0;
  const matchStarted = Date.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ids.length) {
        const id = ids[next++] as string;
        const started = performance.now();
        const answer = await gql<{ concern: { suggestedResources: unknown[] | null } }>(stack.gatewayUrl, query, {
          id,
        });
        latencies.push(performance.now() - started);
        if (answer.body.errors) throw new Error(`suggestions for ${id}: ${JSON.stringify(answer.body.errors)}`);
        if ((answer.body.data?.concern.suggestedResources ?? []).length > 0) withSuggestions++;
      }
    }),
  );
  const matched = Date.now();
  latencies.sort((a, b) => a - b);
  report.newConcerns = {
    imported: created,
    importAnsweredSeconds: seconds(importAnswered - importStarted),
    taggedAndGroupedSeconds: seconds(caughtUp - importStarted),
    matchedSeconds: seconds(matched - importStarted),
    suggestionsForAllSeconds: seconds(matched - matchStarted),
    suggestionLatencyMs: {
      p50: Math.round(percentile(latencies, 50) * 10) / 10,
      p95: Math.round(percentile(latencies, 95) * 10) / 10,
      max: Math.round((latencies.at(-1) ?? 0) * 10) / 10,
    },
    tagged,
    withSimilarConcerns: withNeighbours,
    withSuggestions,
  };
  console.log('new concerns', report.newConcerns);
} finally {
  clearInterval(sampler);
  samplePeaks();
  report.peakRssMb = Object.fromEntries(peaks);
  await stack.stop();
}

let commit = 'unknown';
try {
  const { execFileSync } = await import('node:child_process');
  commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', cwd: import.meta.dirname }).trim();
} catch {
  // not a checkout
}
report.commit = commit;
const stamp = (report.startedAt as string).replace(/[:.]/g, '-');
const jsonPath = join(outDir, `alignment-scale-${stamp}.json`);
writeFileSync(jsonPath, `${JSON.stringify(report, null, 1)}\n`);
const rebuildReport = report.rebuild as {
  concerns: number;
  untilFinishedSeconds: number;
  untilCaughtUpSeconds: number;
};
const fresh = report.newConcerns as {
  imported: number;
  importAnsweredSeconds: number;
  taggedAndGroupedSeconds: number;
  matchedSeconds: number;
  suggestionsForAllSeconds: number;
  suggestionLatencyMs: { p50: number; p95: number; max: number };
  tagged: number;
  withSimilarConcerns: number;
  withSuggestions: number;
};
const met = (ok: boolean) => (ok ? 'met' : 'missed');
const md = `# Alignment engine at scale, end to end (issue 17)

${report.startedAt}, commit ${commit}. PostgreSQL, production mode, scale N=${scale} (${report.seededConcerns} concerns seeded).
Command: \`pnpm --filter @civic/bench exec tsx src/alignment-scale.ts --scale ${scale} --new ${newConcerns} --concurrency ${concurrency}\`

| figure | measured | target | result |
|---|---|---|---|
| first pass over the seeded concerns (engagement restarted after the seed) | ${report.firstPassSeconds} s | — | — |
| full rebuild (\`rebuildAlignment\`, ${rebuildReport.concerns} concerns), asked → finished | ${rebuildReport.untilFinishedSeconds} s | < 120 s | ${met(rebuildReport.untilFinishedSeconds < 120)} |
| … asked → engine caught up | ${rebuildReport.untilCaughtUpSeconds} s | | |
| ${fresh.imported} new concerns: the CSV import answers | ${fresh.importAnsweredSeconds} s | at once | |
| … import asked → every one tagged and grouped | ${fresh.taggedAndGroupedSeconds} s | | |
| … import asked → suggestions answered for every one (gateway, cache off, c=${concurrency}) | ${fresh.matchedSeconds} s | < 30 s | ${met(fresh.matchedSeconds < 30)} |
| suggestions for the ${fresh.imported}: all / p50 / p95 / max | ${fresh.suggestionsForAllSeconds} s / ${fresh.suggestionLatencyMs.p50} / ${fresh.suggestionLatencyMs.p95} / ${fresh.suggestionLatencyMs.max} ms | | |
| new concerns with a theme / with a similar concern / with a suggestion | ${fresh.tagged} / ${fresh.withSimilarConcerns} / ${fresh.withSuggestions} of ${fresh.imported} | | |

Peak RSS over the run (MB; the engine runs in a process of its own, ${ALIGNMENT_ENGINE}, ALIGNMENT_WORKER=process): ${Object.entries(
  report.peakRssMb as Record<string, number>,
)
  .map(([name, mb]) => `${name} ${mb}`)
  .join(', ')}.

The new concerns are the alignment development set's 150 concerns as written (40 in Spanish) and residents'
statements from the Polis exports in \`../shared/data/polis\`, in 10 published conversations; two in three name a
published neighborhood. Suggestions are computed when asked for (resources ranks with the concern's text from
engagement, through federation), so "matched" is the time until each has been asked for once.
`;
writeFileSync(jsonPath.replace(/\.json$/, '.md'), md);
console.log(md);
