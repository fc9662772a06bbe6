import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOptions, runBenchmarks } from '../src/run.ts';

describe('benchmark harness (smoke mode)', () => {
  it('loads every flagship operation through the gateway and directly, and writes results', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'civic-bench-'));
    try {
      const { jsonPath, runs } = await runBenchmarks({ ...parseOptions(['--smoke']), outDir });
      const results = JSON.parse(readFileSync(jsonPath, 'utf8'));
      expect(runs.length).toBeGreaterThan(0);
      for (const run of runs) {
        expect(run.load.requests).toBeGreaterThan(0);
        expect(run.load.errors).toBe(0);
      }
      expect(runs.some((r) => r.target.startsWith('direct:'))).toBe(true);
      expect(results.overhead.length).toBeGreaterThan(0);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
