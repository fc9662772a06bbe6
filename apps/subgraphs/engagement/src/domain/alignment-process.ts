import { type ChildProcess, fork } from 'node:child_process';
import { resolveDatabaseTarget } from '@civic/db/config';
import { openDatabase } from '@civic/db/connect';
import { StartupError } from '@civic/server-kit/http';
import { createLogger, type Logger } from '@civic/server-kit/logger';
import { nodeMemoryFlags } from '@civic/server-kit/memory';
import { exitWithSetupError } from '@civic/server-kit/startup';
import { readSubgraphEnv } from '@civic/server-kit/subgraph';
import { startAlignmentWorker } from './alignment-worker.ts';

/**
 * Where the alignment engine's jobs run (`ALIGNMENT_WORKER`):
 * - `inline` (default): in the subgraph's own process, as its job-queue worker;
 * - `process`: in a child process of its own (`node dist/main.js alignment-worker`), started, watched and
 *   restarted by the subgraph, so the engine's memory and processor time stay out of the process that answers
 *   requests. The child works the same durable queue on the same database: PostgreSQL only, because a PGlite
 *   folder belongs to one process.
 */
export type AlignmentWorkerMode = 'inline' | 'process';

const NEEDS_POSTGRES =
  'ALIGNMENT_WORKER=process needs PostgreSQL (DATABASE_URL or ENGAGEMENT_DATABASE_URL): a PGlite folder belongs to one process';

/** The mode the environment asks for; a setting that cannot work fails the start with one clear line. */
export function alignmentWorkerMode(env: NodeJS.ProcessEnv = process.env): AlignmentWorkerMode {
  const value = env.ALIGNMENT_WORKER?.trim() || 'inline';
  if (value !== 'inline' && value !== 'process') {
    throw new StartupError(`ALIGNMENT_WORKER must be "inline" or "process" (got "${value}")`);
  }
  if (value === 'process' && !env.DATABASE_URL && !env.ENGAGEMENT_DATABASE_URL) throw new StartupError(NEEDS_POSTGRES);
  return value;
}

/** The command line argument that makes the subgraph's entry run the engine instead of the subgraph. */
export const ALIGNMENT_WORKER_COMMAND = 'alignment-worker';

type ChildMessage = { type: 'ready' } | { type: 'failed'; message: string };

const RESTART_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

/**
 * Starts the engine's child process and keeps it running until `stop`: a child that dies is started again
 * (after 1 s, then up to 30 s between attempts while it keeps dying); jobs it held are retried by the queue.
 * Resolves once the child's queue is working; rejects if the first start fails.
 */
export async function startAlignmentProcess(entry: string, logger: Logger): Promise<{ stop(): Promise<void> }> {
  let child: ChildProcess | undefined;
  let stopping = false;
  let failures = 0;
  let restartTimer: NodeJS.Timeout | undefined;

  const scheduleRestart = (reason: Record<string, unknown>) => {
    if (stopping) return;
    const delay = RESTART_DELAYS_MS[Math.min(failures, RESTART_DELAYS_MS.length - 1)] as number;
    failures += 1;
    logger.error('alignment: engine process stopped; starting it again', { ...reason, restartInMs: delay });
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      if (stopping) return;
      // A start that fails (its database unreachable, say) is tried again, later each time.
      launch().catch((error) => scheduleRestart({ error }));
    }, delay);
  };

  const launch = () =>
    new Promise<void>((resolve, reject) => {
      const started = fork(entry, [ALIGNMENT_WORKER_COMMAND], {
        execArgv: nodeMemoryFlags('engagement'),
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env: process.env,
      });
      child = started;
      let ready = false;
      started.on('message', (message: ChildMessage) => {
        if (message.type === 'ready') {
          ready = true;
          failures = 0;
          logger.info('alignment: engine process working', { pid: started.pid });
          resolve();
        } else if (message.type === 'failed') {
          reject(new StartupError(`alignment engine process: ${message.message}`));
        }
      });
      started.on('error', (error) => {
        if (!ready) reject(error);
      });
      started.on('exit', (code, signal) => {
        if (child === started) child = undefined;
        if (!ready) {
          reject(new StartupError(`alignment engine process exited before it was ready (${signal ?? code})`));
          return;
        }
        scheduleRestart({ pid: started.pid, exit: signal ?? code });
      });
    });

  await launch();
  return {
    async stop() {
      stopping = true;
      if (restartTimer) clearTimeout(restartTimer);
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGTERM');
      const forced = setTimeout(() => running.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(forced);
    },
  };
}

/**
 * The child's side (`node dist/main.js alignment-worker`): the engagement database from the subgraph's own
 * environment, the engine's job-queue workers on it, and an orderly stop on SIGTERM or when the subgraph that
 * started it goes away (its IPC channel closes).
 */
export async function runAlignmentWorkerProcess(): Promise<void> {
  const name = 'engagement alignment engine';
  const send = (message: ChildMessage) => process.send?.(message);
  let stopRuntime: (() => Promise<void>) | undefined;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await stopRuntime?.().catch(() => {});
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.on('disconnect', () => void stop());
  try {
    const env = readSubgraphEnv('engagement');
    const logger = createLogger('engagement-alignment', env.logLevel);
    const target = resolveDatabaseTarget({
      name: 'engagement',
      databaseUrl: env.databaseUrl,
      ownDatabaseUrl: env.ownDatabaseUrl,
      dataRoot: env.dataRoot,
    });
    if (target.kind !== 'postgres') throw new StartupError(NEEDS_POSTGRES);
    // The engine reads in batches and writes in single statements: a few connections are enough.
    const db = await openDatabase(target, { ...env.pool, max: Math.min(env.pool.max, 3) });
    const runtime = await startAlignmentWorker({}, db, logger).catch(async (error) => {
      await db.close().catch(() => {});
      throw error;
    });
    stopRuntime = async () => {
      await runtime.stop();
      await db.close();
    };
    if (stopping) return;
    send({ type: 'ready' });
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    exitWithSetupError(name, error);
  }
}
