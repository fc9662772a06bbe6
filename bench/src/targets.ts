import type { EngineFigures } from './alignment-engine.ts';
import type { LoadResult } from './wrk.ts';

export interface TargetRow {
  name: string;
  goal: string;
  measured: string;
  result: string;
}

export interface TargetInputs {
  options: { scale: number };
  /** `scale` is absent in results written before several scales ran in one file: they ran at `options.scale`. */
  runs: { scale?: number; operation: string; target: string; concurrency: number; load: LoadResult }[];
  /** Peak RSS at the first scale, under load (before the alignment engine's figures were taken). */
  peakRssMb: Record<string, number | null>;
  /** Peak RSS under load at each scale (absent in results of one scale). */
  peakRssMbByScale?: Record<string, Record<string, number | null>>;
  /** The alignment engine's figures at the first scale, after the load (absent in older results). */
  alignmentEngine?: (EngineFigures & { peakRssMb: Record<string, number> }) | null;
  /** The dashboard operation's GraphQL operation name (absent in results written before it was recorded). */
  dashboardOperation?: string;
}

/** The web client's dashboard query (apps/web/src/pages/PlanDashboard.tsx): one request for the whole page. */
export const WEB_DASHBOARD_OPERATION = 'PlanDashboard_Plan';
/** Our processes, each judged against the memory target (Hive Gateway is reported, not judged). */
const OUR_PROCESSES = ['engagement', 'engagement-alignment', 'initiatives', 'resources', 'gateway', 'gateway-nocache'];

const pct = (x: number) => `${Math.round(x * 100)}%`;
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

type Judge = { goal: string; scale?: number } & ({ atLeast: number } | { below: number } | { atMost: number });

/** Met, or missed by how much (relative to the goal); "not measured" when the run did not cover it. */
function row(name: string, judge: Judge, value: number | undefined, unit: string, scales: number[]): TargetRow {
  const goal = judge.scale === undefined ? judge.goal : `${judge.goal} (N=${judge.scale})`;
  if (value === undefined) {
    const otherScale =
      judge.scale !== undefined && !scales.includes(judge.scale)
        ? ` (run at N=${scales.join(', ')}; the target is for N=${judge.scale})`
        : '';
    return { name, goal, measured: '-', result: `not measured${otherScale}` };
  }
  let miss: number;
  if ('atLeast' in judge) miss = (judge.atLeast - value) / judge.atLeast;
  else if ('below' in judge) miss = (value - judge.below) / judge.below;
  else miss = (value - judge.atMost) / judge.atMost;
  // A shortfall that rounds to 0% is still a miss (e.g. p99 exactly at the bound).
  const verdict = isMet(judge, value) ? 'met' : `missed by ${pct(Math.max(miss, 0.005))}`;
  return { name, goal, measured: `${value}${unit}`, result: verdict };
}

function isMet(judge: Judge, value: number): boolean {
  if ('atLeast' in judge) return value >= judge.atLeast;
  if ('below' in judge) return value < judge.below;
  return value <= judge.atMost;
}

/** Issue 20's targets (and issue 17's suggestions figure), each met or missed by how much. */
export function targetsTable(r: TargetInputs): TargetRow[] {
  const scaleOf = (x: TargetInputs['runs'][number]) => x.scale ?? r.options.scale;
  const find = (operation: string, target: string, c: number, scale = 1) =>
    r.runs.find((x) => x.operation === operation && x.target === target && x.concurrency === c && scaleOf(x) === scale)
      ?.load;
  const n = [...new Set([r.options.scale, ...r.runs.map(scaleOf)])];
  const rows: TargetRow[] = [];
  // Every figure twice: with the gateway's response cache (target gateway) and without (gateway-nocache).
  const both = (label: string, each: (target: string, cache: string) => TargetRow[]) => {
    rows.push(...each('gateway', `${label}, cache on`), ...each('gateway-nocache', `${label}, cache off`));
  };
  const page = 'concern page, 100 different concerns (concern-page-mixed), c=10';
  const pageHive = find('concern-page-mixed', 'hive', 10);
  rows.push(
    row(
      `${page}, cache on: throughput`,
      { goal: '>= 500 req/s', atLeast: 500, scale: 1 },
      find('concern-page-mixed', 'gateway', 10)?.throughput,
      ' req/s',
      n,
    ),
    row(
      `${page}, cache on: p99`,
      { goal: '< 50 ms', below: 50, scale: 1 },
      find('concern-page-mixed', 'gateway', 10)?.latencyMs.p99,
      ' ms',
      n,
    ),
  );
  const vsHive = (target: string) => {
    const ours = find('concern-page-mixed', target, 10);
    return ours && pageHive ? ratio(ours.throughput, pageHive.throughput) : undefined;
  };
  rows.push(
    row(`${page}, cache on: vs Hive Gateway`, { goal: '>= 2x Hive throughput', atLeast: 2 }, vsHive('gateway'), 'x', n),
    row(
      `${page}, cache off: throughput`,
      { goal: '>= 350 req/s', atLeast: 350, scale: 1 },
      find('concern-page-mixed', 'gateway-nocache', 10)?.throughput,
      ' req/s',
      n,
    ),
    row(
      `${page}, cache off: vs Hive Gateway`,
      { goal: '>= 1.5x Hive throughput', atLeast: 1.5 },
      vsHive('gateway-nocache'),
      'x',
      n,
    ),
  );
  both('filtered concerns list, 48 different filters (concerns-list-mixed), c=10', (target, label) => [
    row(
      `${label}: p95`,
      { goal: '< 30 ms', below: 30, scale: 10 },
      find('concerns-list-mixed', target, 10, 10)?.latencyMs.p95,
      ' ms',
      n,
    ),
  ]);
  const webDashboard = r.dashboardOperation === WEB_DASHBOARD_OPERATION;
  rows.push({
    name: 'dashboard: requests the web client sends for the page',
    goal: `1 (${WEB_DASHBOARD_OPERATION})`,
    measured: r.dashboardOperation ?? '-',
    result: webDashboard
      ? 'met: the benchmarked operation is the web client’s one dashboard query'
      : 'not measured (this run benchmarked another dashboard query than the web client’s)',
  });
  both('dashboard, c=1', (target, label) => [
    row(
      `${label}: p50`,
      { goal: '< 15 ms', below: 15, scale: 1 },
      find('dashboard', target, 1)?.latencyMs.p50,
      ' ms',
      n,
    ),
  ]);
  for (const scale of [1, 10]) {
    const bound = scale === 1 ? 15 : 50;
    both('equity gap report, c=1', (target, label) => [
      row(
        `${label}: p50`,
        { goal: `< ${bound} ms`, below: bound, scale },
        find('gap-report', target, 1, scale)?.latencyMs.p50,
        ' ms',
        n,
      ),
    ]);
  }
  both('suggestedResources for 100 different concerns (suggested-resources), c=10 (issue 17)', (target, label) => [
    row(
      `${label}: p95`,
      { goal: '< 20 ms', below: 20, scale: 1 },
      find('suggested-resources', target, 10)?.latencyMs.p95,
      ' ms',
      n,
    ),
  ]);
  if (r.alignmentEngine) {
    // Measured at the first scale: judged only when that is the targets' N=1.
    const engine = r.options.scale === 1 ? r.alignmentEngine : undefined;
    rows.push(
      row(
        'alignment engine: full rebuild, asked → finished (issue 17)',
        { goal: '< 120 s', below: 120, scale: 1 },
        engine?.rebuild.untilFinishedSeconds,
        ' s',
        [r.options.scale],
      ),
      row(
        `alignment engine: ${r.alignmentEngine.newConcerns.imported} new concerns imported → tagged, grouped and matched (issue 17)`,
        { goal: '< 30 s', below: 30, scale: 1 },
        engine?.newConcerns.matchedSeconds,
        ' s',
        [r.options.scale],
      ),
    );
  }
  const peaksAtOne = r.peakRssMbByScale?.['1'] ?? (r.options.scale === 1 ? r.peakRssMb : {});
  for (const name of OUR_PROCESSES) {
    const peak = peaksAtOne[name];
    rows.push(
      row(
        `peak RSS under load: ${name}`,
        { goal: '<= 300 MB', atMost: 300, scale: 1 },
        peak === null || peak === undefined ? undefined : peak,
        ' MB',
        n,
      ),
    );
  }
  return rows;
}
