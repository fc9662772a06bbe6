import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseTarget } from '@civic/db/config';
import { newTestTarget, prepareTestTarget, removeTarget } from '@civic/db/testing';
import { signIdentity } from '@civic/server-kit/identity';
import { SUBGRAPHS, type SubgraphName } from '@civic/server-kit/ports';
import {
  entries,
  freePort,
  launch,
  type ManagedProcess,
  reservePort,
  stopProcess,
  waitIdle,
  waitReady,
} from './processes.ts';
import { cacheableSeed, prepareSeededTarget, seedCacheEnabled } from './seed-cache.ts';
import { leaseSharedSubgraphs, SHARED_SUBGRAPHS_ENV } from './shared-subgraphs.ts';

export { entries, freePort, launch, type ManagedProcess, reservePort, stopProcess, waitIdle, waitReady };

/**
 * Waits until every process of the stack is idle: a seeded stack goes on with background jobs (theme
 * tagging, translations, coverage) after it is ready, and a measurement taken meanwhile measures them.
 */
export async function waitStackIdle(stack: Pick<Stack, 'processes'>, timeoutMs = 300_000): Promise<void> {
  await Promise.all([...stack.processes.values()].map((proc) => waitIdle(proc, timeoutMs)));
}

/**
 * Waits until the alignment engine has nothing left to do: no job queued or running and no concern
 * waiting to be tagged, three readings in a row (a sweep queues its jobs a moment after start-up).
 * Asks engagement directly, as staff. A seeded stack tags and regroups its concerns after it is ready,
 * so a test comparing two reads of concerns' themes waits for this first. Resolves with what it saw;
 * throws with what was still waiting after `timeoutMs`.
 */
export async function waitAlignmentCaughtUp(
  stack: Pick<Stack, 'subgraphUrls' | 'secret'>,
  timeoutMs = 300_000,
): Promise<string> {
  const body = JSON.stringify({
    query: '{ alignmentStatus { workerRunning pendingJobs failedJobs pendingConcerns } }',
  });
  const staff = { role: 'STAFF' as const, subject: 'test-stack', department: null, organization: null };
  const started = Date.now();
  let last = 'no answer yet';
  let idle = 0;
  while (Date.now() - started < timeoutMs) {
    const response = await fetch(stack.subgraphUrls.engagement, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signIdentity(stack.secret, staff, body) },
      body,
      signal: AbortSignal.timeout(30_000),
    }).catch((error: unknown) => error as Error);
    if (response instanceof Error) {
      last = `alignmentStatus did not answer: ${response.message}`;
      idle = 0;
    } else {
      const answer = (await response.json()) as {
        data?: {
          alignmentStatus: { workerRunning: boolean; pendingJobs: number; failedJobs: number; pendingConcerns: number };
        };
        errors?: unknown[];
      };
      const status = answer.data?.alignmentStatus;
      if (!status) {
        // Engagement busy with the engine's own work (at N=10 its pool can be taken for a while): ask again.
        last = `alignmentStatus failed: ${JSON.stringify(answer.errors)}`;
        idle = 0;
      } else {
        if (!status.workerRunning) return 'the alignment engine does not run in this stack';
        last = `${status.pendingJobs} jobs and ${status.pendingConcerns} concerns waiting, ${status.failedJobs} jobs failed`;
        idle = status.pendingJobs + status.pendingConcerns === 0 ? idle + 1 : 0;
        if (idle === 3) return `alignment engine caught up after ${((Date.now() - started) / 1000).toFixed(1)} s`;
      }
    }
    await new Promise((r) => setTimeout(r, idle > 0 ? 500 : 1_000));
  }
  throw new Error(`after ${timeoutMs / 1000} s the alignment engine still had ${last}`);
}

export interface StackOptions {
  production?: boolean;
  seed?: 'demo' | 'reference' | 'none';
  /** Extra environment for every process. */
  env?: NodeJS.ProcessEnv;
  /** Extra environment for the gateway only (limits, REDIS_URL, timeouts; RESPONSE_CACHE: 'on' to use the cache). */
  gatewayEnv?: NodeJS.ProcessEnv;
  /** How long each process may take to become ready (default 60 s; a loaded machine may need more). */
  readyTimeoutMs?: number;
  /**
   * Share the subgraphs and their databases with the run's other files that name the same group and
   * ask for the same `production`, `seed` and `env` (`shared-subgraphs.ts`); the file still gets a
   * gateway of its own, with its own `gatewayEnv` and database. For files whose tests read only what
   * they wrote or what the seed holds, and never stop a subgraph (`stopSubgraph` then throws).
   * Without the run's broker (a project's own vitest config) the file starts subgraphs of its own.
   */
  shareSubgraphs?: string;
}

export interface Stack {
  gatewayUrl: string;
  subgraphUrls: Record<SubgraphName, string>;
  secret: string;
  /** The development JWT signing key the gateway accepts (issuer civic-graph-dev, audience civic-graph). */
  jwtSecret: string;
  /** Environment the gateway was started with (to start another one sharing its database, say). */
  gatewayEnv: NodeJS.ProcessEnv;
  processes: Map<string, ManagedProcess>;
  targets: Record<SubgraphName, DatabaseTarget>;
  /** Environment a subgraph process was started with (to restart it the same way). */
  subgraphEnv(name: SubgraphName): NodeJS.ProcessEnv;
  startSubgraph(name: SubgraphName): Promise<void>;
  stopSubgraph(name: SubgraphName, signal?: NodeJS.Signals): Promise<number | null>;
  /** Stops every process; the databases are kept until `destroy`. */
  stop(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * Starts the three subgraphs and the gateway as real processes from their built `dist/`,
 * each subgraph on a new database of the kind under test (PGlite, or PostgreSQL when
 * DATABASE_URL is set).
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const broker = process.env[SHARED_SUBGRAPHS_ENV];
  if (options.shareSubgraphs && broker) return startOnSharedSubgraphs(broker, options.shareSubgraphs, options);
  const secret = randomBytes(32).toString('base64url');
  const jwtSecret = randomBytes(32).toString('base64url');
  const dataDir = mkdtempSync(join(tmpdir(), 'civic-stack-'));
  const reservations = Object.fromEntries(
    await Promise.all(SUBGRAPHS.map(async (n) => [n, await reservePort()])),
  ) as Record<SubgraphName, Awaited<ReturnType<typeof reservePort>>>;
  const ports = Object.fromEntries(SUBGRAPHS.map((n) => [n, reservations[n].port])) as Record<SubgraphName, number>;
  const targets = Object.fromEntries(SUBGRAPHS.map((n) => [n, newTestTarget(n)])) as Record<
    SubgraphName,
    DatabaseTarget
  >;
  const gatewayTarget = newTestTarget('gateway');
  const subgraphUrls = Object.fromEntries(SUBGRAPHS.map((n) => [n, `http://127.0.0.1:${ports[n]}/graphql`])) as Record<
    SubgraphName,
    string
  >;
  const gatewayReservation = await reservePort();
  const gatewayPort = gatewayReservation.port;
  const releasePorts = () =>
    Promise.all([...SUBGRAPHS.map((n) => reservations[n].release()), gatewayReservation.release()]);
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
  const common: NodeJS.ProcessEnv = {
    NODE_ENV: options.production ? 'production' : 'development',
    // Subgraphs that read other subgraphs' data (initiatives' automatic measures) go through this gateway.
    CIVIC_GATEWAY_URL: gatewayUrl,
    // initiatives and resources hand their partner webhook events to engagement directly.
    ENGAGEMENT_URL: subgraphUrls.engagement,
    CIVIC_GATEWAY_SECRET: secret,
    CIVIC_JWT_SECRET: jwtSecret,
    CIVIC_SEED: options.seed ?? 'demo',
    LOG_LEVEL: 'warn',
    DATABASE_URL: '',
    ...options.env,
  };
  const processes = new Map<string, ManagedProcess>();
  // Seeded databases come from this run's cache (see seed-cache.ts) unless the stack's environment
  // may change what is stored; the gateway's empty one is at least initialised already.
  const cachedSeed = seedCacheEnabled() ? cacheableSeed(options.seed, options.env) : undefined;
  const prepare = async (target: DatabaseTarget, name?: SubgraphName) => {
    if (name && cachedSeed && (await prepareSeededTarget(name, cachedSeed, target, (line) => console.warn(line)))) {
      return;
    }
    await prepareTestTarget(target);
  };
  const began = performance.now();
  // CIVIC_TEST_STACK_TIMING=1 prints when each part of the stack was ready (seconds since the start).
  const timing = (what: string) => {
    if (process.env.CIVIC_TEST_STACK_TIMING === '1') {
      console.warn(`stack: ${what} at ${((performance.now() - began) / 1000).toFixed(1)} s`);
    }
  };
  try {
    await Promise.all([...SUBGRAPHS.map((n) => prepare(targets[n], n)), prepare(gatewayTarget)]);
  } catch (error) {
    await releasePorts();
    throw error;
  }
  timing(`databases prepared${cachedSeed ? ` (cache: ${cachedSeed})` : ''}`);

  const subgraphEnv = (name: SubgraphName): NodeJS.ProcessEnv => {
    const upper = name.toUpperCase();
    const target = targets[name];
    return {
      ...common,
      [`${upper}_PORT`]: String(ports[name]),
      [`${upper}_HOST`]: '127.0.0.1',
      ...(target.kind === 'postgres'
        ? { [`${upper}_DATABASE_URL`]: target.url }
        : { CIVIC_DATA_DIR: join(target.dataDir, '..') }),
    };
  };
  const startSubgraph = async (name: SubgraphName) => {
    await reservations[name].release();
    const proc = launch(name, entries.subgraph(name), subgraphEnv(name));
    processes.set(name, proc);
    await waitReady(`http://127.0.0.1:${ports[name]}/ready`, proc, options.readyTimeoutMs, { ownPort: true });
    timing(`${name} ready`);
  };
  const stack: Stack = {
    gatewayUrl: '',
    subgraphUrls,
    secret,
    jwtSecret,
    gatewayEnv: {},
    processes,
    targets,
    subgraphEnv,
    startSubgraph,
    async stopSubgraph(name, signal) {
      const proc = processes.get(name);
      return proc ? stopProcess(proc, signal) : null;
    },
    async stop() {
      await Promise.all([...processes.values()].map((p) => stopProcess(p)));
    },
    async destroy() {
      await releasePorts();
      await stack.stop();
      await Promise.all(
        [...SUBGRAPHS.map((n) => targets[n]), gatewayTarget].map((t) => removeTarget(t).catch(() => {})),
      );
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(SUBGRAPHS.map(startSubgraph));
    stack.gatewayEnv = gatewayEnvironment(common, gatewayPort, subgraphUrls, gatewayTarget, options);
    await gatewayReservation.release();
    processes.set('gateway', await launchGateway(gatewayPort, stack.gatewayEnv, options));
    timing('gateway ready');
    stack.gatewayUrl = gatewayUrl;
  } catch (error) {
    await stack.destroy();
    throw error;
  }
  return stack;
}

function gatewayEnvironment(
  common: NodeJS.ProcessEnv,
  port: number,
  subgraphUrls: Record<SubgraphName, string>,
  target: DatabaseTarget,
  options: StackOptions,
): NodeJS.ProcessEnv {
  return {
    ...common,
    GATEWAY_PORT: String(port),
    GATEWAY_HOST: '127.0.0.1',
    ENGAGEMENT_URL: subgraphUrls.engagement,
    INITIATIVES_URL: subgraphUrls.initiatives,
    RESOURCES_URL: subgraphUrls.resources,
    ...(target.kind === 'postgres'
      ? { GATEWAY_DATABASE_URL: target.url }
      : { CIVIC_DATA_DIR: join(target.dataDir, '..') }),
    // Suites written before the gateway's response cache expect every request to reach the subgraphs
    // (a killed subgraph shows at once, a background change on the next read): off unless a test
    // (apps/gateway/test/response-cache.test.ts) or the benchmark turns it on.
    RESPONSE_CACHE: 'off',
    // The deployed 10 s would make a functional test a timing test: CI's 2 cores run two stacks at
    // once, and a subgraph starting up (migrations, its job queue's first sweep) once answered the
    // gateway later than that. Tests of the timeout itself set their own.
    SUBGRAPH_TIMEOUT_MS: '60000',
    ...options.gatewayEnv,
  };
}

async function launchGateway(port: number, env: NodeJS.ProcessEnv, options: StackOptions): Promise<ManagedProcess> {
  const gateway = launch('gateway', entries.gateway, env);
  try {
    await waitReady(`http://127.0.0.1:${port}/ready`, gateway, options.readyTimeoutMs, { ownPort: true });
  } catch (error) {
    await stopProcess(gateway, 'SIGKILL');
    throw error;
  }
  return gateway;
}

/** A gateway of this file's own in front of the run's shared subgraphs (`StackOptions.shareSubgraphs`). */
async function startOnSharedSubgraphs(broker: string, group: string, options: StackOptions): Promise<Stack> {
  const { production, seed, env, readyTimeoutMs } = options;
  const lease = await leaseSharedSubgraphs(broker, { group, production, seed, env, readyTimeoutMs });
  const shared = lease.subgraphs;
  const gatewayTarget = newTestTarget('gateway');
  const reservation = await reservePort();
  const gatewayUrl = `http://127.0.0.1:${reservation.port}/graphql`;
  const processes = new Map<string, ManagedProcess>();
  const shareError = () =>
    new Error(
      `the subgraphs of "${group}" are shared with other test files; a test that stops one needs its own stack`,
    );
  const stack: Stack = {
    gatewayUrl: '',
    subgraphUrls: shared.subgraphUrls,
    secret: shared.secret,
    jwtSecret: shared.jwtSecret,
    gatewayEnv: {},
    processes,
    targets: shared.targets,
    subgraphEnv: (name) => shared.subgraphEnvs[name],
    startSubgraph: async () => {
      throw shareError();
    },
    stopSubgraph: async () => {
      throw shareError();
    },
    async stop() {
      await Promise.all([...processes.values()].map((p) => stopProcess(p)));
    },
    async destroy() {
      await reservation.release();
      await stack.stop();
      await removeTarget(gatewayTarget).catch(() => {});
      await lease.release();
    },
  };
  try {
    await prepareTestTarget(gatewayTarget);
    // What every process of the shared stack was started with, less engagement's own port and database.
    const common: NodeJS.ProcessEnv = { ...shared.subgraphEnvs.engagement, CIVIC_GATEWAY_URL: gatewayUrl };
    for (const name of ['ENGAGEMENT_PORT', 'ENGAGEMENT_HOST', 'ENGAGEMENT_DATABASE_URL', 'CIVIC_DATA_DIR']) {
      delete common[name];
    }
    stack.gatewayEnv = gatewayEnvironment(common, reservation.port, shared.subgraphUrls, gatewayTarget, options);
    await reservation.release();
    processes.set('gateway', await launchGateway(reservation.port, stack.gatewayEnv, options));
    stack.gatewayUrl = gatewayUrl;
  } catch (error) {
    await stack.destroy();
    throw error;
  }
  return stack;
}
