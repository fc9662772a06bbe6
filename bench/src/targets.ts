import type { LoadResult } from './wrk.ts';

export interface TargetRow {
  name: string;
  goal: string;
  measured: string;
  result: string;
}

interface Inputs {
  options: { scale: number };
  runs: { operation: string; target: string; concurrency: number; load: LoadResult }[];
  overhead: { operation: string; ratio: number }[];
  coldStart: { firstStartSeconds: number; restartSeconds: number } | null;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** Met, or missed by how much (relative to the goal); "not measured" when the run did not cover it. */
function row(
  name: string,
  goal: string,
  value: number | undefined,
  unit: string,
  ok: (v: number) => boolean,
  miss: (v: number) => number,
  note = '',
): TargetRow {
  if (value === undefined) return { name, goal, measured: '-', result: `not measured${note ? ` (${note})` : ''}` };
  return {
    name,
    goal,
    measured: `${value}${unit}`,
    result: ok(value) ? 'met' : `missed by ${pct(miss(value))}`,
  };
}

export function targetsTable(r: Inputs): TargetRow[] {
  const find = (operation: string, target: string, c: number) =>
    r.runs.find((x) => x.operation === operation && x.target === target && x.concurrency === c)?.load;
  const overhead = r.overhead.find((o) => o.operation === 'concern-page')?.ratio;
  const atScale = (n: number) => (r.options.scale === n ? '' : `run at N=${r.options.scale}, the target is for N=${n}`);
  // The concern page's three bars (throughput, p99, against Hive) for one of its operations.
  const pageRows = (operation: string, label: string, hiveLabel: string) => {
    const page = find(operation, 'gateway', 10);
    const hive = find(operation, 'hive', 10);
    return [
      row(
        `${label}, c=10: throughput`,
        '>= 250 req/s (N=1)',
        page?.throughput,
        ' req/s',
        (v) => v >= 250,
        (v) => (250 - v) / 250,
        atScale(1),
      ),
      row(
        `${label}, c=10: p99`,
        '< 100 ms (N=1)',
        page?.latencyMs.p99,
        ' ms',
        (v) => v < 100,
        (v) => (v - 100) / 100,
        atScale(1),
      ),
      row(
        `${hiveLabel}: ours vs Hive Gateway, c=10`,
        '>= Hive throughput',
        page && hive ? Math.round((page.throughput / hive.throughput) * 100) / 100 : undefined,
        'x Hive',
        (v) => v >= 1,
        (v) => 1 - v,
      ),
    ];
  };
  const listRow = (operation: string, label: string) =>
    row(
      `${label}, c=10: p95`,
      '< 50 ms (N=10)',
      find(operation, 'gateway', 10)?.latencyMs.p95,
      ' ms',
      (v) => v < 50,
      (v) => (v - 50) / 50,
      atScale(10),
    );
  const rows = [
    ...pageRows('concern-page', 'concern page via gateway', 'concern page'),
    listRow('concerns-list', 'filtered concerns list (50, search + theme + ward)'),
    // The same bars for requests that all differ, so no gateway can answer one from another's work.
    ...pageRows('concern-page-mixed', 'concern page, 100 different concerns', 'concern page, 100 different concerns'),
    listRow('concerns-list-mixed', 'filtered concerns list, 48 different filters'),
    // With the response cache off, so that the work itself got cheaper, not only its repetition.
    row(
      'concern page, 100 different concerns, cache off, c=10: throughput',
      '>= 350 req/s (N=1)',
      find('concern-page-mixed', 'gateway-nocache', 10)?.throughput,
      ' req/s',
      (v) => v >= 350,
      (v) => (350 - v) / 350,
      atScale(1),
    ),
    (() => {
      const off = find('concern-page-mixed', 'gateway-nocache', 10);
      const hive = find('concern-page-mixed', 'hive', 10);
      return row(
        'concern page, 100 different concerns, cache off: ours vs Hive Gateway, c=10',
        '>= 1.5x Hive throughput',
        off && hive ? Math.round((off.throughput / hive.throughput) * 100) / 100 : undefined,
        'x Hive',
        (v) => v >= 1.5,
        (v) => (1.5 - v) / 1.5,
      );
    })(),
    row(
      'gateway overhead, concern page (c=1 mean / direct fetches)',
      '<= 1.5x',
      overhead,
      'x',
      (v) => v <= 1.5,
      (v) => (v - 1.5) / 1.5,
    ),
    row(
      'cold start, all services ready (restart, data present)',
      '< 20 s',
      r.coldStart?.restartSeconds,
      ' s',
      (v) => v < 20,
      (v) => (v - 20) / 20,
    ),
    row(
      'cold start, first start (empty data: migrations + demo seed)',
      '< 20 s',
      r.coldStart?.firstStartSeconds,
      ' s',
      (v) => v < 20,
      (v) => (v - 20) / 20,
    ),
  ];
  // A figure at another scale than the target's is reported, but not judged.
  for (const x of rows) {
    if (x.measured !== '-' && /N=1\)$/.test(x.goal) && r.options.scale !== 1) x.result = `(${atScale(1)}) ${x.result}`;
    if (x.measured !== '-' && /N=10\)$/.test(x.goal) && r.options.scale !== 10)
      x.result = `(${atScale(10)}) ${x.result}`;
  }
  return rows;
}
