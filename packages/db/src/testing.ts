import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { DatabaseTarget } from './config.ts';
import { type Database, openDatabase, quoteIdent } from './connect.ts';

/**
 * The PostgreSQL server tests run against, if any. The suites run once on PGlite and
 * once more with DATABASE_URL set (CI does both).
 */
export function testServerUrl(): string | undefined {
  return process.env.DATABASE_URL || undefined;
}

export function testDatabaseKind(): 'pglite' | 'postgres' {
  return testServerUrl() ? 'postgres' : 'pglite';
}

export interface TestDatabase extends Database {
  /** Closes the database and removes it (the PGlite folder or the PostgreSQL database). */
  destroy(): Promise<void>;
}

// initdb is most of the cost of a new PGlite folder (about 2 s); tests copy an initialised,
// empty folder instead (about 0.2 s). Shared by the test workers of one machine.
const TEMPLATE_DIR = join(tmpdir(), 'civic-pglite-template-v1');

async function pgliteTemplate(): Promise<string> {
  if (existsSync(join(TEMPLATE_DIR, 'PG_VERSION'))) return TEMPLATE_DIR;
  const building = mkdtempSync(join(tmpdir(), 'civic-pglite-template-build-'));
  const client = await PGlite.create(join(building, 'data'));
  await client.query('select 1');
  await client.close();
  try {
    renameSync(join(building, 'data'), TEMPLATE_DIR);
  } catch {
    // Another worker finished first; its template is identical.
  }
  rmSync(building, { recursive: true, force: true });
  return TEMPLATE_DIR;
}

/** A new, empty database of the kind under test, private to the caller. */
export async function createTestDatabase(name: string): Promise<TestDatabase> {
  const target = newTestTarget(name);
  await prepareTestTarget(target);
  const db = await openDatabase(target, { max: 4 });
  return {
    ...db,
    async destroy() {
      await db.close();
      await removeTarget(target);
    },
  };
}

/** Gives a new PGlite target an initialised, empty folder; a PostgreSQL database is created on open. */
export async function prepareTestTarget(target: DatabaseTarget): Promise<void> {
  if (target.kind === 'pglite') await cp(await pgliteTemplate(), target.dataDir, { recursive: true });
}

export function newTestTarget(name: string): DatabaseTarget {
  const serverUrl = testServerUrl();
  const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  if (serverUrl) return testServerTarget(name, `civic_test_${name}_${suffix}`.toLowerCase());
  const root = mkdtempSync(join(tmpdir(), `civic-test-${name}-`));
  return { kind: 'pglite', name, dataDir: join(root, name) };
}

export async function removeTarget(target: DatabaseTarget): Promise<void> {
  if (target.kind === 'pglite') {
    rmSync(join(target.dataDir, '..'), { recursive: true, force: true });
    return;
  }
  await withServerAdmin(target.url, (admin) =>
    admin.query(`drop database if exists ${quoteIdent(target.database)} with (force)`),
  );
}

/**
 * Gives a new target a copy of a database nothing has open (a stopped service's): the PGlite folder
 * is copied; on PostgreSQL the new database is created with the other one as its TEMPLATE.
 */
export async function copyTestTarget(source: DatabaseTarget, target: DatabaseTarget): Promise<void> {
  if (source.kind === 'pglite' && target.kind === 'pglite') {
    await cp(source.dataDir, target.dataDir, { recursive: true });
    return;
  }
  if (source.kind !== 'postgres' || target.kind !== 'postgres') {
    throw new Error(`cannot copy a ${source.kind} database into a ${target.kind} one`);
  }
  await withServerAdmin(target.url, async (admin) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.query(`create database ${quoteIdent(target.database)} template ${quoteIdent(source.database)}`);
        return;
      } catch (error) {
        // 55006: someone is connected to the template (a check that has not closed yet); it is brief.
        if ((error as { code?: string }).code !== '55006' || attempt >= 40) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  });
}

/** Names of the databases on the test server that start with `prefix` (none without a server). */
export async function testServerDatabases(prefix: string): Promise<string[]> {
  const serverUrl = testServerUrl();
  if (!serverUrl) return [];
  return withServerAdmin(serverUrl, async (admin) => {
    const result = await admin.query<{ datname: string }>(
      `select datname from pg_database where starts_with(datname, $1) order by datname`,
      [prefix],
    );
    return result.rows.map((row) => row.datname);
  });
}

/** A database on the test server by name (to copy it or remove it). */
export function testServerTarget(name: string, database: string): DatabaseTarget {
  const serverUrl = testServerUrl();
  if (!serverUrl) throw new Error('no PostgreSQL test server (DATABASE_URL) is set');
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return { kind: 'postgres', name, url: url.toString(), database };
}

async function withServerAdmin<T>(serverUrl: string, fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const adminUrl = new URL(serverUrl);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}
