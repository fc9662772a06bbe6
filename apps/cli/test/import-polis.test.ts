import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type Stack, startStack } from '@civic/test-stack/stack';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { copyPolisExports, POLIS_EXPORTS } from './example-data.ts';
import { civic, cliEnv, publicConcernCount, storedConversations } from './import-helpers.ts';

const exportsDir = mkdtempSync(join(tmpdir(), 'civic-polis-exports-'));
afterAll(() => rmSync(exportsDir, { recursive: true, force: true }));
/** A folder of four real Polis exports. */
const POLIS = copyPolisExports(exportsDir);
const BOWLING_GREEN = join(POLIS, 'american-assembly.bowling-green');
const EXPORTS = POLIS_EXPORTS;

function comments(folder: string): Record<string, string>[] {
  return parse(readFileSync(join(POLIS, folder, 'comments.csv')), { columns: true }) as Record<string, string>[];
}

/** Concerns an export becomes: one per distinct statement (case-insensitive), accepted if any copy was. */
function expectedConcerns(folder: string): { all: number; accepted: number; rejected: number } {
  const byText = new Map<string, string[]>();
  for (const c of comments(folder)) {
    const key = (c['comment-body'] ?? '').trim().toLowerCase();
    byText.set(key, [...(byText.get(key) ?? []), c.moderated ?? '']);
  }
  const states = [...byText.values()];
  return {
    all: states.length,
    accepted: states.filter((s) => s.includes('1')).length,
    rejected: states.filter((s) => !s.includes('1') && !s.includes('0')).length,
  };
}

let work: string;
/** A copy of the Bowling Green export with one line of one file changed. */
function brokenExport(name: string, file: 'summary.csv' | 'comments.csv', change: (lines: string[]) => void): string {
  const dir = join(work, name);
  cpSync(BOWLING_GREEN, dir, { recursive: true });
  const path = join(dir, file);
  const lines = readFileSync(path, 'utf8').split('\n');
  change(lines);
  writeFileSync(path, lines.join('\n'));
  return dir;
}

describe('civic import polis: usage', () => {
  test('--help explains the command and exits 0', async () => {
    const run = await civic(['import', 'polis', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: npm run civic -- import polis <dir>/);
  });

  test.each([[[]], [['a', 'b']], [['--bogus', POLIS]]])('wrong usage exits 2: %j', async (args) => {
    const run = await civic(['import', 'polis', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^civic import polis: /);
  });

  test('a folder without an export is refused with one line, exit 1', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'civic-polis-empty-'));
    const run = await civic(['import', 'polis', empty]);
    rmSync(empty, { recursive: true, force: true });
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/holds no Polis export/);
  });

  test('gateway down: one clear line, exit 1', async () => {
    const port = await freePort();
    const run = await civic(['import', 'polis', BOWLING_GREEN], {
      CIVIC_GATEWAY_URL: `http://127.0.0.1:${port}`,
      CIVIC_JWT_SECRET: 'a-test-signing-key-that-is-long-enough-123',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^civic import polis: cannot reach the gateway at http:\/\/127\.0\.0\.1:\d+\/graphql/);
  });
});

describe('civic import polis through the running gateway', () => {
  let stack: Stack;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    stack = await startStack({ production: true, seed: 'none' });
    env = cliEnv(stack);
    work = mkdtempSync(join(tmpdir(), 'civic-polis-'));
  });
  afterAll(async () => {
    await stack?.destroy();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('a malformed comments.csv is refused naming file, row and field; nothing is stored', async () => {
    // Row 12 of the spreadsheet is line 12 of the file (no statement spans lines in this export).
    const dir = brokenExport('bad-comments', 'comments.csv', (lines) => {
      const cells = (lines[11] as string).split(',');
      cells[4] = 'lots';
      lines[11] = cells.join(',');
    });
    const run = await civic(['import', 'polis', dir], env);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toBe(
      'civic import polis: bad-comments/comments.csv row 12, field "agrees": not a number',
    );
    expect(await storedConversations(stack, 'POLIS')).toEqual([]);
  });

  test('a malformed summary.csv is refused naming file, row and field; nothing is stored', async () => {
    const dir = brokenExport('bad-summary', 'summary.csv', (lines) => {
      lines[3] = 'voters,many';
    });
    const run = await civic(['import', 'polis', dir], env);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toBe(
      'civic import polis: bad-summary/summary.csv row 4, field "voters": not a number',
    );
    expect(await storedConversations(stack, 'POLIS')).toEqual([]);
  });

  test('a folder with one bad export among good ones imports none of them', async () => {
    const dir = join(work, 'mixed');
    mkdirSync(dir);
    cpSync(join(POLIS, 'london.youth.policing'), join(dir, 'a-good'), { recursive: true });
    cpSync(join(work, 'bad-comments'), join(dir, 'b-bad'), { recursive: true });
    const run = await civic(['import', 'polis', dir], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/b-bad\/comments\.csv row 12, field "agrees": not a number/);
    expect(await storedConversations(stack, 'POLIS')).toEqual([]);
  });

  test('Bowling Green imports with its accepted statements public, rejected ones hidden', async () => {
    const run = await civic(['import', 'polis', BOWLING_GREEN], env);
    expect(run.stderr).not.toMatch(/civic import polis:/);
    expect(run.code).toBe(0);
    const moderated = comments('american-assembly.bowling-green').map((c) => c.moderated);
    const accepted = moderated.filter((m) => m === '1').length;
    const rejected = moderated.filter((m) => m === '-1').length;
    expect(run.stdout).toContain(`imported: ${moderated.length} concerns, ${accepted} public`);

    const [conversation, ...others] = await storedConversations(stack, 'POLIS');
    expect(others).toEqual([]);
    expect(conversation).toMatchObject({
      title: 'Improving Bowling Green / Warren County',
      status: 'PUBLISHED',
      participantCount: 2031,
      source: { kind: 'POLIS', externalId: '9wtchdmmun' },
    });
    const stored = conversation?.concerns ?? [];
    expect(stored).toHaveLength(moderated.length);
    expect(stored.filter((c) => c.moderation === 'ACCEPTED')).toHaveLength(accepted);
    expect(stored.filter((c) => c.moderation === 'REJECTED')).toHaveLength(rejected);
    expect(await publicConcernCount(stack, conversation?.id as string)).toBe(accepted);
  });

  test('all four exports import from their parent folder; a second run changes nothing', async () => {
    const first = await civic(['import', 'polis', POLIS], env);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/importing Polis exports: 4\/4/);
    expect(first.stdout).toMatch(/american-assembly\.bowling-green: .* is already imported and unchanged/);
    const before = await storedConversations(stack, 'POLIS');
    expect(before).toHaveLength(4);
    const byId = new Map(before.map((c) => [c.source.externalId, c]));
    for (const folder of EXPORTS) {
      const summary = readFileSync(join(POLIS, folder, 'summary.csv'), 'utf8');
      const id = /pol\.is\/(\w+)/.exec(summary)?.[1] as string;
      const conversation = byId.get(id);
      const expected = expectedConcerns(folder);
      expect(conversation?.concerns, folder).toHaveLength(expected.all);
      expect(
        conversation?.concerns.filter((c) => c.moderation === 'REJECTED'),
        folder,
      ).toHaveLength(expected.rejected);
      expect(await publicConcernCount(stack, conversation?.id as string), folder).toBe(expected.accepted);
    }

    const second = await civic(['import', 'polis', POLIS], env);
    expect(second.code).toBe(0);
    expect(second.stdout.split('\n')).toHaveLength(4);
    for (const line of second.stdout.split('\n')) expect(line).toMatch(/is already imported and unchanged$/);
    expect(await storedConversations(stack, 'POLIS')).toEqual(before);
  });
});
