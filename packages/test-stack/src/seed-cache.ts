import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DatabaseTarget } from '@civic/db/config';
import { openDatabase } from '@civic/db/connect';
import {
  copyTestTarget,
  prepareTestTarget,
  removeTarget,
  testServerDatabases,
  testServerTarget,
  testServerUrl,
} from '@civic/db/testing';
import type { SubgraphName } from '@civic/server-kit/ports';
import {
  entries,
  freePort,
  launch,
  stopProcess,
  subgraphDir,
  waitIdle,
  waitReady,
  workspaceRoot,
} from './processes.ts';

/**
 * A per-run cache of migrated and seeded subgraph databases. The first stack of a test run that
 * needs a subgraph's database for a given seed builds it once: the built subgraph starts on a new
 * database, migrates, seeds and does the background work that follows (alignment, translations), is
 * stopped cleanly once idle, and is checked to have no job left in its queues. Later stacks start on
 * a copy of it (PGlite: the folder; PostgreSQL: CREATE DATABASE … TEMPLATE). A subgraph seeds only a
 * database without the `demo_seeded_at` mark, so it starts on a copy without seeding again.
 *
 * "A run" is one vitest invocation (its worker processes share the cache); the entries of runs whose
 * process has ended are removed by the next run. It is off unless CIVIC_TEST_STACK_CACHE=1: on this
 * project's 2-core machines it saved little (README figures), and its first build lengthens the first
 * stack of every run.
 */

export type SeedKind = 'demo' | 'reference' | 'none';

const FORMAT = 1;
const CACHE_ROOT = join(workspaceRoot, 'node_modules', '.cache', 'civic-test-stack');
const PG_PREFIX = 'civic_cache_';

/**
 * Variables that tests pass to subgraphs and that only steer the running service (mail transport,
 * CORS, timers, limits, pools, logging), never what migrating and seeding store. Any other variable
 * may change the data, so a stack that passes one gets a fresh database instead of the cache.
 */
const RUNTIME_ONLY_ENV = new Set([
  'SMTP_URL',
  'MAIL_FROM',
  'PUBLIC_BASE_URL',
  'CORS_ORIGINS',
  'CORS_PUBLIC_ORIGINS',
  'LOG_LEVEL',
  'NODE_ENV',
  'INITIATIVES_MEASURE_REFRESH',
  'INITIATIVES_MEASURE_REFRESH_DELAY_MS',
  'INITIATIVES_MEASURE_REFRESH_INTERVAL_MS',
  'INITIATIVES_GATEWAY_TIMEOUT_MS',
  'RATE_LIMIT_PER_ADDRESS',
  'RATE_LIMIT_PER_KEY',
  'MAX_BODY_BYTES',
  'MAX_COST',
  'SUBGRAPH_TIMEOUT_MS',
  'DB_POOL_MAX',
  'DB_CONNECT_TIMEOUT_MS',
  'DB_STATEMENT_TIMEOUT_MS',
]);

export function seedCacheEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const setting = env.CIVIC_TEST_STACK_CACHE;
  if (setting === '0' || setting === 'false') return false;
  return setting === '1' || setting === 'true';
}

/**
 * The seed a stack's subgraphs get, or undefined when its environment may change what is stored
 * (then the stack seeds fresh databases).
 */
export function cacheableSeed(seed: SeedKind | undefined, env: NodeJS.ProcessEnv = {}): SeedKind | undefined {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || name === 'CIVIC_SEED' || RUNTIME_ONLY_ENV.has(name)) continue;
    return undefined;
  }
  const effective = env.CIVIC_SEED ?? seed ?? 'demo';
  return effective === 'demo' || effective === 'reference' || effective === 'none' ? effective : undefined;
}

// --- the run ---------------------------------------------------------------------------------

/** Seconds-since-boot clock ticks at which a process started (tells a reused pid apart), or '0'. */
function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    if (existsSync('/proc/self/stat')) return undefined;
    try {
      process.kill(pid, 0);
      return '0';
    } catch {
      return undefined;
    }
  }
}

/** vitest's forked workers are children of the run's process; elsewhere the process is the run. */
function currentRun(): string {
  const pid = process.env.VITEST && typeof process.send === 'function' ? process.ppid : process.pid;
  return `${pid}_${processStart(pid) ?? '0'}`;
}

function runIsAlive(run: string): boolean {
  const [pid, start] = run.split('_');
  return processStart(Number(pid)) === start;
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let cleaned: Promise<void> | undefined;

/** Removes the entries (folders, template databases) of runs that have ended. */
function removeEndedRuns(): Promise<void> {
  cleaned ??= (async () => {
    if (existsSync(CACHE_ROOT)) {
      for (const run of readdirSync(CACHE_ROOT)) {
        if (!runIsAlive(run)) rmSync(join(CACHE_ROOT, run), { recursive: true, force: true });
      }
    }
    for (const database of await testServerDatabases(PG_PREFIX)) {
      const run = database.slice(PG_PREFIX.length).split('_').slice(0, 2).join('_');
      if (!runIsAlive(run)) await removeTarget(testServerTarget('cache', database)).catch(() => {});
    }
  })();
  return cleaned;
}

// --- keys ------------------------------------------------------------------------------------

function hashFiles(hash: ReturnType<typeof createHash>, dir: string, skip: (file: string) => boolean): void {
  if (!existsSync(dir)) return;
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (!skip(name)) hash.update(relative(dir, path)).update('\0').update(readFileSync(path)).update('\0');
    }
  };
  walk(dir);
}

const schemaVersions = new Map<SubgraphName, string>();

/** The built code and migrations a subgraph's database comes from. */
function schemaVersion(name: SubgraphName): string {
  let version = schemaVersions.get(name);
  if (!version) {
    const hash = createHash('sha256');
    hashFiles(hash, join(subgraphDir(name), 'dist'), (file) => file.endsWith('.map'));
    hash.update('\0migrations\0');
    hashFiles(hash, join(subgraphDir(name), 'prisma', 'migrations'), () => false);
    version = hash.digest('hex');
    schemaVersions.set(name, version);
  }
  return version;
}

function cacheKey(name: SubgraphName, seed: SeedKind): string {
  const server = testServerUrl();
  const where = server ? `postgres://${new URL(server).host}` : 'pglite';
  return createHash('sha256')
    .update(JSON.stringify({ format: FORMAT, name, seed, where, schema: schemaVersion(name) }))
    .digest('hex')
    .slice(0, 16);
}

// --- entries ---------------------------------------------------------------------------------

interface Entry {
  target: DatabaseTarget;
}

interface Published {
  entry?: Entry;
  failed?: string;
}

const entriesInProcess = new Map<string, Promise<Entry | undefined>>();

/**
 * Fills `target` (new, not yet created) with a copy of the cached database for this subgraph and
 * seed, building the cache entry first if this run has none. Returns false when the cache cannot
 * serve it (the caller then prepares a fresh database as usual).
 */
export async function prepareSeededTarget(
  name: SubgraphName,
  seed: SeedKind,
  target: DatabaseTarget,
  log: (line: string) => void = () => {},
): Promise<boolean> {
  try {
    const key = `${name}-${seed}-${cacheKey(name, seed)}`;
    let pending = entriesInProcess.get(key);
    if (!pending) {
      pending = cachedEntry(name, seed, key, log).catch((error) => {
        log(`${name}: the database cache failed: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      });
      entriesInProcess.set(key, pending);
    }
    const entry = await pending;
    if (!entry) return false;
    await copyTestTarget(entry.target, target);
    return true;
  } catch (error) {
    log(`${name}: no copy of the cached database: ${error instanceof Error ? error.message : String(error)}`);
    if (target.kind === 'pglite') rmSync(target.dataDir, { recursive: true, force: true });
    return false;
  }
}

function readPublished(file: string): Published | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Published;
  } catch {
    return undefined;
  }
}

function writePublished(file: string, published: Published): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(published));
  renameSync(temporary, file);
}

/** Takes the build lock (a file holding the builder's pid); a lock whose holder died is taken over. */
function tryLock(lock: string): boolean {
  try {
    const fd = openSync(lock, 'wx');
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  let holder: number;
  try {
    holder = Number.parseInt(readFileSync(lock, 'utf8'), 10);
  } catch {
    return tryLock(lock);
  }
  if (Number.isNaN(holder)) {
    // Its holder has not written its pid yet, or died before it did.
    if (Date.now() - statSync(lock).mtimeMs < 10_000) return false;
  } else if (processIsAlive(holder)) {
    return false;
  }
  rmSync(lock, { force: true });
  return tryLock(lock);
}

/** Waits for an entry built by this run (in this or another worker), or builds it. */
async function cachedEntry(
  name: SubgraphName,
  seed: SeedKind,
  key: string,
  log: (line: string) => void,
): Promise<Entry | undefined> {
  await removeEndedRuns();
  const runDir = join(CACHE_ROOT, currentRun());
  mkdirSync(runDir, { recursive: true });
  const published = join(runDir, `${key}.json`);
  const lock = join(runDir, `${key}.lock`);
  const waitUntil = Date.now() + 15 * 60_000;
  while (Date.now() < waitUntil) {
    const found = readPublished(published);
    if (found) {
      if (found.failed) log(`${name}: no cached database (${found.failed.split('\n')[0]})`);
      return found.entry;
    }
    if (tryLock(lock)) {
      try {
        const again = readPublished(published);
        if (again) return again.entry;
        const started = Date.now();
        try {
          const entry = await buildEntry(name, seed, key, runDir);
          writePublished(published, { entry });
          log(`${name}: cached ${seed} database built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
          return entry;
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          writePublished(published, { failed: reason });
          log(`${name}: cached database not built: ${reason}`);
          return undefined;
        }
      } finally {
        rmSync(lock, { force: true });
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return undefined;
}

// --- building --------------------------------------------------------------------------------

export interface SubgraphDatabase {
  query<Row>(text: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

interface PGliteModule {
  PGlite: {
    create(dataDir: string): Promise<{
      query<Row>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
      close(): Promise<void>;
    }>;
  };
}

/**
 * Opens a stopped subgraph's database as the subgraph itself does. For PGlite that is the PGlite its
 * built code resolves (which may be another version than @civic/db's, with another default database).
 */
export async function openSubgraphDatabase(name: SubgraphName, target: DatabaseTarget): Promise<SubgraphDatabase> {
  if (target.kind === 'postgres') {
    const db = await openDatabase(target, { max: 1 });
    return { query: (text, params) => db.sql.query(text, params), close: () => db.close() };
  }
  const resolved = createRequire(entries.subgraph(name)).resolve('@electric-sql/pglite');
  const { PGlite } = (await import(pathToFileURL(resolved).href)) as PGliteModule;
  const client = await PGlite.create(target.dataDir);
  return {
    query: async <Row>(text: string, params?: unknown[]) => (await client.query<Row>(text, params)).rows,
    close: () => client.close(),
  };
}

/** Jobs not yet finished in every pg-boss queue schema of a stopped subgraph's database. */
async function unfinishedJobs(name: SubgraphName, target: DatabaseTarget): Promise<Record<string, number>> {
  const db = await openSubgraphDatabase(name, target);
  try {
    const [migrated] = await db.query<{ table: string | null }>(
      `select to_regclass('_prisma_migrations')::text as table`,
    );
    if (!migrated?.table) {
      const where = target.kind === 'pglite' ? target.dataDir : target.database;
      throw new Error(`${name} left no migrated database in ${where}`);
    }
    const schemas = await db.query<{ schema: string }>(
      `select n.nspname as schema from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relname = 'job' and c.relkind in ('r', 'p')
         and exists (select 1 from pg_class v where v.relnamespace = n.oid and v.relname = 'version')`,
    );
    const counts: Record<string, number> = {};
    for (const { schema } of schemas) {
      const [row] = await db.query<{ n: number }>(
        `select count(*)::int as n from "${schema}".job where state::text in ('created', 'retry', 'active')`,
      );
      if (row && row.n > 0) counts[schema] = row.n;
    }
    return counts;
  } finally {
    await db.close();
  }
}

const BUILD_ROUNDS = 3;

async function buildEntry(name: SubgraphName, seed: SeedKind, key: string, runDir: string): Promise<Entry> {
  const target: DatabaseTarget = testServerUrl()
    ? testServerTarget(name, `${PG_PREFIX}${currentRun()}_${key.slice(-8)}_${process.pid}`)
    : { kind: 'pglite', name, dataDir: join(runDir, `${key}.${process.pid}`, name) };
  if (target.kind === 'pglite') rmSync(join(target.dataDir, '..'), { recursive: true, force: true });
  await prepareTestTarget(target);
  try {
    const upper = name.toUpperCase();
    for (let round = 1; ; round++) {
      const port = await freePort();
      const proc = launch(`${name} (cache)`, entries.subgraph(name), {
        NODE_ENV: 'development',
        CIVIC_SEED: seed,
        LOG_LEVEL: 'warn',
        DATABASE_URL: '',
        // Nothing listens there: a build must not depend on (or write through) any other service.
        CIVIC_GATEWAY_URL: 'http://127.0.0.1:9/graphql',
        CIVIC_GATEWAY_SECRET: '',
        INITIATIVES_MEASURE_REFRESH: 'false',
        [`${upper}_PORT`]: String(port),
        [`${upper}_HOST`]: '127.0.0.1',
        ...(target.kind === 'postgres'
          ? { [`${upper}_DATABASE_URL`]: target.url }
          : { CIVIC_DATA_DIR: join(target.dataDir, '..') }),
      });
      try {
        await waitReady(`http://127.0.0.1:${port}/ready`, proc, 600_000);
        await waitIdle(proc, 300_000);
      } catch (error) {
        await stopProcess(proc, 'SIGKILL');
        throw error;
      }
      // Only a clean stop (exit 0 after its shutdown) leaves the job queue as a later start expects.
      const code = await stopProcess(proc, 'SIGTERM', 120_000);
      if (code !== 0) throw new Error(`${name} did not stop cleanly (${code}):\n${proc.output.slice(-20).join('\n')}`);
      const unfinished = await unfinishedJobs(name, target);
      if (Object.keys(unfinished).length === 0) return { target };
      if (round >= BUILD_ROUNDS) {
        throw new Error(`${name} still had unfinished jobs after ${round} starts: ${JSON.stringify(unfinished)}`);
      }
    }
  } catch (error) {
    await removeTarget(target).catch(() => {});
    throw error;
  }
}
