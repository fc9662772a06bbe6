import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseTarget } from '@civic/db/config';
import { newTestTarget, prepareTestTarget, removeTarget } from '@civic/db/testing';
import { findWorkspaceRoot } from '@civic/server-kit/env';
import { SUBGRAPHS, type SubgraphName } from '@civic/server-kit/ports';

const root = findWorkspaceRoot(new URL('.', import.meta.url).pathname);

// CIVIC_TEST_SUBGRAPH_ROOT runs the subgraphs built in another checkout (say, a `git worktree` at a
// known commit) while the gateway under test comes from this one.
const subgraphRoot = process.env.CIVIC_TEST_SUBGRAPH_ROOT || root;

export const entries = {
  subgraph: (name: SubgraphName) => join(subgraphRoot, 'apps', 'subgraphs', name, 'dist', 'main.js'),
  gateway: join(root, 'apps', 'gateway', 'dist', 'main.js'),
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

export function launch(name: string, entry: string, env: NodeJS.ProcessEnv): ManagedProcess {
  const child = spawn(process.execPath, ['--enable-source-maps', entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) output.push(line);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  // A test runner that exits (or is interrupted) must not leave services running behind it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      process.removeListener('exit', killOnExit);
      resolve(code);
    }),
  );
  return { name, child, output, exited };
}

// Two stack-starting files run at once on a 2-core machine; migrations alone can take a minute then.
export async function waitReady(url: string, proc: ManagedProcess, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) {
      throw new Error(`${proc.name} exited with ${proc.child.exitCode}:\n${proc.output.slice(-20).join('\n')}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${proc.name} not ready after ${timeoutMs}ms:\n${proc.output.slice(-20).join('\n')}`);
}

export async function stopProcess(proc: ManagedProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return proc.child.exitCode;
  proc.child.kill(signal);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), 10_000);
  const code = await proc.exited;
  clearTimeout(timer);
  return code;
}

export interface StackOptions {
  production?: boolean;
  seed?: 'demo' | 'reference' | 'none';
  /** Extra environment for every process. */
  env?: NodeJS.ProcessEnv;
  /** Extra environment for the gateway only (limits, REDIS_URL, timeouts). */
  gatewayEnv?: NodeJS.ProcessEnv;
  /** How long each process may take to become ready (default 60 s; a loaded machine may need more). */
  readyTimeoutMs?: number;
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
  const secret = randomBytes(32).toString('base64url');
  const jwtSecret = randomBytes(32).toString('base64url');
  const dataDir = mkdtempSync(join(tmpdir(), 'civic-stack-'));
  const ports = Object.fromEntries(await Promise.all(SUBGRAPHS.map(async (n) => [n, await freePort()]))) as Record<
    SubgraphName,
    number
  >;
  const targets = Object.fromEntries(SUBGRAPHS.map((n) => [n, newTestTarget(n)])) as Record<
    SubgraphName,
    DatabaseTarget
  >;
  const gatewayTarget = newTestTarget('gateway');
  const subgraphUrls = Object.fromEntries(SUBGRAPHS.map((n) => [n, `http://127.0.0.1:${ports[n]}/graphql`])) as Record<
    SubgraphName,
    string
  >;
  const gatewayPort = await freePort();
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
  const common: NodeJS.ProcessEnv = {
    NODE_ENV: options.production ? 'production' : 'development',
    // Subgraphs that read other subgraphs' data (initiatives' automatic measures) go through this gateway.
    CIVIC_GATEWAY_URL: gatewayUrl,
    CIVIC_GATEWAY_SECRET: secret,
    CIVIC_JWT_SECRET: jwtSecret,
    CIVIC_SEED: options.seed ?? 'demo',
    LOG_LEVEL: 'warn',
    DATABASE_URL: '',
    ...options.env,
  };
  const processes = new Map<string, ManagedProcess>();
  await Promise.all(SUBGRAPHS.map((n) => prepareTestTarget(targets[n])));

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
    const proc = launch(name, entries.subgraph(name), subgraphEnv(name));
    processes.set(name, proc);
    await waitReady(`http://127.0.0.1:${ports[name]}/ready`, proc, options.readyTimeoutMs);
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
      await stack.stop();
      await Promise.all(
        [...SUBGRAPHS.map((n) => targets[n]), gatewayTarget].map((t) => removeTarget(t).catch(() => {})),
      );
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(SUBGRAPHS.map(startSubgraph));
    stack.gatewayEnv = {
      ...common,
      GATEWAY_PORT: String(gatewayPort),
      GATEWAY_HOST: '127.0.0.1',
      ENGAGEMENT_URL: subgraphUrls.engagement,
      INITIATIVES_URL: subgraphUrls.initiatives,
      RESOURCES_URL: subgraphUrls.resources,
      ...(gatewayTarget.kind === 'postgres'
        ? { GATEWAY_DATABASE_URL: gatewayTarget.url }
        : { CIVIC_DATA_DIR: join(gatewayTarget.dataDir, '..') }),
      ...options.gatewayEnv,
    };
    const gateway = launch('gateway', entries.gateway, stack.gatewayEnv);
    processes.set('gateway', gateway);
    await waitReady(`http://127.0.0.1:${gatewayPort}/ready`, gateway, options.readyTimeoutMs);
    stack.gatewayUrl = gatewayUrl;
  } catch (error) {
    await stack.destroy();
    throw error;
  }
  return stack;
}
