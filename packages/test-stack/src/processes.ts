import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { findWorkspaceRoot } from '@civic/server-kit/env';
import { nodeMemoryFlags, type ServiceName } from '@civic/server-kit/memory';
import type { SubgraphName } from '@civic/server-kit/ports';

const root = findWorkspaceRoot(new URL('.', import.meta.url).pathname);

// CIVIC_TEST_SUBGRAPH_ROOT runs the subgraphs built in another checkout (say, a `git worktree` at a
// known commit) while the gateway under test comes from this one.
const subgraphRoot = process.env.CIVIC_TEST_SUBGRAPH_ROOT || root;

export const workspaceRoot = root;

// CIVIC_TEST_PROCESS_LOG_DIR keeps every line each launched process prints, in <dir>/<name>-<pid>.log
// (a failing test shows only the last lines).
const processLogDir = process.env.CIVIC_TEST_PROCESS_LOG_DIR || undefined;

export const entries = {
  subgraph: (name: SubgraphName) => join(subgraphRoot, 'apps', 'subgraphs', name, 'dist', 'main.js'),
  gateway: join(root, 'apps', 'gateway', 'dist', 'main.js'),
};

/** The folder of the subgraph whose built entry `entries.subgraph(name)` is (dist/, prisma/). */
export const subgraphDir = (name: SubgraphName) => join(subgraphRoot, 'apps', 'subgraphs', name);

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

export interface PortReservation {
  port: number;
  /** Closes the placeholder listener; call it just before launching the process that takes the port. */
  release(): Promise<void>;
}

/**
 * A free loopback port, held by a placeholder listener until `release`. A stack chooses its
 * gateway's port before its subgraphs start (they are told the gateway's address), and a port merely
 * found free could be handed to another test file's process in that minute.
 */
export async function reservePort(): Promise<PortReservation> {
  // A process of an earlier stack may still connect to this port (a retry, a keep-alive): the
  // placeholder drops every connection, so none holds `close` open.
  const server: Server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  let released: Promise<void> | undefined;
  return {
    port,
    release: () => {
      released ??= new Promise<void>((resolve) => server.close(() => resolve()));
      return released;
    },
  };
}

/**
 * Whether process `pid` holds the socket listening on TCP `port` (Linux: /proc/net/tcp{,6} and the
 * process's descriptors); undefined where /proc cannot tell.
 */
export function listensOn(pid: number | undefined, port: number): boolean | undefined {
  if (pid === undefined || !existsSync('/proc/net/tcp')) return undefined;
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is HEXADDR:HEXPORT; state 0A is LISTEN; the inode is the tenth field.
      if (fields[1]?.endsWith(`:${hexPort}`) && fields[3] === '0A' && fields[9]) inodes.add(fields[9]);
    }
  }
  if (inodes.size === 0) return false;
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      const link = readlinkSync(`/proc/${pid}/fd/${fd}`, { encoding: 'utf8' });
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      if (inode && inodes.has(inode)) return true;
    }
  } catch {
    return undefined;
  }
  return false;
}

export interface ManagedProcess {
  name: string;
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}

/** The service a built entry runs (apps/gateway/dist/main.js, apps/subgraphs/<name>/dist/main.js). */
function serviceOf(entry: string): ServiceName | undefined {
  const match = /apps[\\/](?:subgraphs[\\/](engagement|initiatives|resources)|(gateway))[\\/]dist[\\/]main\.js$/.exec(
    entry,
  );
  return (match?.[1] ?? match?.[2]) as ServiceName | undefined;
}

/** Starts a built service with its heap cap as deployed (@civic/server-kit/memory). */
export function launch(name: string, entry: string, env: NodeJS.ProcessEnv): ManagedProcess {
  const service = serviceOf(entry);
  const memory = service ? nodeMemoryFlags(service, { ...process.env, ...env }) : [];
  const child = spawn(process.execPath, ['--enable-source-maps', ...memory, entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const logFile = processLogDir ? join(processLogDir, `${name}-${child.pid}.log`) : undefined;
  if (processLogDir) mkdirSync(processLogDir, { recursive: true });
  const collect = (chunk: Buffer) => {
    if (logFile) appendFileSync(logFile, chunk);
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
// With `ownPort`, an answer counts only once `proc` itself listens on the URL's port: another
// process that took the port would otherwise pass for it (and `proc` then exits with EADDRINUSE).
export async function waitReady(
  url: string,
  proc: ManagedProcess,
  timeoutMs = 180_000,
  { ownPort = false }: { ownPort?: boolean } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const port = Number(new URL(url).port);
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) {
      throw new Error(`${proc.name} exited with ${proc.child.exitCode}:\n${proc.output.slice(-20).join('\n')}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      if (response.ok && (!ownPort || listensOn(proc.child.pid, port) !== false)) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${proc.name} not ready after ${timeoutMs}ms:\n${proc.output.slice(-20).join('\n')}`);
}

/**
 * Sends `signal`, then SIGKILL if the process has not exited `killAfterMs` later. The default leaves
 * a subgraph's graceful stop its whole course on a loaded machine (HTTP drain, up to 10 s, then its
 * job queue's running jobs, up to 10 s): a SIGKILL mid-job leaves the job active until pg-boss
 * expires it (15 minutes for the alignment queues), and the engine's status says busy meanwhile.
 */
export async function stopProcess(
  proc: ManagedProcess,
  signal: NodeJS.Signals = 'SIGTERM',
  killAfterMs = 30_000,
): Promise<number | null> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return proc.child.exitCode;
  proc.child.kill(signal);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), killAfterMs);
  const code = await proc.exited;
  clearTimeout(timer);
  return code;
}

/**
 * Nanoseconds the process's threads have spent on a CPU or waiting for one (runnable), or undefined
 * where /proc has no schedstat. Unlike CPU time alone, this stays high for a busy process on a machine
 * so loaded that it rarely gets a core.
 */
function runnableNanoseconds(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    let total = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const [onCpu, waiting] = readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ');
      total += Number(onCpu) + Number(waiting);
    }
    return total;
  } catch {
    return undefined;
  }
}

/**
 * Waits until the process has been idle (runnable under a tenth of the time: the job queue's polling
 * only) for three seconds in a row. Where that cannot be read, waits a fixed while; the job check
 * after the stop decides either way.
 */
export async function waitIdle(proc: ManagedProcess, timeoutMs: number): Promise<void> {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await sleep(2_000);
  let last = runnableNanoseconds(proc.child.pid);
  if (last === undefined) {
    await sleep(10_000);
    return;
  }
  const deadline = Date.now() + timeoutMs;
  let quietSeconds = 0;
  while (Date.now() < deadline && quietSeconds < 3 && proc.child.exitCode === null) {
    await sleep(1_000);
    const now = runnableNanoseconds(proc.child.pid);
    if (now === undefined) return;
    quietSeconds = now - last < 100_000_000 ? quietSeconds + 1 : 0;
    last = now;
  }
}
