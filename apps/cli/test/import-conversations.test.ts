import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type Stack, startStack } from '@civic/test-stack/stack';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { civic, cliEnv, publicConcernCount, storedConversations } from './import-helpers.ts';

const TEMPLATE = new URL('../../../docs/templates/conversations-and-concerns.csv', import.meta.url).pathname;
const templateRows = parse(readFileSync(TEMPLATE), { columns: true }) as Record<string, string>[];

describe('civic import conversations: usage', () => {
  test('--help explains the template and exits 0', async () => {
    const run = await civic(['import', 'conversations', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Usage: npm run civic -- import conversations <file\.csv>/);
    expect(run.stdout).toMatch(/docs\/csv-template\.md/);
  });

  test.each([[[]], [['a.csv', 'b.csv']], [['--bogus', TEMPLATE]]])('wrong usage exits 2: %j', async (args) => {
    const run = await civic(['import', 'conversations', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^civic import conversations: /);
  });

  test('gateway down: one clear line, exit 1', async () => {
    const port = await freePort();
    const run = await civic(['import', 'conversations', TEMPLATE], {
      CIVIC_GATEWAY_URL: `http://127.0.0.1:${port}`,
      CIVIC_JWT_SECRET: 'a-test-signing-key-that-is-long-enough-123',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^civic import conversations: cannot reach the gateway at /);
  });
});

describe('civic import conversations through the running gateway', () => {
  let stack: Stack;
  let env: NodeJS.ProcessEnv;
  let work: string;
  beforeAll(async () => {
    // A new city's data (the demo's Durham conversations were themselves imported from CSV).
    stack = await startStack({ production: true, seed: 'reference' });
    env = cliEnv(stack);
    work = mkdtempSync(join(tmpdir(), 'civic-csv-'));
  });
  afterAll(async () => {
    await stack?.destroy();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('a malformed file is refused naming file, row and field; nothing is stored', async () => {
    const lines = readFileSync(TEMPLATE, 'utf8').split('\n');
    lines[2] = (lines[2] as string).replace(',8,1,ACCEPTED', ',eight,1,ACCEPTED');
    const bad = join(work, 'bad.csv');
    writeFileSync(bad, lines.join('\n'));
    const run = await civic(['import', 'conversations', bad], env);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n')[0]).toBe(
      'civic import conversations: bad.csv row 3, field "supportCount": not a number',
    );
    expect(await storedConversations(stack, 'CSV')).toEqual([]);
  });

  test('the documented template imports; a second run changes nothing', async () => {
    const first = await civic(['import', 'conversations', TEMPLATE, '--publish'], env);
    expect(first.stderr).not.toMatch(/civic import conversations:/);
    expect(first.code).toBe(0);
    const keys = [...new Set(templateRows.map((r) => r.conversationKey))];
    expect(first.stdout.split('\n')).toHaveLength(keys.length);
    const before = await storedConversations(stack, 'CSV');
    expect(before.map((c) => c.source.externalId).sort()).toEqual([...keys].sort());
    for (const conversation of before) {
      const rows = templateRows.filter((r) => r.conversationKey === conversation.source.externalId);
      expect(conversation.status).toBe('PUBLISHED');
      expect(conversation.concerns).toHaveLength(rows.length);
      const accepted = rows.filter((r) => r.moderation === 'ACCEPTED').length;
      expect(await publicConcernCount(stack, conversation.id)).toBe(accepted);
    }

    const second = await civic(['import', 'conversations', TEMPLATE, '--publish'], env);
    expect(second.code).toBe(0);
    for (const line of second.stdout.split('\n')) expect(line).toMatch(/is already imported and unchanged$/);
    expect(await storedConversations(stack, 'CSV')).toEqual(before);
  });
});
