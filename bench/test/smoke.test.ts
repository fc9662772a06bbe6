import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOptions, runBenchmarks } from '../src/run.ts';

// Not a timed test: the figures of a one-second run mean nothing; it checks that the harness works
// end to end (synthetic seed, our gateway, Hive Gateway, direct fetches, query counts, results).
describe('benchmark harness (smoke mode)', () => {
  it('seeds, loads every flagship operation through both gateways and directly, counts SQL, and writes results', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'civic-bench-'));
    try {
      const { jsonPath, mdPath, runs, queryCounts } = await runBenchmarks({ ...parseOptions(['--smoke']), outDir });
      const results = JSON.parse(readFileSync(jsonPath, 'utf8'));
      expect(runs.length).toBeGreaterThan(0);
      for (const run of runs) {
        expect(run.load.requests, `${run.operation} ${run.target}`).toBeGreaterThan(0);
        expect(run.load.errors, `${run.operation} ${run.target}`).toBe(0);
      }
      const operations = new Set(runs.map((r) => r.operation));
      expect([...operations].sort()).toEqual(
        [
          'concern-page',
          'concern-page-mixed',
          'concerns-list',
          'concerns-list-mixed',
          'dashboard',
          'directory-search',
          'gap-report',
          'suggested-resources',
        ].sort(),
      );
      expect(runs.some((r) => r.target === 'hive')).toBe(true);
      expect(runs.some((r) => r.target.startsWith('direct:'))).toBe(true);
      // The concern page joins all three subgraphs on the synthetic data.
      const pageFetches = results.overhead.find((o: { operation: string }) => o.operation === 'concern-page');
      expect(new Set(pageFetches.subgraphFetches)).toEqual(new Set(['engagement', 'initiatives', 'resources']));
      // No N+1: the SQL an operation costs does not grow with the page size.
      expect(queryCounts.length).toBeGreaterThanOrEqual(5);
      for (const row of queryCounts) expect(row.at100, `${row.operation} in ${row.subgraph}`).toBe(row.at10);
      expect(results.targets.length).toBeGreaterThan(0);
      const md = readFileSync(mdPath, 'utf8');
      expect(md).toMatch(/## SQL statements per operation/);
      expect(md).toMatch(/## Before \/ after/);
      expect(md).toMatch(/## Alignment engine/);
      // The benchmarked dashboard is the web client's one request.
      expect(results.dashboardOperation).toBe('PlanDashboard_Plan');
      expect(results.targets.find((t: { name: string }) => t.name.startsWith('dashboard: requests')).result).toMatch(
        /^met/,
      );
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
