import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';

const entry = new URL('../dist/main.js', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'civic-initiatives-env-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test('a bad INITIATIVES_* value is one setup line naming the variable, exit 1', () => {
  const run = spawnSync(process.execPath, [entry], {
    env: { ...process.env, INITIATIVES_MEASURE_REFRESH_INTERVAL_MS: 'abc', DATABASE_URL: '', CIVIC_DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.status).toBe(1);
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/invalid environment for initiatives: INITIATIVES_MEASURE_REFRESH_INTERVAL_MS: /);
});
