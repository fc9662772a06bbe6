import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';

const entry = new URL('../dist/main.js', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'civic-engagement-env-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

test('a bad ENGAGEMENT_PORT is one setup line naming ENGAGEMENT_PORT, exit 1', () => {
  const run = spawnSync(process.execPath, [entry], {
    env: { ...process.env, ENGAGEMENT_PORT: 'abc', DATABASE_URL: '', CIVIC_DATA_DIR: dataDir },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.status).toBe(1);
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^engagement: invalid environment for engagement: ENGAGEMENT_PORT: /);
});

test('ALIGNMENT_WORKER=process on PGlite, or an unknown mode, is one setup line, exit 1, before anything is opened', () => {
  const start = (env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, [entry], {
      env: { ...process.env, ENGAGEMENT_PORT: '0', DATABASE_URL: '', CIVIC_DATA_DIR: dataDir, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
  const pglite = start({ ALIGNMENT_WORKER: 'process' });
  expect(pglite.status).toBe(1);
  expect(pglite.stderr.trim().split('\n')).toEqual([
    'engagement: ALIGNMENT_WORKER=process needs PostgreSQL (DATABASE_URL or ENGAGEMENT_DATABASE_URL): a PGlite folder belongs to one process',
  ]);
  const unknown = start({ ALIGNMENT_WORKER: 'thread' });
  expect(unknown.status).toBe(1);
  expect(unknown.stderr.trim()).toBe('engagement: ALIGNMENT_WORKER must be "inline" or "process" (got "thread")');
});
