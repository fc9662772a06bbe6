import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { DatabaseTarget } from '@civic/db/config';
import { SUBGRAPHS, type SubgraphName } from '@civic/server-kit/ports';
import type { Stack, StackOptions } from './stack.ts';

/**
 * Test files that start the same subgraphs (same production mode, seed and environment) can share
 * them for a whole test run: a stack's start is mostly its three subgraphs migrating, seeding and
 * working through the seed's background jobs (about 40 CPU-seconds on PGlite), and CI is bound by
 * processor time. The subgraphs then live in the vitest process itself (the root config's global
 * setup, `global-setup.ts`), not in a test worker: vitest ends a worker with SIGKILL half a second
 * after SIGTERM, which would leave them running. A file asks for them over loopback HTTP (the
 * address is in this environment variable, which the workers inherit) and starts a gateway of its
 * own against them (its own settings, rate-limit counters, cache and API keys).
 */
export const SHARED_SUBGRAPHS_ENV = 'CIVIC_TEST_SHARED_SUBGRAPHS';

/** What a file gets of the shared subgraphs: enough to start a gateway and to call them directly. */
export interface SharedSubgraphs {
  subgraphUrls: Record<SubgraphName, string>;
  secret: string;
  jwtSecret: string;
  targets: Record<SubgraphName, DatabaseTarget>;
  subgraphEnvs: Record<SubgraphName, NodeJS.ProcessEnv>;
  pids: Record<SubgraphName, number | undefined>;
}

/** The options that decide which subgraphs a file may share (the gateway's own are not among them). */
export type SharedSubgraphOptions = Pick<StackOptions, 'production' | 'seed' | 'env' | 'readyTimeoutMs'> & {
  group: string;
};

interface Entry {
  key: string;
  state: 'starting' | 'ready' | 'failed';
  stack?: Stack;
  error?: string;
  leases: Set<string>;
  idleTimer?: NodeJS.Timeout;
}

interface Broker {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves shared subgraphs to the test workers. `startStack` is the real one; an entry without
 * leases is stopped `idleMs` later (a file of the same group usually asks again within seconds,
 * and an idle stack still holds its database connections).
 */
export async function serveSharedSubgraphs(
  startStack: (options: StackOptions) => Promise<Stack>,
  { idleMs = Number(process.env.CIVIC_TEST_SHARED_IDLE_MS || 300_000) } = {},
): Promise<Broker> {
  const entries = new Map<string, Entry>();
  const leases = new Map<string, Entry>();
  const destroying = new Set<Promise<void>>();

  const retire = (entry: Entry) => {
    entries.delete(entry.key);
    const done = (entry.stack?.destroy() ?? Promise.resolve()).catch((error: unknown) =>
      console.warn(`shared subgraphs (${entry.key}): stopping failed: ${(error as Error).message}`),
    );
    destroying.add(done);
    void done.finally(() => destroying.delete(done));
  };

  const acquire = (options: SharedSubgraphOptions): string => {
    const { readyTimeoutMs, ...identity } = options;
    const key = JSON.stringify([
      identity.group,
      identity.production ?? false,
      identity.seed ?? 'demo',
      identity.env ?? {},
    ]);
    let entry = entries.get(key);
    if (!entry || entry.state === 'failed') {
      const fresh: Entry = { key, state: 'starting', leases: new Set() };
      entry = fresh;
      entries.set(key, fresh);
      startStack({ production: options.production, seed: options.seed, env: options.env, readyTimeoutMs }).then(
        (stack) => {
          fresh.stack = stack;
          fresh.state = 'ready';
          if (fresh.leases.size === 0) scheduleIdle(fresh);
        },
        (error: unknown) => {
          fresh.state = 'failed';
          fresh.error = (error as Error).message;
        },
      );
    }
    clearTimeout(entry.idleTimer);
    const lease = randomUUID();
    entry.leases.add(lease);
    leases.set(lease, entry);
    return lease;
  };

  const scheduleIdle = (entry: Entry) => {
    clearTimeout(entry.idleTimer);
    entry.idleTimer = setTimeout(() => {
      if (entry.leases.size === 0 && entries.get(entry.key) === entry) retire(entry);
    }, idleMs);
  };

  const describe = (entry: Entry): SharedSubgraphs | undefined => {
    const stack = entry.stack;
    if (!stack) return undefined;
    const envs = Object.fromEntries(SUBGRAPHS.map((n) => [n, stack.subgraphEnv(n)])) as Record<
      SubgraphName,
      NodeJS.ProcessEnv
    >;
    const pids = Object.fromEntries(SUBGRAPHS.map((n) => [n, stack.processes.get(n)?.child.pid])) as Record<
      SubgraphName,
      number | undefined
    >;
    return {
      subgraphUrls: stack.subgraphUrls,
      secret: stack.secret,
      jwtSecret: stack.jwtSecret,
      targets: stack.targets,
      subgraphEnvs: envs,
      pids,
    };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const reply = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const [, action, id] = (request.url ?? '').split('/');
    if (request.method === 'POST' && action === 'acquire') {
      return reply(200, { lease: acquire(JSON.parse(Buffer.concat(chunks).toString('utf8'))) });
    }
    const entry = id ? leases.get(id) : undefined;
    if (!entry || !id) return reply(404, { error: `no lease ${id}` });
    if (request.method === 'GET' && action === 'lease') {
      return reply(200, { state: entry.state, error: entry.error, subgraphs: describe(entry) });
    }
    if (request.method === 'POST' && action === 'release') {
      leases.delete(id);
      entry.leases.delete(id);
      if (entry.leases.size === 0 && entry.state === 'ready') scheduleIdle(entry);
      return reply(200, {});
    }
    return reply(404, { error: 'unknown request' });
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: (error as Error).message }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const entry of [...entries.values()]) {
        clearTimeout(entry.idleTimer);
        retire(entry);
      }
      await Promise.all(destroying);
    },
  };
}

/** Leases shared subgraphs from the run's broker, waiting while they start. */
export async function leaseSharedSubgraphs(
  brokerUrl: string,
  options: SharedSubgraphOptions,
): Promise<{ subgraphs: SharedSubgraphs; release(): Promise<void> }> {
  const acquired = await fetch(`${brokerUrl}/acquire`, { method: 'POST', body: JSON.stringify(options) });
  if (!acquired.ok) throw new Error(`shared subgraphs: ${acquired.status} ${await acquired.text()}`);
  const { lease } = (await acquired.json()) as { lease: string };
  const release = async () => {
    await fetch(`${brokerUrl}/release/${lease}`, { method: 'POST' }).catch(() => {});
  };
  for (;;) {
    const answer = (await (await fetch(`${brokerUrl}/lease/${lease}`)).json()) as {
      state: Entry['state'];
      error?: string;
      subgraphs?: SharedSubgraphs;
    };
    if (answer.state === 'ready' && answer.subgraphs) return { subgraphs: answer.subgraphs, release };
    if (answer.state === 'failed') {
      await release();
      throw new Error(`shared subgraphs did not start: ${answer.error}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
