import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATASETS, fileNames } from '@civic/open-data/render';
import { type PrivacyFixture, seedPrivacyFixture } from '@civic/open-data/testing';
import { freePort, type Stack, startStack, waitAlignmentCaughtUp } from '@civic/test-stack/stack';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const entry = new URL('../dist/main.js', import.meta.url).pathname;
let stack: Stack;
let fixture: PrivacyFixture;
let origin: string;
const work = mkdtempSync(join(tmpdir(), 'civic-open-data-'));

function civic(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [entry, ...args], {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: '',
      CIVIC_GATEWAY_URL: stack.gatewayUrl,
      CIVIC_JWT_SECRET: stack.jwtSecret,
      ...env,
    },
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { code: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

beforeAll(async () => {
  // The automatic measure's first refresh would add observations between the export and the
  // gateway's own read, which the byte-for-byte comparison below would take for a difference.
  stack = await startStack({ production: true, seed: 'demo', env: { INITIATIVES_MEASURE_REFRESH: 'false' } });
  origin = stack.gatewayUrl.replace(/\/graphql$/, '');
  fixture = await seedPrivacyFixture(stack, 'cli');
  // Likewise the alignment engine tagging the seeded and fixture concerns (CI once saw a concern's themes
  // arrive between the export and the gateway's read).
  await waitAlignmentCaughtUp(stack);
}, 700_000);

afterAll(async () => {
  await stack?.destroy();
  rmSync(work, { recursive: true, force: true });
});

describe('civic export open-data', () => {
  test('writes the gateway’s open-data files: every published concern, nothing hidden or personal', async () => {
    const dir = join(work, 'out');
    const run = civic(['export', 'open-data', dir]);
    expect(run.stderr).toContain('export open-data: concerns');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Exported \d+ concerns, \d+ conversations, \d+ initiatives and \d+ measures to /);
    const expected = [
      'data.json',
      'index.html',
      ...DATASETS.flatMap((d) => Object.values(fileNames(d)).filter((n): n is string => Boolean(n))),
    ].sort();
    expect(readdirSync(dir).sort()).toEqual(expected);

    const ids = (parse(readFileSync(join(dir, 'concerns.csv'), 'utf8'), { columns: true }) as { id: string }[]).map(
      (r) => r.id,
    );
    expect(new Set(ids)).toEqual(fixture.publicIds);
    for (const name of expected) {
      const body = readFileSync(join(dir, name), 'utf8');
      for (const id of fixture.hiddenIds) expect(body.includes(id), `${id} in ${name}`).toBe(false);
      for (const text of fixture.contactStrings) expect(body.includes(text), `${text} in ${name}`).toBe(false);
    }
    const catalog = JSON.parse(readFileSync(join(dir, 'data.json'), 'utf8'));
    for (const dataset of catalog.dataset) {
      for (const d of dataset.distribution) expect(d.downloadURL.startsWith(`${origin}/open-data/`)).toBe(true);
    }
    // The same bytes as the gateway serves (the dataset files carry no build time).
    for (const name of expected.filter((n) => n !== 'data.json' && n !== 'index.html')) {
      const served = await (await fetch(`${origin}/open-data/${name}`)).text();
      expect(readFileSync(join(dir, name), 'utf8'), name).toBe(served);
    }

    // Run again into the same folder: an earlier export is replaced; --base-url sets the links.
    const again = civic(['export', 'open-data', dir, '--base-url', 'https://data.city.example/civic']);
    expect(again.code, again.stderr).toBe(0);
    const relinked = JSON.parse(readFileSync(join(dir, 'data.json'), 'utf8'));
    expect(relinked.dataset[0].distribution[0].downloadURL).toBe('https://data.city.example/civic/concerns.csv');
  });

  test.each([[[]], [['one', 'two']], [['out', '--bogus']], [['out', '--base-url', 'not a url']]])(
    'wrong usage exits 2: %j',
    (args) => {
      const run = civic(['export', 'open-data', ...args.map((a) => (a === 'out' || a === 'one' ? join(work, a) : a))]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^civic export open-data: /);
    },
  );

  test('refuses a folder holding other files (exit 2)', () => {
    const dir = join(work, 'foreign');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const run = civic(['export', 'open-data', dir]);
    expect(run.code).toBe(2);
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  test('a gateway that is not running: exit 1 with one line', async () => {
    const port = await freePort();
    const run = civic(['export', 'open-data', join(work, 'nowhere'), '--gateway', `http://127.0.0.1:${port}`]);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^civic export open-data: cannot reach the gateway/);
  });

  test('--help exits 0', () => {
    const run = civic(['export', 'open-data', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('data.json');
  });
});
