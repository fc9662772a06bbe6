// Issue 17's engine figures on a running stack (PostgreSQL, production mode): a full rebuild, and residents'
// statements imported with the staff CSV import until each is tagged, grouped and matched. Used by run.ts (after
// its load runs at the first scale, so the load shares the cores with nothing) and by alignment-scale.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCsv } from '@civic/reference-data/durham-neighborhoods';
import { type Role, signIdentity } from '@civic/server-kit/identity';
import { gql } from '@civic/test-stack/graphql';
import { type Stack, waitAlignmentCaughtUp } from '@civic/test-stack/stack';

const SHARED = join(import.meta.dirname, '..', '..', '..', 'shared', 'data');
const HOUR_MS = 3_600_000;

export interface RebuildFigures {
  concerns: number;
  /** `rebuildAlignment` asked → its job finished. */
  untilFinishedSeconds: number;
  /** The worker's own start → finish of the rebuild job. */
  workerSeconds: number | null;
  /** Asked → the engine caught up with what the rebuild queued (neighbours, groups). */
  untilCaughtUpSeconds: number;
}

export interface NewConcernFigures {
  imported: number;
  importAnsweredSeconds: number;
  taggedAndGroupedSeconds: number;
  matchedSeconds: number;
  suggestionsForAllSeconds: number;
  suggestionLatencyMs: { p50: number; p95: number; max: number };
  tagged: number;
  withSimilarConcerns: number;
  withSuggestions: number;
  concurrency: number;
}

export interface EngineFigures {
  /** Engagement restarted after the seed → the engine caught up with every seeded concern. */
  firstPassSeconds: number | null;
  rebuild: RebuildFigures;
  newConcerns: NewConcernFigures;
}

export const seconds = (ms: number) => Math.round(ms / 100) / 10;

export async function engagementRequest<T>(
  stack: Stack,
  role: Role,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const body = JSON.stringify({ query, variables });
  const identity = { role, subject: 'bench-alignment', department: null, organization: null };
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

/** A restarted engagement answers before its worker has started: until then the status says no engine runs. */
export async function waitWorkerRunning(stack: Stack, timeoutMs = 120_000): Promise<void> {
  const started = Date.now();
  for (;;) {
    const status = await engagementRequest<{ alignmentStatus: { workerRunning: boolean } }>(
      stack,
      'STAFF',
      '{ alignmentStatus { workerRunning } }',
    ).catch(() => null);
    if (status?.alignmentStatus.workerRunning) return;
    if (Date.now() - started > timeoutMs) {
      throw new Error(`engagement started no alignment worker in ${timeoutMs / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Residents' statements to import: the alignment development set's concerns (English and Spanish) as written, then Polis comments. */
export function residentStatements(count: number): { summary: string; language: string }[] {
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

/** `rebuildAlignment` (what `civic align --rebuild` asks for), from the request until the engine is caught up. */
export async function measureRebuild(stack: Stack): Promise<RebuildFigures> {
  const started = Date.now();
  const { rebuildAlignment } = await engagementRequest<{ rebuildAlignment: { id: string; total: number } }>(
    stack,
    'ADMIN',
    'mutation { rebuildAlignment { id total } }',
  );
  type Rebuild = { startedAt: string | null; finishedAt: string | null; done: number; total: number };
  let rebuild: Rebuild;
  for (;;) {
    const status = await engagementRequest<{ alignmentStatus: { rebuild: Rebuild | null } }>(
      stack,
      'STAFF',
      'query ($id: ID) { alignmentStatus { rebuild(id: $id) { startedAt finishedAt done total } } }',
      { id: rebuildAlignment.id },
    ).catch(() => null);
    if (status?.alignmentStatus.rebuild?.finishedAt) {
      rebuild = status.alignmentStatus.rebuild;
      break;
    }
    if (Date.now() - started > HOUR_MS) throw new Error('the rebuild took over an hour');
    await new Promise((r) => setTimeout(r, 1000));
  }
  const finished = Date.now();
  console.log(await waitAlignmentCaughtUp(stack, HOUR_MS));
  return {
    concerns: rebuild.total,
    untilFinishedSeconds: seconds(finished - started),
    workerSeconds:
      rebuild.startedAt && rebuild.finishedAt
        ? seconds(Date.parse(rebuild.finishedAt) - Date.parse(rebuild.startedAt))
        : null,
    untilCaughtUpSeconds: seconds(Date.now() - started),
  };
}

/**
 * `count` residents' statements imported with the staff CSV import as published, accepted concerns: how long the
 * import takes to answer, then until every one is tagged and grouped (the engine caught up), then until
 * `suggestedResources(first: 5)` has answered for every one through the gateway, `concurrency` at a time.
 */
export async function measureNewConcerns(
  stack: Stack,
  options: { count: number; concurrency: number; gatewayUrl?: string },
): Promise<NewConcernFigures> {
  const gatewayUrl = options.gatewayUrl ?? stack.gatewayUrl;
  const neighborhoods = (
    await gql<{ neighborhoods: { name: string }[] }>(gatewayUrl, '{ neighborhoods { name } }')
  ).body.data?.neighborhoods.map((n) => n.name);
  if (!neighborhoods?.length) throw new Error('no neighborhoods');
  const csv = importCsv(residentStatements(options.count), neighborhoods, Date.now().toString(36));
  const importStarted = Date.now();
  const imported = await engagementRequest<{
    importConversationsCsv: { conversation: { id: string } | null; concernsCreated: number }[];
  }>(
    stack,
    'STAFF',
    'mutation ($input: ImportConversationsCsvInput!) { importConversationsCsv(input: $input) { concernsCreated conversation { id } } }',
    { input: { csv, fileName: 'bench.csv', publish: true } },
  );
  const importAnswered = Date.now();
  const created = imported.importConversationsCsv.reduce((n, c) => n + c.concernsCreated, 0);
  console.log(await waitAlignmentCaughtUp(stack, HOUR_MS));
  const caughtUp = Date.now();
  const ids: string[] = [];
  let tagged = 0;
  let withNeighbours = 0;
  for (const c of imported.importConversationsCsv) {
    if (!c.conversation) continue;
    const data = await engagementRequest<{
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
    Array.from({ length: options.concurrency }, async () => {
      while (next < ids.length) {
        const id = ids[next++] as string;
        const started = performance.now();
        const answer = await gql<{ concern: { suggestedResources: unknown[] | null } }>(gatewayUrl, query, { id });
        latencies.push(performance.now() - started);
        if (answer.body.errors) throw new Error(`suggestions for ${id}: ${JSON.stringify(answer.body.errors)}`);
        if ((answer.body.data?.concern.suggestedResources ?? []).length > 0) withSuggestions++;
      }
    }),
  );
  const matched = Date.now();
  latencies.sort((a, b) => a - b);
  return {
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
    concurrency: options.concurrency,
  };
}

const met = (ok: boolean) => (ok ? 'met' : 'missed');

/** The engine's figures as Markdown table rows (`| figure | measured | target | result |`). */
export function engineRows(f: EngineFigures): string[] {
  const n = f.newConcerns;
  return [
    ...(f.firstPassSeconds === null
      ? []
      : [
          `| first pass over the seeded concerns (engagement restarted after the seed) | ${f.firstPassSeconds} s | — | — |`,
        ]),
    `| full rebuild (\`rebuildAlignment\`, ${f.rebuild.concerns} concerns), asked → finished | ${f.rebuild.untilFinishedSeconds} s | < 120 s | ${met(f.rebuild.untilFinishedSeconds < 120)} |`,
    `| … asked → engine caught up | ${f.rebuild.untilCaughtUpSeconds} s | | |`,
    `| ${n.imported} new concerns: the CSV import answers | ${n.importAnsweredSeconds} s | at once | |`,
    `| … import asked → every one tagged and grouped | ${n.taggedAndGroupedSeconds} s | | |`,
    `| … import asked → suggestions answered for every one (gateway, cache off, c=${n.concurrency}) | ${n.matchedSeconds} s | < 30 s | ${met(n.matchedSeconds < 30)} |`,
    `| suggestions for the ${n.imported}: all / p50 / p95 / max | ${n.suggestionsForAllSeconds} s / ${n.suggestionLatencyMs.p50} / ${n.suggestionLatencyMs.p95} / ${n.suggestionLatencyMs.max} ms | | |`,
    `| new concerns with a theme / with a similar concern / with a suggestion | ${n.tagged} / ${n.withSimilarConcerns} / ${n.withSuggestions} of ${n.imported} | | |`,
  ];
}

export const NEW_CONCERNS_NOTE = `The new concerns are the alignment development set's 150 concerns as written (40 in Spanish) and residents'
statements from the Polis exports in \`../shared/data/polis\`, in published conversations of 100; two in three name a
published neighborhood. Suggestions are computed when asked for (resources ranks with the concern's text from
engagement, through federation), so "matched" is the time until each has been asked for once.`;
