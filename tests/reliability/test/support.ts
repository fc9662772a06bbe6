import { createHmac, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { DatabaseTarget } from '@civic/db/config';
import { openDatabase, type SqlClient } from '@civic/db/connect';
import { newTestTarget, prepareTestTarget, removeTarget } from '@civic/db/testing';
import type { SubgraphName } from '@civic/server-kit/ports';
import { type GraphQLResponse, gql } from '@civic/test-stack/graphql';
import {
  entries,
  freePort,
  launch,
  type ManagedProcess,
  type Stack,
  type StackOptions,
  startStack,
  waitReady,
} from '@civic/test-stack/stack';
import { expect } from 'vitest';

export { gql };

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A development sign-in token (HS256, the gateway's local key), as `civic token` mints it. */
export function staffToken(stack: Stack, role: 'STAFF' | 'ADMIN' = 'STAFF', department = 'reliability-dept'): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    role,
    ...(role === 'STAFF' ? { department } : {}),
    sub: `reliability-${role.toLowerCase()}`,
    iss: 'civic-graph-dev',
    aud: 'civic-graph',
    iat: now,
    exp: now + 3600,
  };
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${unsigned}.${createHmac('sha256', stack.jwtSecret).update(unsigned).digest('base64url')}`;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export function gatewayBase(stack: Stack): string {
  return stack.gatewayUrl.replace(/\/graphql$/, '');
}

export function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** Nothing about the inside reaches the client: no address, port, driver message, SQL or stack. */
export function expectMasked(stack: Stack, value: unknown) {
  const text = JSON.stringify(value);
  expect(text).not.toMatch(
    /127\.0\.0\.1|localhost|ECONN|fetch failed|stacktrace|socket|terminat|timeout exceeded|postgres|prisma|select |insert |at \/|\.ts:|\.js:/i,
  );
  for (const url of Object.values(stack.subgraphUrls)) expect(text).not.toContain(`:${new URL(url).port}`);
}

const OUTAGE_CODES = new Set(['SERVICE_UNAVAILABLE', 'INTERNAL_SERVER_ERROR']);

/** A response during a fault: never a 5xx, and every error is coded, masked and of an outage kind. */
export function expectCodedOutage(stack: Stack, response: GraphQLResponse) {
  expect(response.status).toBe(200);
  for (const error of response.body.errors ?? []) {
    expect(OUTAGE_CODES.has(String(error.extensions?.code)), JSON.stringify(error)).toBe(true);
    expect(Object.keys(error.extensions ?? {})).toEqual(['code']);
  }
  expectMasked(stack, response.body);
}

export async function gatewayReady(stack: Stack): Promise<number> {
  return (await fetch(`${gatewayBase(stack)}/ready`).catch(() => null))?.status ?? 0;
}

/**
 * Whether the gateway sees the subgraph ready, from its /health (its /ready means "this gateway can
 * serve" and does not depend on the subgraphs); null when /health does not answer.
 */
export async function subgraphReadyForGateway(stack: Stack, name: string): Promise<boolean | null> {
  const response = await fetch(`${gatewayBase(stack)}/health`).catch(() => null);
  if (!response?.ok) return null;
  const body = (await response.json()) as { subgraphs?: Record<string, { ready: boolean | null }> };
  return body.subgraphs?.[name]?.ready ?? null;
}

/**
 * Replaces a running subgraph with one started from its usual environment plus `extra` (its database
 * reached through a proxy, a smaller pool). Same port, so the gateway keeps its URL.
 */
export async function relaunchSubgraph(stack: Stack, name: SubgraphName, extra: NodeJS.ProcessEnv) {
  await stack.stopSubgraph(name);
  const env = { ...stack.subgraphEnv(name), ...extra };
  const proc = launch(name, entries.subgraph(name), env);
  stack.processes.set(name, proc);
  await waitReady(new URL('/ready', stack.subgraphUrls[name]).toString(), proc, 180_000);
  return proc;
}

/**
 * A production stack where only `seeded` subgraphs get the demo data. Engagement's demo seed (ward
 * boundaries, hundreds of concerns) is the slowest start on a loaded machine, and most faults here need
 * only its own writes.
 */
export async function startSeededStack(seeded: SubgraphName[], options: StackOptions = {}): Promise<Stack> {
  const stack = await startStack({ ...options, production: true, seed: 'none' });
  try {
    for (const name of seeded) await relaunchSubgraph(stack, name, { CIVIC_SEED: 'demo' });
  } catch (error) {
    await stack.destroy();
    throw error;
  }
  return stack;
}

/** A second gateway on the same subgraphs (some of them behind proxies), with its own database. */
export async function launchGateway(
  stack: Stack,
  name: string,
  extra: NodeJS.ProcessEnv,
): Promise<{ url: string; proc: ManagedProcess; target: DatabaseTarget }> {
  const target = newTestTarget('gateway');
  await prepareTestTarget(target);
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...stack.gatewayEnv,
    GATEWAY_PORT: String(port),
    ...(target.kind === 'postgres'
      ? { GATEWAY_DATABASE_URL: target.url }
      : { CIVIC_DATA_DIR: join(target.dataDir, '..') }),
    ...extra,
  };
  const proc = launch(name, entries.gateway, env);
  stack.processes.set(name, proc);
  await waitReady(`http://127.0.0.1:${port}/ready`, proc);
  return { url: `http://127.0.0.1:${port}/graphql`, proc, target };
}

export { removeTarget };

/**
 * A TCP proxy written for the tests: it can delay what the client sends (a slow service), cut every
 * connection and refuse new ones (a server restart), and be restored on the same port.
 */
export class TcpProxy {
  delayMs = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly port: number,
    private readonly targetPort: number,
    private readonly targetHost: string,
  ) {}

  static async start(targetPort: number, targetHost = '127.0.0.1'): Promise<TcpProxy> {
    const proxy = new TcpProxy(await freePort(), targetPort, targetHost);
    await proxy.listen();
    return proxy;
  }

  get accepting(): boolean {
    return this.server !== undefined;
  }

  private track(socket: Socket) {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  private async listen(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      this.track(client);
      this.track(upstream);
      let queue = Promise.resolve();
      client.on('data', (chunk) => {
        const delay = this.delayMs;
        if (delay === 0) {
          queue = queue.then(() => {
            if (!upstream.destroyed) upstream.write(chunk);
          });
          return;
        }
        queue = queue.then(async () => {
          await sleep(delay);
          if (!upstream.destroyed) upstream.write(chunk);
        });
      });
      upstream.on('data', (chunk) => {
        if (!client.destroyed) client.write(chunk);
      });
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
  }

  /** Drops every open connection and refuses new ones, as a restarting server does. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    const closed = server ? new Promise<void>((r) => server.close(() => r())) : Promise.resolve();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  async restore(): Promise<void> {
    if (!this.server) await this.listen();
  }

  async close(): Promise<void> {
    await this.cut();
  }
}

/** A PostgreSQL URL whose host and port are replaced by the proxy's. */
export function throughProxy(url: string, proxy: TcpProxy): string {
  const parsed = new URL(url);
  parsed.hostname = '127.0.0.1';
  parsed.port = String(proxy.port);
  return parsed.toString();
}

export async function withDatabase<T>(target: DatabaseTarget, fn: (sql: SqlClient) => Promise<T>): Promise<T> {
  const db = await openDatabase(target, { max: 1 });
  try {
    return await fn(db.sql);
  } finally {
    await db.close();
  }
}

/**
 * Starts a POST whose body is only half sent: the server has the request in flight until
 * `finish()` sends the rest. Resolves with the status and parsed body.
 */
export function halfSentRequest(url: string, body: string, headers: Record<string, string> = {}) {
  const split = Math.floor(body.length / 2);
  let finish: () => void = () => {};
  const response = new Promise<{ status: number; body: GraphQLResponse['body'] }>((resolve, reject) => {
    const req = httpRequest(url, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        ...headers,
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as GraphQLResponse['body'] });
        } catch {
          resolve({ status: res.statusCode ?? 0, body: { errors: [{ message: text }] } });
        }
      });
    });
    req.write(body.slice(0, split));
    req.flushHeaders();
    finish = () => req.end(body.slice(split));
  });
  return { response, finish: () => finish() };
}

/** Whether a new TCP connection to the port is accepted. */
export function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

// Writes through the gateway: conversations with a few concerns, as staff record them.

export const CREATE_CONVERSATION = /* GraphQL */ `
  mutation Record($input: CreateConversationInput!) {
    createConversation(input: $input) { id title }
  }
`;

export function conversationInput(title: string, concerns: number, detailChars = 40) {
  return {
    title,
    heldOn: '2024-05-01T00:00:00.000Z',
    format: 'IN_PERSON',
    concerns: Array.from({ length: concerns }, (_, i) => ({
      summary: `${title}: statement ${i + 1}`,
      detail: `Detail ${i + 1} `.padEnd(detailChars, 'x'),
      supportCount: i,
    })),
  };
}

export function uniqueTitle(prefix: string): string {
  return `${prefix} ${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

export interface WriteAttempt {
  title: string;
  at: number;
  status: number;
  id?: string | undefined;
  codes: string[];
}

/** Stored state of conversations by title: the conversation row, its concerns and its audit entries. */
export async function storedConversations(sql: SqlClient, titles: string[]) {
  if (titles.length === 0) return new Map<string, { id: string; concerns: number; audited: number }>();
  const rows = await sql.query<{ id: string; title: string; concerns: number; audited: number }>(
    `select c.id, c.title,
       (select count(*)::int from "Concern" k where k."conversationId" = c.id) as concerns,
       (select count(*)::int from "AuditEntry" a where a."entityId" = c.id) as audited
     from "Conversation" c where c.title = any($1::text[])`,
    [titles],
  );
  return new Map(rows.map((r) => [r.title, { id: r.id, concerns: r.concerns, audited: r.audited }]));
}

/**
 * Every acknowledged write is stored whole; an unacknowledged one is stored whole or not at all.
 */
export function expectNoLostOrPartialWrites(
  attempts: WriteAttempt[],
  stored: Map<string, { id: string; concerns: number; audited: number }>,
  concernsPerWrite: number,
) {
  for (const attempt of attempts) {
    const row = stored.get(attempt.title);
    if (attempt.id) {
      expect(row?.id, `acknowledged write ${attempt.title} is stored`).toBe(attempt.id);
    }
    if (row) {
      expect(row.concerns, `${attempt.title} has all its concerns`).toBe(concernsPerWrite);
      expect(row.audited, `${attempt.title} is audited`).toBeGreaterThan(0);
    }
  }
}

export async function recordWrite(url: string, token: string, title: string, concerns: number) {
  const started = Date.now();
  try {
    const response = await gql<{ createConversation: { id: string } | null }>(
      url,
      CREATE_CONVERSATION,
      { input: conversationInput(title, concerns) },
      bearer(token),
    );
    return {
      response,
      attempt: {
        title,
        at: Date.now(),
        status: response.status,
        id: response.body.data?.createConversation?.id,
        codes: (response.body.errors ?? []).map((e) => String(e.extensions?.code)),
      } satisfies WriteAttempt,
    };
  } catch {
    return { response: undefined, attempt: { title, at: started, status: 0, codes: ['NETWORK'] } };
  }
}
