import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gql } from '@civic/test-stack/graphql';
import { entries, freePort, launch, type Stack, startStack, waitReady } from '@civic/test-stack/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CROSS_SUBGRAPH = /* GraphQL */ `
  query Foundation_Plan {
    goals {
      number
      title
      initiatives { code title leadDepartment { name kind } }
    }
    concerns(first: 5) { totalCount edges { node { summary neighborhood { name ward } } } }
  }
`;

interface PlanData {
  goals: {
    number: number;
    title: string;
    initiatives: { code: string; leadDepartment: { name: string; kind: string } | null }[];
  }[];
  concerns: { totalCount: number; edges: { node: { summary: string } }[] };
}

describe('the stack, end to end', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.destroy();
  });

  it('answers a query that spans initiatives, resources and engagement through the gateway', async () => {
    const { status, body } = await gql<PlanData>(stack.gatewayUrl, CROSS_SUBGRAPH);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const goals = body.data?.goals ?? [];
    expect(goals.map((g) => g.number)).toEqual([1, 2, 3, 4, 5]);
    const i313 = goals.flatMap((g) => g.initiatives).find((i) => i.code === '3.13');
    // Initiative 3.13 lives in the initiatives subgraph; its lead department's name comes from resources.
    expect(i313?.leadDepartment).toEqual({ name: 'Communications and Marketing', kind: 'CITY_DEPARTMENT' });
    expect(body.data?.concerns.totalCount).toBeGreaterThan(0);
  });

  it('keeps its data across a restart without seeding again', async () => {
    const before = await gql<PlanData>(stack.gatewayUrl, CROSS_SUBGRAPH);
    await stack.stopSubgraph('initiatives');
    await stack.startSubgraph('initiatives');
    const after = await gql<PlanData>(stack.gatewayUrl, CROSS_SUBGRAPH);
    expect(after.body.errors).toBeUndefined();
    const count = (d: PlanData | null | undefined) => d?.goals.flatMap((g) => g.initiatives).length;
    expect(count(after.body.data)).toBe(count(before.body.data));
    expect(count(after.body.data)).toBe(26);
  });

  it('serves health and readiness', async () => {
    const base = stack.gatewayUrl.replace('/graphql', '');
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect((await fetch(`${base}/ready`)).status).toBe(200);
  });
});

describe('bad configuration gives one clear line', () => {
  async function runToExit(env: NodeJS.ProcessEnv): Promise<{ code: number | null; lines: string[] }> {
    const proc = launch('engagement', entries.subgraph('engagement'), { LOG_LEVEL: 'warn', ...env });
    const code = await proc.exited;
    return { code, lines: proc.output };
  }

  it('an unreachable DATABASE_URL', async () => {
    const port = await freePort();
    const { code, lines } = await runToExit({
      ENGAGEMENT_PORT: String(await freePort()),
      DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/postgres`,
      DB_CONNECT_TIMEOUT_MS: '2000',
    });
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^engagement: cannot reach PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:\d+\/civic_engagement .*Start the server, or fix DATABASE_URL/,
    );
  });

  it('a port in use', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    const dataDir = mkdtempSync(join(tmpdir(), 'civic-port-'));
    try {
      const { code, lines } = await runToExit({
        ENGAGEMENT_PORT: String(port),
        CIVIC_DATA_DIR: dataDir,
        CIVIC_SEED: 'none',
        DATABASE_URL: '',
      });
      expect(code).toBe(1);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^engagement: port ${port} on 127.0.0.1 is already in use`));
    } finally {
      blocker.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a corrupted PGlite folder', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'civic-corrupt-'));
    const folder = join(dataDir, 'engagement');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'PG_VERSION'), 'not a postgres folder\n');
    writeFileSync(join(folder, 'postgresql.conf'), '\u0000\u0001garbage');
    try {
      const { code, lines } = await runToExit({
        ENGAGEMENT_PORT: String(await freePort()),
        CIVIC_DATA_DIR: dataDir,
        DATABASE_URL: '',
      });
      expect(code).toBe(1);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^engagement: the PGlite folder .*engagement cannot be opened .*move it aside/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a PGlite folder already open in another process', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'civic-locked-'));
    const port = await freePort();
    const first = launch('engagement', entries.subgraph('engagement'), {
      ENGAGEMENT_PORT: String(port),
      CIVIC_DATA_DIR: dataDir,
      CIVIC_SEED: 'none',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    });
    try {
      await waitReady(`http://127.0.0.1:${port}/ready`, first);
      const { code, lines } = await runToExit({
        ENGAGEMENT_PORT: String(await freePort()),
        CIVIC_DATA_DIR: dataDir,
        DATABASE_URL: '',
      });
      expect(code).toBe(1);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/is in use by process \d+/);
    } finally {
      first.child.kill('SIGTERM');
      await first.exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
