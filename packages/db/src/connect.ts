import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { PGlite, type Transaction as PGliteTransaction } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapterFactory, SqlQuery } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { type DatabaseTarget, redactUrl } from './config.ts';
import { DatabaseSetupError } from './errors.ts';

/** Plain SQL access, used by migrations, seeds and health checks. */
export interface SqlClient {
  query<Row = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of one or more statements without parameters. */
  exec(script: string): Promise<void>;
  transaction<T>(fn: (tx: SqlClient) => Promise<T>): Promise<T>;
}

export interface Database {
  target: DatabaseTarget;
  /** Passed to the generated PrismaClient as `adapter`. */
  adapter: SqlDriverAdapterFactory;
  sql: SqlClient;
  /** A short description for logs, without secrets. */
  description: string;
  close(): Promise<void>;
}

export interface PoolOptions {
  /** Most connections one process keeps open (PostgreSQL only). */
  max?: number;
  /** How long a request waits for a free connection before failing. */
  connectionTimeoutMs?: number;
  idleTimeoutMs?: number;
  /** Server-side cap on any single statement. */
  statementTimeoutMs?: number;
}

const DEFAULT_POOL: Required<PoolOptions> = {
  max: 10,
  connectionTimeoutMs: 5_000,
  idleTimeoutMs: 30_000,
  statementTimeoutMs: 30_000,
};

export async function openDatabase(target: DatabaseTarget, pool: PoolOptions = {}): Promise<Database> {
  return target.kind === 'pglite' ? openPGlite(target) : openPostgres(target, { ...DEFAULT_POOL, ...pool });
}

// PGlite: one process may open a folder at a time, so the folder is guarded by a lock file.

async function openPGlite(target: Extract<DatabaseTarget, { kind: 'pglite' }>): Promise<Database> {
  const lockPath = `${target.dataDir}.lock`;
  acquireFolderLock(lockPath, target);
  let client: PGlite;
  try {
    mkdirSync(target.dataDir, { recursive: true });
    client = await PGlite.create(target.dataDir);
    await client.query('select 1');
  } catch (error) {
    releaseFolderLock(lockPath);
    throw new DatabaseSetupError(
      `the PGlite folder ${target.dataDir} cannot be opened (${describe(error)})`,
      `If it is damaged, move it aside (mv ${target.dataDir} ${target.dataDir}.broken) and start again to re-create and re-seed it`,
    );
  }
  const sql = pgliteClient(client);
  let closed = false;
  const release = () => releaseFolderLock(lockPath);
  process.once('exit', release);
  return {
    target,
    adapter: new PrismaPGlite(client),
    sql,
    description: `PGlite at ${target.dataDir}`,
    async close() {
      if (closed) return;
      closed = true;
      await client.close();
      release();
      process.removeListener('exit', release);
    },
  };
}

function pgliteClient(client: PGlite | PGliteTransaction): SqlClient {
  return {
    async query<Row>(text: string, params?: unknown[]) {
      const result = await client.query<Row>(text, params);
      return result.rows;
    },
    async exec(script: string) {
      await client.exec(script);
    },
    async transaction<T>(fn: (tx: SqlClient) => Promise<T>) {
      if (!('transaction' in client)) return fn(pgliteClient(client));
      return client.transaction((tx) => fn(pgliteClient(tx)));
    },
  };
}

function acquireFolderLock(lockPath: string, target: Extract<DatabaseTarget, { kind: 'pglite' }>): void {
  mkdirSync(dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isAlive(holder)) {
        throw new DatabaseSetupError(
          `the ${target.name} database (${target.dataDir}) is in use by process ${holder}`,
          'A PGlite folder can be opened by one process only: stop that process, or run this through the running services',
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new DatabaseSetupError(
    `could not lock ${target.dataDir}`,
    `Remove ${lockPath} if no Civic Graph process is running`,
  );
}

function releaseFolderLock(lockPath: string): void {
  try {
    if (existsSync(lockPath) && readFileSync(lockPath, 'utf8') === String(process.pid)) rmSync(lockPath);
  } catch {
    // The lock is only advisory; a stale one is detected by its dead pid.
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// PostgreSQL: each subgraph has its own database on the server, created when missing.

async function openPostgres(
  target: Extract<DatabaseTarget, { kind: 'postgres' }>,
  options: Required<PoolOptions>,
): Promise<Database> {
  await ensureDatabaseExists(target, options.connectionTimeoutMs);
  const pool = new pg.Pool({
    connectionString: target.url,
    max: options.max,
    connectionTimeoutMillis: options.connectionTimeoutMs,
    idleTimeoutMillis: options.idleTimeoutMs,
    statement_timeout: options.statementTimeoutMs,
    application_name: `civic-${target.name}`,
  });
  // An idle connection dropped by the server (restart, terminate) must not crash the process;
  // the pool replaces it on the next checkout.
  pool.on('error', () => {});
  // Nor one dropped while checked out (a Prisma transaction, a migration): pg emits 'error' on the
  // client besides failing its queries, and an 'error' event nobody listens to ends the process.
  pool.on('connect', (client) => {
    client.on('error', () => {});
  });
  const sql = poolClient(pool);
  try {
    await sql.query('select 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw setupErrorFor(error, target.url);
  }
  let closed = false;
  return {
    target,
    adapter: new PrismaPg(pool, { statementNameGenerator: preparedStatementNames() }),
    sql,
    description: `PostgreSQL database ${target.database} at ${redactUrl(target.url)}`,
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

/** Distinct statements one process prepares on each of its connections, at most. */
export const PREPARED_STATEMENTS_PER_PROCESS = 200;
/** Statements with more parameters (long `IN (...)` lists, bulk writes) have as many texts as lengths: left unnamed. */
export const PREPARED_STATEMENT_MAX_PARAMETERS = 16;

/**
 * Names for Prisma's statements, so that each connection parses and plans a statement once, then only binds
 * and executes it: node-postgres prepares a named statement once per connection, and PostgreSQL keeps its
 * plan (a generic one only when its estimate is no worse than the custom plans it has made). On the concern
 * page this took the subgraphs' PostgreSQL CPU per request from 1.12 to 0.86 ms (bench README, "CPU per
 * request"). Bounded: the first texts seen (the hot paths) are named, later ones run unnamed as before ('' is
 * no name to node-postgres). `CIVIC_PREPARED_STATEMENTS=off` turns it off, e.g. behind a transaction-mode
 * pooler that cannot carry prepared statements (PgBouncer before 1.21).
 */
function preparedStatementNames(): (query: SqlQuery) => string {
  const names = new Map<string, string>();
  return (query) => {
    if (process.env.CIVIC_PREPARED_STATEMENTS === 'off') return '';
    if (query.args.length > PREPARED_STATEMENT_MAX_PARAMETERS) return '';
    let name = names.get(query.sql);
    if (name === undefined) {
      if (names.size >= PREPARED_STATEMENTS_PER_PROCESS) return '';
      name = `civic_${createHash('sha1').update(query.sql).digest('base64url')}`;
      names.set(query.sql, name);
    }
    return name;
  };
}

function poolClient(pool: pg.Pool): SqlClient {
  return {
    async query<Row>(text: string, params?: unknown[]) {
      const result = await pool.query(text, params);
      return result.rows as Row[];
    },
    async exec(script: string) {
      await pool.query(script);
    },
    async transaction<T>(fn: (tx: SqlClient) => Promise<T>) {
      const connection = await pool.connect();
      try {
        await connection.query('begin');
        const result = await fn(connectionClient(connection));
        await connection.query('commit');
        return result;
      } catch (error) {
        await connection.query('rollback').catch(() => {});
        throw error;
      } finally {
        connection.release();
      }
    },
  };
}

function connectionClient(connection: pg.PoolClient): SqlClient {
  return {
    async query<Row>(text: string, params?: unknown[]) {
      const result = await connection.query(text, params);
      return result.rows as Row[];
    },
    async exec(script: string) {
      await connection.query(script);
    },
    async transaction<T>(fn: (tx: SqlClient) => Promise<T>) {
      return fn(connectionClient(connection));
    },
  };
}

async function ensureDatabaseExists(
  target: Extract<DatabaseTarget, { kind: 'postgres' }>,
  connectionTimeoutMs: number,
): Promise<void> {
  const adminUrl = new URL(target.url);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString(), connectionTimeoutMillis: connectionTimeoutMs });
  admin.on('error', () => {});
  try {
    await admin.connect();
  } catch (error) {
    throw setupErrorFor(error, target.url);
  }
  try {
    const existing = await admin.query('select 1 from pg_database where datname = $1', [target.database]);
    if (existing.rowCount === 0) {
      await admin.query(`create database ${quoteIdent(target.database)}`).catch((error: { code?: string }) => {
        // Another process created it first.
        if (error.code !== '42P04' && error.code !== '23505') throw error;
      });
    }
  } catch (error) {
    throw setupErrorFor(error, target.url);
  } finally {
    await admin.end().catch(() => {});
  }
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function setupErrorFor(error: unknown, url: string): DatabaseSetupError {
  if (error instanceof DatabaseSetupError) return error;
  const where = redactUrl(url);
  const code = (error as { code?: string }).code;
  const message = describe(error);
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || /timeout/i.test(message)) {
    return new DatabaseSetupError(
      `cannot reach PostgreSQL at ${where} (${message})`,
      'Start the server, or fix DATABASE_URL (unset it to use the embedded PGlite database)',
    );
  }
  if (code === '28P01' || code === '28000') {
    return new DatabaseSetupError(
      `PostgreSQL at ${where} refused the credentials (${message})`,
      'Fix the user and password in DATABASE_URL',
    );
  }
  if (code === '42501') {
    return new DatabaseSetupError(
      `the PostgreSQL user in ${where} may not create the database (${message})`,
      'Create the database yourself, or grant CREATEDB to that user',
    );
  }
  return new DatabaseSetupError(`PostgreSQL at ${where} failed (${message})`, 'Check DATABASE_URL and the server log');
}

function describe(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describe(error.errors[0]);
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
