import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gql } from '@civic/test-stack/graphql';
import { freePort, type Stack, startStack, waitAlignmentCaughtUp } from '@civic/test-stack/stack';
import { parse } from 'csv-parse/sync';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const csvExample = join(root, 'examples', 'ward-concerns-csv');
const pageFile = join(root, 'examples', 'department-initiatives', 'index.html');
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let stack: Stack;
let browser: Browser | undefined;
const work = mkdtempSync(join(tmpdir(), 'civic-examples-'));

beforeAll(async () => {
  stack = await startStack({
    production: true,
    seed: 'demo',
    gatewayEnv: { CORS_PUBLIC_ORIGINS: '*' },
    readyTimeoutMs: 170_000,
  });
  // The alignment engine tags the seeded concerns in the background: the CSV and the list it is compared
  // with must read the same themes.
  await waitAlignmentCaughtUp(stack);
}, 500_000);

afterAll(async () => {
  await browser?.close();
  await stack?.destroy();
  rmSync(work, { recursive: true, force: true });
});

async function data<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await gql<T>(stack.gatewayUrl, query, variables);
  expect(response.body.errors).toBeUndefined();
  return response.body.data as T;
}

function run(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(csvExample, 'node_modules', '.bin', 'tsx'), ['src/main.ts', ...args], {
      cwd: csvExample,
      env: { ...process.env, CIVIC_API_URL: '', CIVIC_API_KEY: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

interface ConcernNode {
  id: string;
  summary: string;
  themes: string[];
  status: string;
  supportCount: number;
  neighborhood: { name: string } | null;
  ward: number | null;
}

async function publishedConcernsOfWard(ward: number): Promise<ConcernNode[]> {
  const all: ConcernNode[] = [];
  let after: string | null = null;
  do {
    const page: {
      concerns: { edges: { node: ConcernNode }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    } = await data(
      `query ($ward: Int, $after: String) { concerns(filter: { ward: $ward }, first: 100, after: $after) {
        edges { node { id summary themes status supportCount ward neighborhood { name } } }
        pageInfo { hasNextPage endCursor } } }`,
      { ward, after },
    );
    all.push(...page.concerns.edges.map((e) => e.node));
    after = page.concerns.pageInfo.hasNextPage ? page.concerns.pageInfo.endCursor : null;
  } while (after);
  return all;
}

describe('ward-concerns-csv', () => {
  test('writes every published concern of the ward, across pages, as RFC 4180 CSV', async () => {
    const wards = await data<{ wards: { number: number }[] }>('{ wards { number } }');
    let checked = 0;
    for (const { number: ward } of wards.wards) {
      const expected = await publishedConcernsOfWard(ward);
      const out = join(work, `ward-${ward}.csv`);
      // A small page size makes the script follow several pages.
      const result = await run(['--ward', String(ward), '--out', out, '--page-size', '7'], {
        CIVIC_API_URL: stack.gatewayUrl,
      });
      expect(result.stderr).toContain(`${expected.length} concerns of ward ${ward}`);
      expect(result.code).toBe(0);
      const text = readFileSync(out, 'utf8');
      const rows = parse(text, { columns: true, record_delimiter: '\r\n' }) as Record<string, string>[];
      expect(rows.map((r) => r.id)).toEqual(expected.map((c) => c.id));
      for (const [i, row] of rows.entries()) {
        const concern = expected[i] as ConcernNode;
        expect(row).toMatchObject({
          summary: concern.summary,
          themes: concern.themes.join(';'),
          status: concern.status,
          supportCount: String(concern.supportCount),
          neighborhood: concern.neighborhood?.name ?? '',
          ward: String(ward),
        });
      }
      if (expected.length > 7) checked++;
    }
    // The demo data has at least one ward with more than one page of concerns.
    expect(checked).toBeGreaterThan(0);
  });

  test('writes to standard output, and reads the API URL from --api', async () => {
    const result = await run(['--ward', '1', '--api', stack.gatewayUrl]);
    expect(result.code).toBe(0);
    const rows = parse(result.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.id)).toEqual((await publishedConcernsOfWard(1)).map((c) => c.id));
  });

  test('exit codes: 0 for --help, 2 for wrong usage, 1 when the API refuses', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--ward');
    const usage = await run(['--ward', 'three']);
    expect(usage.code).toBe(2);
    expect(usage.stderr.trim().split('\n')[0]).toBe('ward-concerns-csv: --ward must be a ward number');
    const badKey = await run(['--ward', '1'], { CIVIC_API_URL: stack.gatewayUrl, CIVIC_API_KEY: 'cg_live_not_a_key' });
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toMatch(/^ward-concerns-csv: .*\(UNAUTHENTICATED\)\n$/);
    const out = join(work, 'unreachable.csv');
    const unreachable = await run([
      '--ward',
      '1',
      '--out',
      out,
      '--api',
      `http://127.0.0.1:${await freePort()}/graphql`,
    ]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(/^ward-concerns-csv: cannot reach http:\/\/127\.0\.0\.1:\d+\/graphql: /);
    expect(existsSync(out)).toBe(false);
  });
});

describe('department-initiatives page', () => {
  let department: { id: string; name: string };
  let codes: string[];

  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
    const { initiatives } = await data<{
      initiatives: { code: string; leadDepartment: { id: string; name: string } }[];
    }>('{ initiatives { code leadDepartment { id name } } }');
    const counts = new Map<string, number>();
    for (const i of initiatives) {
      if (i.leadDepartment) counts.set(i.leadDepartment.id, (counts.get(i.leadDepartment.id) ?? 0) + 1);
    }
    const [id] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0] as [string, number];
    department = initiatives.find((i) => i.leadDepartment?.id === id)?.leadDepartment as { id: string; name: string };
    const led = await data<{ initiatives: { code: string }[] }>(
      'query ($d: ID!) { initiatives(department: $d) { code } }',
      { d: department.id },
    );
    codes = led.initiatives.map((i) => i.code);
    expect(codes.length).toBeGreaterThan(1);
  });

  /** Waits until the page has said what it shows (or what went wrong), and fails on anything but a table. */
  async function settled(page: Page): Promise<void> {
    await expect
      .poll(
        async () => {
          const status = (await page.getByRole('status').textContent()) ?? '';
          return (await page.locator('.error').count()) > 0 || (status !== '' && !status.startsWith('Loading'));
        },
        { timeout: 60_000 },
      )
      .toBe(true);
    expect(await page.getByRole('table').count(), (await page.locator('main').textContent()) ?? '').toBe(1);
  }

  async function shownCodes(url: string): Promise<{ codes: string[]; status: string; selected: string }> {
    const page = await (browser as Browser).newPage();
    try {
      await page.goto(url);
      await settled(page);
      return {
        codes: await page.locator('tbody tr th[scope="row"]').allTextContents(),
        status: (await page.getByRole('status').textContent()) ?? '',
        selected: await page.getByLabel('Department').inputValue(),
      };
    } finally {
      await page.close();
    }
  }

  test('opened from a file (a foreign origin) with ?api= and ?department=, it lists the initiatives', async () => {
    const url = `${pathToFileURL(pageFile).href}?api=${encodeURIComponent(stack.gatewayUrl)}&department=${department.id}`;
    const shown = await shownCodes(url);
    expect(shown.codes).toEqual(codes);
    expect(shown.selected).toBe(department.id);
    expect(shown.status).toBe(`${codes.length} initiatives of ${department.name}.`);
  });

  test('served by the gateway, it uses its own API; the picker switches department and the address', async () => {
    const base = stack.gatewayUrl.replace(/\/graphql$/, '');
    const page = await (browser as Browser).newPage();
    try {
      await page.goto(`${base}/examples/department-initiatives`);
      const picker = page.getByLabel('Department');
      await expect.poll(() => picker.isEnabled(), { timeout: 60_000 }).toBe(true);
      const options = await picker
        .locator('option')
        .evaluateAll((os) => os.map((o) => (o as unknown as { value: string }).value));
      expect(options).toContain(department.id);
      await picker.selectOption(department.id);
      await settled(page);
      expect(await page.locator('tbody tr th[scope="row"]').allTextContents()).toEqual(codes);
      expect(new URL(page.url()).searchParams.get('department')).toBe(department.id);
      // Measures show their latest value (or say there is none).
      const measureCells = await page.locator('tbody tr td:last-child').allTextContents();
      expect(measureCells.every((text) => text === 'None' || /: (no value yet|[\d.,-]+)/.test(text))).toBe(true);
    } finally {
      await page.close();
    }
  });

  test('an unknown department is said so', async () => {
    const page = await (browser as Browser).newPage();
    try {
      const url = `${pathToFileURL(pageFile).href}?api=${encodeURIComponent(stack.gatewayUrl)}&department=nope`;
      await page.goto(url);
      await expect
        .poll(() => page.getByRole('status').textContent(), { timeout: 60_000 })
        .toBe('No department with id nope.');
    } finally {
      await page.close();
    }
  });
});
