import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { N10_OPERATIONS, parseOptions, runBenchmarks, SMOKE_LOAD } from '../src/run.ts';

// Not a timed test: the figures of a one-second run mean nothing; it checks that the harness works
// end to end (synthetic seed, our gateway with and without its cache, Hive Gateway, direct fetches,
// query counts, the alignment engine's rebuild and imported concerns, a second scale on a fresh stack, one results
// file). Every flagship operation answers without errors through both gateways; one of each kind is loaded (a fixed
// page across the three subgraphs, a mixed one, the dashboard), and at the second scale the N=10 operations.
describe('benchmark harness (smoke mode)', () => {
  it('seeds, checks every flagship operation through both gateways, loads one of each kind, counts SQL, times the engine, runs a second scale, and writes one results file', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'civic-bench-'));
    try {
      const { jsonPath, mdPath, runs, queryCounts } = await runBenchmarks({ ...parseOptions(['--smoke']), outDir });
      const results = JSON.parse(readFileSync(jsonPath, 'utf8'));
      expect(runs.length).toBeGreaterThan(0);
      for (const run of runs) {
        expect(run.load.requests, `${run.operation} ${run.target}`).toBeGreaterThan(0);
        expect(run.load.errors, `${run.operation} ${run.target}`).toBe(0);
      }
      // Each answered without errors through our gateway and Hive Gateway (the harness throws otherwise).
      expect([...results.checkedOperations].sort()).toEqual(
        [
          'concern-page',
          'concern-page-mixed',
          'concerns-list',
          'concerns-list-mixed',
          'dashboard',
          'directory-search',
          'gap-report',
          'suggested-resources',
          ...N10_OPERATIONS.map((op) => `${op} (N=0.01)`),
        ].sort(),
      );
      const [first, second] = results.options.scales;
      const operations = new Set(runs.filter((r) => r.scale === first).map((r) => r.operation));
      expect([...operations].sort()).toEqual([...SMOKE_LOAD].sort());
      // The second scale, on its own stack, loads the operations whose targets are at N=10, through each gateway.
      for (const operation of N10_OPERATIONS) {
        const targets = new Set(
          runs.filter((r) => r.scale === second && r.operation === operation).map((r) => r.target),
        );
        expect([...targets], operation).toEqual(expect.arrayContaining(['gateway', 'gateway-nocache', 'hive']));
      }
      expect(Object.keys(results.peakRssMbByScale)).toEqual([String(first), String(second)]);
      // The alignment engine, after the load at the first scale: a rebuild, then concerns imported, tagged and matched.
      const engine = results.alignmentEngine;
      expect(engine.rebuild.concerns).toBeGreaterThan(0);
      expect(engine.newConcerns.imported).toBe(20);
      expect(engine.newConcerns.tagged).toBeGreaterThan(10);
      expect(engine.newConcerns.withSuggestions).toBeGreaterThan(0);
      expect(results.targets.map((t: { name: string }) => t.name)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^alignment engine: full rebuild/)]),
      );
      for (const operation of SMOKE_LOAD) {
        const targets = new Set(runs.filter((r) => r.operation === operation).map((r) => r.target));
        expect([...targets], operation).toEqual(expect.arrayContaining(['gateway', 'gateway-nocache', 'hive']));
      }
      expect(runs.some((r) => r.operation === 'concern-page' && r.target.startsWith('direct:'))).toBe(true);
      // The results file's shape (issue 20): runs[] with operation, target, concurrency, load.throughput, load.latencyMs.
      for (const run of results.runs) {
        expect(run).toMatchObject({
          operation: expect.any(String),
          target: expect.any(String),
          concurrency: expect.any(Number),
          load: { throughput: expect.any(Number), latencyMs: expect.objectContaining({ p50: expect.any(Number) }) },
        });
      }
      expect(Object.keys(results.peakRssMb)).toEqual(expect.arrayContaining(['gateway', 'engagement']));
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
      expect(md).toMatch(/full rebuild \(`rebuildAlignment`/);
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
