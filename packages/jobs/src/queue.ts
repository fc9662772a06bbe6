import type { Database, SqlClient } from '@civic/db/connect';
import PgBoss from 'pg-boss';

/**
 * The durable job queue: pg-boss 10 on the service's own database. PostgreSQL and PGlite are
 * reached the same way, through the service's SqlClient (pg-boss's caller-supplied `db`), so the
 * queue lives in the same database, and on PGlite in the same instance, as the data it works on.
 */

/** What pg-boss calls to run SQL. */
export interface SqlExecutor {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

/**
 * An executor over a SqlClient. pg-boss sends its schema changes and maintenance as one script of
 * several statements (`BEGIN; …; COMMIT;`) without parameters; those go through `exec` (the simple
 * protocol), everything else through `query`. Pass a transaction's SqlClient to bind a job to that
 * transaction (an outbox): the job exists if and only if the transaction commits.
 */
export function sqlExecutor(sql: SqlClient): SqlExecutor {
  return {
    async executeSql(text, values) {
      if ((!values || values.length === 0) && isScript(text)) {
        await sql.exec(text);
        return { rows: [] };
      }
      return { rows: await sql.query<Record<string, unknown>>(text, values) };
    },
  };
}

function isScript(text: string): boolean {
  return /^\s*BEGIN\s*;/i.test(text);
}

export type QueuePolicy = 'standard' | 'short' | 'singleton' | 'stately';

export interface QueueOptions {
  /** The PostgreSQL schema that holds the queue's tables (one per service). */
  schema: string;
  /**
   * Per-queue settings. `short`: one waiting job per singleton key (later sends are dropped);
   * `stately`: one waiting and one running job per key; `singleton`: one running job per key.
   */
  queues?: Record<string, RetryOptions & { policy?: QueuePolicy }>;
  /** How often an idle worker looks for new jobs. */
  pollingIntervalSeconds?: number;
  /** Housekeeping (expiring, archiving) cadence; pg-boss's default is two minutes. */
  maintenanceIntervalSeconds?: number;
  /** Run pg-boss's cron timekeeper, so `schedule` sends jobs (off unless asked for). */
  schedules?: boolean;
}

export interface RetryOptions {
  /** Attempts after the first failure. */
  retryLimit?: number;
  /** Seconds before the first retry. */
  retryDelay?: number;
  /** Double the delay on each retry. */
  retryBackoff?: boolean;
  /** How long one attempt may run before it is failed (and retried). */
  expireInSeconds?: number;
}

export interface SendOptions extends RetryOptions {
  /** With a `short` or `stately` queue, at most one job with this key waits at a time (`send` returns null for the others). */
  singletonKey?: string;
  /** Run no earlier than this many seconds from now. */
  startAfterSeconds?: number;
  priority?: number;
  /** Send inside a transaction: its SqlClient or executor (the queue must be declared in `queues`). */
  db?: SqlClient | SqlExecutor;
}

export interface Job<T> {
  id: string;
  name: string;
  data: T;
}

export type JobHandler<T> = (job: Job<T>) => Promise<void>;

export interface WorkOptions {
  /** Jobs fetched per poll; each is handed to the handler in turn. */
  batchSize?: number;
  pollingIntervalSeconds?: number;
}

export interface JobQueue {
  /** Queues a job; returns its id, or null when a singleton job with the same key is already waiting. */
  send<T extends object>(name: string, data: T, options?: SendOptions): Promise<string | null>;
  /** Runs `handler` for each job of `name` in this process; a throw fails the attempt and retries it. */
  work<T extends object>(name: string, handler: JobHandler<T>, options?: WorkOptions): Promise<void>;
  /**
   * Sends a job to `name` on a cron schedule (pg-boss `schedule`; one row per queue name, replaced on
   * each call; any process of the service may send it, once per tick). Needs `schedules: true`.
   */
  schedule<T extends object>(name: string, cron: string, data: T, options?: { tz?: string }): Promise<void>;
  /** Jobs not finished yet (waiting, retrying or running), of one queue or all. */
  pending(name?: string): Promise<number>;
  /** Jobs that used up their retries, of one queue or all. */
  failed(name?: string): Promise<number>;
  /** Stops polling, waits for running jobs (up to `timeoutMs`) and fails what is still running so it is retried. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  readonly schema: string;
}

const DEFAULT_RETRY: Required<RetryOptions> = {
  retryLimit: 5,
  retryDelay: 2,
  retryBackoff: true,
  expireInSeconds: 15 * 60,
};

export async function startJobQueue(
  database: Database | SqlClient,
  options: QueueOptions & { retry?: RetryOptions },
): Promise<JobQueue> {
  const sql = 'sql' in database ? database.sql : database;
  const db = sqlExecutor(sql);
  const schema = options.schema;
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid job queue schema name: ${schema}`);
  const retry = { ...DEFAULT_RETRY, ...options.retry };
  const boss = new PgBoss({
    db,
    schema,
    migrate: true,
    supervise: true,
    schedule: options.schedules ?? false,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 120,
  } as PgBoss.ConstructorOptions);
  const errors: Error[] = [];
  boss.on('error', (error) => {
    errors.push(error);
    if (errors.length > 20) errors.shift();
  });
  // A start-up that fails half-way (the database lost) leaves no pg-boss timers behind.
  const stopBoss = () => boss.stop({ graceful: false, close: false }).catch(() => {});
  await boss.start().catch(async (error: unknown) => {
    await stopBoss();
    throw error;
  });

  const queues = new Map<string, Promise<void>>();
  // One at a time: each queue is a partition of the job table, and creating two at once deadlocks on PostgreSQL.
  let creating: Promise<unknown> = Promise.resolve();
  const ensureQueue = (name: string): Promise<void> => {
    let created = queues.get(name);
    if (!created) {
      const settings = { name, policy: 'standard', ...retry, ...options.queues?.[name] } as const;
      // createQueue leaves an existing queue as it was; updateQueue brings its retry settings up to date.
      created = creating.then(async () => {
        await boss.createQueue(name, settings);
        await boss.updateQueue(name, settings);
      });
      creating = created.catch(() => {});
      created.catch(() => queues.delete(name));
      queues.set(name, created);
    }
    return created;
  };
  // Created up front: a send inside a transaction cannot create its queue (on PGlite that would wait on the transaction).
  try {
    for (const name of Object.keys(options.queues ?? {})) await ensureQueue(name);
  } catch (error) {
    await stopBoss();
    throw error;
  }
  const polling = options.pollingIntervalSeconds ?? 1;
  let stopped = false;

  const count = async (states: string, name?: string): Promise<number> => {
    const filter = name ? 'and name = $1' : `and name not like '\\_\\_pgboss\\_\\_%'`;
    const rows = await sql.query<{ count: string | number }>(
      `select count(*)::int as count from ${schema}.job where state in (${states}) ${filter}`,
      name ? [name] : [],
    );
    return Number(rows[0]?.count ?? 0);
  };

  return {
    schema,
    async send(name, data, sendOptions = {}) {
      if (stopped) throw new Error('the job queue is stopped');
      const { db: txDb, startAfterSeconds, ...rest } = sendOptions;
      if (txDb && !queues.has(name))
        throw new Error(`declare the queue ${name} in startJobQueue's queues to send to it in a transaction`);
      await ensureQueue(name);
      const executor = txDb ? ('executeSql' in txDb ? txDb : sqlExecutor(txDb)) : undefined;
      return boss.send(name, data, {
        ...rest,
        ...(startAfterSeconds ? { startAfter: startAfterSeconds } : {}),
        ...(executor ? { db: executor } : {}),
      });
    },
    async work(name, handler, workOptions = {}) {
      await ensureQueue(name);
      await boss.work<Record<string, unknown>>(
        name,
        {
          batchSize: workOptions.batchSize ?? 1,
          pollingIntervalSeconds: workOptions.pollingIntervalSeconds ?? polling,
        },
        async (jobs) => {
          for (const job of jobs) await handler({ id: job.id, name: job.name, data: job.data as never });
        },
      );
    },
    async schedule(name, cron, data, scheduleOptions = {}) {
      if (!options.schedules) throw new Error('start the job queue with schedules: true to schedule jobs');
      await ensureQueue(name);
      await boss.schedule(name, cron, data, { tz: scheduleOptions.tz ?? 'UTC' });
    },
    pending(name) {
      return count(`'created', 'retry', 'active'`, name);
    },
    failed(name) {
      return count(`'failed'`, name);
    },
    async stop(stopOptions = {}) {
      if (stopped) return;
      stopped = true;
      await boss.stop({ graceful: true, wait: true, close: false, timeout: stopOptions.timeoutMs ?? 10_000 });
    },
  };
}

/**
 * Runs a worker's set-up (its `work` handlers, schedules, first sends) on a started queue. When the
 * set-up fails, the queue is stopped before the error is thrown, so a retried start leaves no
 * second poller running.
 */
export async function setUpOrStop<T>(queue: JobQueue, setUp: () => Promise<T>): Promise<T> {
  try {
    return await setUp();
  } catch (error) {
    await queue.stop({ timeoutMs: 1_000 }).catch(() => {});
    throw error;
  }
}
