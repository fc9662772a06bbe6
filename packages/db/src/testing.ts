import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
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
  if (target.kind === 'pglite') cpSync(await pgliteTemplate(), target.dataDir, { recursive: true });
}

export function newTestTarget(name: string): DatabaseTarget {
  const serverUrl = testServerUrl();
  const suffix = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  if (serverUrl) {
    const url = new URL(serverUrl);
    const database = `civic_test_${name}_${suffix}`.toLowerCase();
    url.pathname = `/${database}`;
    return { kind: 'postgres', name, url: url.toString(), database };
  }
  const root = mkdtempSync(join(tmpdir(), `civic-test-${name}-`));
  return { kind: 'pglite', name, dataDir: join(root, name) };
}

export async function removeTarget(target: DatabaseTarget): Promise<void> {
  if (target.kind === 'pglite') {
    rmSync(join(target.dataDir, '..'), { recursive: true, force: true });
    return;
  }
  const adminUrl = new URL(target.url);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${quoteIdent(target.database)} with (force)`);
  } finally {
    await admin.end();
  }
}
