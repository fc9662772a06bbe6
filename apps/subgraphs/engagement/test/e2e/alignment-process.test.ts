import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import type { DatabaseTarget } from '@civic/db/config';
import { newTestTarget, prepareTestTarget, removeTarget } from '@civic/db/testing';
import { signIdentity } from '@civic/server-kit/identity';
import {
  entries,
  freePort,
  launch,
  type ManagedProcess,
  stopProcess,
  waitAlignmentCaughtUp,
  waitReady,
} from '@civic/test-stack/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// ALIGNMENT_WORKER=process: the built engagement subgraph runs the alignment engine in a child process of its
// own, on the same PostgreSQL database and durable job queue. PostgreSQL only (CI's second pass): a PGlite folder
// belongs to one process, which test/environment.test.ts checks is refused.
const postgres = Boolean(process.env.DATABASE_URL);

const CSV = `conversationKey,conversationTitle,heldOn,format,host,conversationLanguages,participantCount,conversationSummary,conversationNeighborhoods,summary,detail,themes,language,neighborhood,supportCount,mentionCount,moderation
east-2026-11,East listening session,2026-11-04,IN_PERSON,Neighborhood Improvement Services,en;es,20,,,The streetlights on our block have been broken for months and the street is dark at night,,,en,,8,1,ACCEPTED
east-2026-11,,,,,,,,,Las luces de la calle están rotas y la calle está muy oscura por la noche,,,es,,5,1,ACCEPTED
`;
const LATER = `conversationKey,conversationTitle,heldOn,format,host,conversationLanguages,participantCount,conversationSummary,conversationNeighborhoods,summary,detail,themes,language,neighborhood,supportCount,mentionCount,moderation
west-2026-11,West listening session,2026-11-18,IN_PERSON,Neighborhood Improvement Services,en,9,,,Our landlord raised the rent again and we may be evicted,,,en,,4,1,ACCEPTED
`;
const IMPORT = `mutation ($input: ImportConversationsCsvInput!) {
  importConversationsCsv(input: $input) { conversation { id concerns { id summary } } }
}`;
const THEMES = 'query ($id: ID!) { concern(id: $id) { themes } }';

let target: DatabaseTarget;
let engagement: ManagedProcess | undefined;
let url = '';
const secret = randomBytes(32).toString('base64url');

async function call<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const body = JSON.stringify({ query, variables });
  const staff = { role: 'STAFF' as const, subject: 'alignment-process-test', department: null, organization: null };
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signIdentity(secret, staff, body) },
    body,
  });
  const answer = (await response.json()) as { data?: T; errors?: unknown[] };
  if (!answer.data) throw new Error(JSON.stringify(answer.errors));
  return answer.data;
}

/** Child processes of a process (Linux: every thread's `children`). */
function childrenOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
    readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
  );
}

function engineProcess(): number | undefined {
  const pid = engagement?.child.pid as number;
  return childrenOf(pid).find((child) => {
    try {
      return readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').includes('alignment-worker');
    } catch {
      return false;
    }
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until<T>(what: string, read: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function importCsv(csv: string): Promise<string[]> {
  const data = await call<{ importConversationsCsv: { conversation: { concerns: { id: string }[] } }[] }>(IMPORT, {
    input: { csv, publish: true },
  });
  return data.importConversationsCsv.flatMap((r) => r.conversation.concerns.map((c) => c.id));
}

async function themesOf(ids: string[]): Promise<string[][]> {
  const found = await Promise.all(ids.map((id) => call<{ concern: { themes: string[] } }>(THEMES, { id })));
  return found.map((data) => data.concern.themes);
}

beforeAll(async () => {
  if (!postgres) return;
  target = newTestTarget('engagement');
  await prepareTestTarget(target);
  if (target.kind !== 'postgres') throw new Error('expected a PostgreSQL target');
  const port = await freePort();
  url = `http://127.0.0.1:${port}/graphql`;
  engagement = launch('engagement', entries.subgraph('engagement'), {
    ENGAGEMENT_PORT: String(port),
    ENGAGEMENT_HOST: '127.0.0.1',
    ENGAGEMENT_DATABASE_URL: target.url,
    DATABASE_URL: '',
    ALIGNMENT_WORKER: 'process',
    CIVIC_SEED: 'reference',
    CIVIC_GATEWAY_SECRET: secret,
    LOG_LEVEL: 'info',
  });
  await waitReady(`http://127.0.0.1:${port}/ready`, engagement, 120_000, { ownPort: true });
});

afterAll(async () => {
  if (engagement) await stopProcess(engagement);
  if (target) await removeTarget(target).catch(() => {});
});

describe.skipIf(!postgres)('the alignment engine in a process of its own (ALIGNMENT_WORKER=process)', () => {
  it('tags and groups concerns from a child process, not from the subgraph’s own', async () => {
    const engine = await until('the engine process', engineProcess);
    expect(engine).not.toBe(engagement?.child.pid);
    const ids = await importCsv(CSV);
    await waitAlignmentCaughtUp({ subgraphUrls: { engagement: url } as never, secret }, 120_000);
    for (const themes of await themesOf(ids)) expect(themes).toContain('INFRASTRUCTURE');
    expect(engagement?.output.join('\n')).toContain('alignment: engine process working');
    expect(engagement?.output.join('\n')).toMatch(/alignment: concerns tagged/);
  });

  it('starts the engine again when it dies, and nothing written meanwhile is lost', async () => {
    const first = await until('the engine process', engineProcess);
    process.kill(first, 'SIGKILL');
    await until('the dead engine to be gone', () => (alive(first) ? undefined : true));
    // Written while no engine runs: the concerns wait, marked pending, in the database.
    const ids = await importCsv(LATER);
    const second = await until('a new engine process', () => {
      const pid = engineProcess();
      return pid && pid !== first ? pid : undefined;
    });
    expect(second).not.toBe(first);
    await waitAlignmentCaughtUp({ subgraphUrls: { engagement: url } as never, secret }, 120_000);
    const [themes] = await themesOf(ids);
    expect(themes).toContain('HOUSING');
    expect(engagement?.output.join('\n')).toContain('alignment: engine process stopped; starting it again');
  });

  it('stops with the subgraph', async () => {
    const engine = await until('the engine process', engineProcess);
    expect(await stopProcess(engagement as ManagedProcess)).toBe(0);
    engagement = undefined;
    await until('the engine to stop with the subgraph', () => (alive(engine) ? undefined : true), 30_000);
  });
});
