// tsx src/render.ts results/<date>.json [...]   (re-renders each <date>.md from its JSON, no re-run)
// The Markdown of a results file: targets (recomputed from the runs, so an older JSON shows today's
// targets), a before/after table against the issue's "before" file, the load, memory, the alignment
// engine's figures, gateway overhead, SQL counts and cold start.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { engineRows, NEW_CONCERNS_NOTE } from './alignment-engine.ts';
import type { ColdStartResult } from './cold-start.ts';
import type { QueryCountRow } from './query-counts.ts';
import { type TargetInputs, type TargetRow, targetsTable } from './targets.ts';
import type { LoadResult } from './wrk.ts';

export interface RunRecord {
  /** The dataset scale the run loaded (absent in results of one scale: `options.scale`). */
  scale?: number;
  operation: string;
  target: string;
  concurrency: number;
  load: LoadResult;
  cpuSeconds: Record<string, number>;
  sqlPerRequest: number | null;
}

export interface Overhead {
  operation: string;
  subgraphFetches: string[];
  gatewayMeanMs: number;
  sumOfDirectFetchesMeanMs: number;
  ratio: number;
}

export interface Results extends TargetInputs {
  startedAt: string;
  commit: string;
  database: string;
  /** The command line (absent in results written before it was recorded: rebuilt from the options). */
  command?: string;
  options: TargetInputs['options'] & {
    /** Every scale run, the first with every measurement (absent in results of one scale). */
    scales?: number[];
    laterConcurrency?: number[];
    durationSeconds: number;
    concurrency: number[];
    operations: string[];
    hive: boolean;
    nocache?: boolean;
    coldStart: boolean;
  };
  /** Operations answered without errors through each gateway before loading (absent in older results). */
  checkedOperations?: string[];
  runs: RunRecord[];
  overhead: Overhead[];
  queryCounts: QueryCountRow[];
  coldStart: ColdStartResult | null;
  targets: TargetRow[];
}

const RESULTS_DIR = join(import.meta.dirname, '..', 'results');
/** Issue 20's "before": the last round's full run at N=1 (no response cache existed then). */
export const BEFORE_FILE = join(RESULTS_DIR, '2026-11-23T23-29-11-073Z.json');
const ALIGNMENT_README = join(import.meta.dirname, '..', '..', 'packages', 'alignment', 'README.md');

/** The `npm run bench` arguments that give these options. */
export function commandOf(r: Results): string {
  if (r.command) return r.command;
  const o = r.options;
  const args: string[] = [];
  if (o.scales) {
    if (o.scales.join(',') !== '1,10') args.push('--scale', o.scales.join(','));
  } else if (o.scale !== 1) args.push('--scale', String(o.scale));
  if (o.durationSeconds !== 10) args.push('--duration', String(o.durationSeconds));
  if (o.concurrency.join(',') !== '1,10,50') args.push('--concurrency', o.concurrency.join(','));
  if (o.operations.length > 0) args.push('--operations', o.operations.join(','));
  if (!o.hive) args.push('--no-hive');
  if (o.nocache === false) args.push('--no-nocache');
  if (!o.coldStart) args.push('--no-cold-start');
  return `npm run bench -- ${args.join(' ')}`.trim();
}

const scalesOf = (r: Results) => r.options.scales ?? [r.options.scale];

function loadOf(r: Results, operation: string, target: string, c: number, scale: number): LoadResult | undefined {
  return r.runs.find(
    (x) =>
      x.operation === operation && x.target === target && x.concurrency === c && (x.scale ?? r.options.scale) === scale,
  )?.load;
}

/** The issue's headline figures now against its "before" file, with the cache on and off. */
function beforeAfter(after: Results, before: Results, beforeName: string): string[] {
  const figures: [string, string, number, (l: LoadResult) => number][] = [
    ['concern page, 100 different concerns: req/s', 'concern-page-mixed', 10, (l) => l.throughput],
    ['concern page, 100 different concerns: p99 ms', 'concern-page-mixed', 10, (l) => l.latencyMs.p99],
    ['concern page, one concern: req/s', 'concern-page', 10, (l) => l.throughput],
    ['filtered list, 48 different filters: p95 ms', 'concerns-list-mixed', 10, (l) => l.latencyMs.p95],
    ['dashboard: p50 ms', 'dashboard', 1, (l) => l.latencyMs.p50],
    ['equity gap report: p50 ms', 'gap-report', 1, (l) => l.latencyMs.p50],
    ['suggestedResources, 100 different concerns: p95 ms', 'suggested-resources', 10, (l) => l.latencyMs.p95],
  ];
  const cell = (r: Results, op: string, target: string, c: number, f: (l: LoadResult) => number) => {
    const l = loadOf(r, op, target, c, r.options.scale);
    return l ? String(f(l)) : '-';
  };
  const lines = [
    `## Before / after (before: \`${beforeName}\`, commit ${before.commit}, N=${before.options.scale}, ${before.database}; after: this run, N=${after.options.scale})`,
    '',
    'Before, our gateway had no response cache: its figures compare with both of today’s. Hive Gateway ran on each run’s own subgraphs.',
    '',
    '| figure | c | before: ours | before: Hive | after: ours, cache on | after: ours, cache off | after: Hive |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const [label, op, c, f] of figures) {
    lines.push(
      `| ${label} | ${c} | ${cell(before, op, 'gateway', c, f)} | ${cell(before, op, 'hive', c, f)} | ${cell(after, op, 'gateway', c, f)} | ${cell(after, op, 'gateway-nocache', c, f)} | ${cell(after, op, 'hive', c, f)} |`,
    );
  }
  // The later scales of this run (the before file is one run at N=1; the issue gives the mixed list at N=10 as
  // p95 79.8 ms before).
  for (const scale of scalesOf(after).slice(1)) {
    for (const [label, op, c, f] of figures) {
      const at = (target: string) => {
        const l = loadOf(after, op, target, c, scale);
        return l ? String(f(l)) : undefined;
      };
      const cells = ['gateway', 'gateway-nocache', 'hive'].map(at);
      if (cells.every((x) => x === undefined)) continue;
      lines.push(`| ${label} (N=${scale}) | ${c} | - | - | ${cells.map((x) => x ?? '-').join(' | ')} |`);
    }
  }
  const processes = [...new Set([...Object.keys(before.peakRssMb), ...Object.keys(after.peakRssMb)])];
  for (const p of processes) {
    lines.push(`| peak RSS MB: ${p} | - | ${before.peakRssMb[p] ?? '-'} | - | ${after.peakRssMb[p] ?? '-'} | - | - |`);
  }
  if (before.dashboardOperation !== after.dashboardOperation) {
    lines.push(
      '',
      `The dashboard rows measure different queries: before \`${before.dashboardOperation ?? 'Bench_Dashboard'}\` (one goal), after \`${after.dashboardOperation ?? 'Bench_Dashboard'}\`.`,
    );
  }
  lines.push('');
  return lines;
}

/** The alignment engine: its suggestions under load, and its figures at scale (measured here, or its README's). */
function alignmentSection(r: Results): string[] {
  const lines = ['## Alignment engine (issue 17)', ''];
  const runs = r.runs.filter((x) => x.operation === 'suggested-resources');
  if (runs.length > 0) {
    lines.push(
      '`suggestedResources(first: 5)` for 100 different concerns through the gateway (target p95 < 20 ms at c=10):',
      '',
      '| target | c | req/s | p50 ms | p95 ms | p99 ms |',
      '|---|---|---|---|---|---|',
      ...runs.map(
        (x) =>
          `| ${x.target} | ${x.concurrency} | ${x.load.throughput} | ${x.load.latencyMs.p50} | ${x.load.latencyMs.p95} | ${x.load.latencyMs.p99} |`,
      ),
      '',
    );
  } else {
    lines.push(
      '`suggestedResources` through the gateway: not measured in this run (operation `suggested-resources`).',
      '',
    );
  }
  if (r.alignmentEngine) {
    const e = r.alignmentEngine;
    lines.push(
      `On the same stack at N=${r.options.scale}, after the load: a full rebuild and ${e.newConcerns.imported} residents’ statements imported (the engine in its own process where the database is PostgreSQL, \`engagement-alignment\`):`,
      '',
      '| figure | measured | target | result |',
      '|---|---|---|---|',
      ...engineRows(e),
      '',
      `Peak RSS over the load and these (MB): ${Object.entries(e.peakRssMb)
        .map(([name, mb]) => `${name} ${mb}`)
        .join(', ')}.`,
      '',
      NEW_CONCERNS_NOTE,
      '',
    );
  }
  if (existsSync(ALIGNMENT_README)) {
    const text = readFileSync(ALIGNMENT_README, 'utf8');
    const scale = text.match(/\n## Scale\n([\s\S]*?)(?=\n## )/)?.[1]?.trim();
    if (scale) {
      lines.push(
        'The engine alone at the issue’s N=1 sizes, from `packages/alignment/README.md` (its own `scripts/bench-scale.ts`, not re-run by this benchmark):',
        '',
        scale,
        '',
      );
    }
  }
  return lines;
}

function peakTable(r: Results): string[] {
  const byScale = r.peakRssMbByScale ?? { [String(r.options.scale)]: r.peakRssMb };
  const scales = Object.keys(byScale);
  const processes = [...new Set(scales.flatMap((n) => Object.keys(byScale[n] ?? {})))];
  return [
    `| process | ${scales.map((n) => `N=${n}`).join(' | ')} |`,
    `|---|${scales.map(() => '---|').join('')}`,
    ...processes.map((p) => `| ${p} | ${scales.map((n) => byScale[n]?.[p] ?? '-').join(' | ')} |`),
  ];
}

export function markdown(results: Results, before?: { results: Results; name: string }): string {
  const o = results.options;
  const lines = [
    `# Benchmark ${results.startedAt}`,
    '',
    `Commit ${results.commit}. Database: ${results.database}. Production mode. Dataset: ${scalesOf(results)
      .map((n) => (n > 0 ? `synthetic, scale N=${n}` : 'demo data'))
      .join('; then, on a fresh stack, ')}.`,
    `wrk on loopback, ${o.durationSeconds}s per run. Command: \`${commandOf(results)}\``,
    '',
    '## Targets (issue 20; the suggestions figure is issue 17’s)',
    '',
    '| target | goal | measured | result |',
    '|---|---|---|---|',
    ...results.targets.map((t) => `| ${t.name} | ${t.goal} | ${t.measured} | ${t.result} |`),
    '',
    ...(before ? beforeAfter(results, before.results, before.name) : []),
    '## Load',
    '',
    'target: gateway = ours (response cache on), gateway-nocache = ours with RESPONSE_CACHE=off, hive = Hive Gateway on the same subgraphs, direct:<subgraph> = the fetch our gateway makes, sent to the subgraph itself.',
    '',
    '| N | operation | target | c | req/s | p50 ms | p95 ms | p99 ms | errors | SQL/req | CPU s (gateway / gateway-nocache / hive / engagement / initiatives / resources) |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results.runs) {
    const cpu = ['gateway', 'gateway-nocache', 'hive', 'engagement', 'initiatives', 'resources']
      .map((n) => r.cpuSeconds[n] ?? '-')
      .join(' / ');
    lines.push(
      `| ${r.scale ?? o.scale} | ${r.operation} | ${r.target} | ${r.concurrency} | ${r.load.throughput} | ${r.load.latencyMs.p50} | ${r.load.latencyMs.p95} | ${r.load.latencyMs.p99} | ${r.load.errors} | ${r.sqlPerRequest ?? '-'} | ${cpu} |`,
    );
  }
  lines.push(
    '',
    '## Peak memory under load (RSS, MB)',
    '',
    ...peakTable(results),
    '',
    ...alignmentSection(results),
    '## Gateway overhead (concurrency 1, mean latency through the gateway / sum of its subgraph fetches sent directly)',
    '',
    '| operation | subgraph fetches | gateway mean ms | direct sum ms | ratio |',
    '|---|---|---|---|---|',
    ...results.overhead.map(
      (x) =>
        `| ${x.operation} | ${x.subgraphFetches.join(', ')} | ${x.gatewayMeanMs} | ${x.sumOfDirectFetchesMeanMs} | ${x.ratio} |`,
    ),
    '',
    '## SQL statements per operation, page size 10 vs 100 (no N+1: they must be equal)',
    '',
    '| operation | subgraph | SQL at 10 | SQL at 100 | equal |',
    '|---|---|---|---|---|',
    ...results.queryCounts.map(
      (q) => `| ${q.operation} | ${q.subgraph} | ${q.at10} | ${q.at100} | ${q.at10 === q.at100 ? 'yes' : 'NO'} |`,
    ),
    '',
  );
  if (results.coldStart) {
    const c = results.coldStart;
    lines.push(
      '## Cold start (npm start equivalent: three subgraphs on PGlite, gateway, web client; until every readiness URL answers)',
      '',
      `- first start (empty data folder: migrations and demo seed): ${c.firstStartSeconds} s`,
      `- restart (data present): ${c.restartSeconds} s`,
      `- ${c.note}`,
      '',
    );
  }
  return lines.join('\n');
}

/** The "before" file for a results file, unless it is that file. */
export function readBefore(jsonPath: string): { results: Results; name: string } | undefined {
  if (!existsSync(BEFORE_FILE) || jsonPath === BEFORE_FILE) return undefined;
  return {
    results: JSON.parse(readFileSync(BEFORE_FILE, 'utf8')) as Results,
    name: relative(join(RESULTS_DIR, '..', '..'), BEFORE_FILE),
  };
}

/** Re-renders a results file's Markdown from its JSON, with its targets recomputed. */
export function rerender(jsonPath: string): string {
  const results = JSON.parse(readFileSync(jsonPath, 'utf8')) as Results;
  results.targets = targetsTable(results);
  writeFileSync(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  const mdPath = jsonPath.replace(/\.json$/, '.md');
  writeFileSync(mdPath, markdown(results, readBefore(jsonPath)));
  return mdPath;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const path of process.argv.slice(2)) console.log(rerender(resolve(path)));
}
