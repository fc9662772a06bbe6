import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlClient } from './connect.ts';
import { MigrationError } from './errors.ts';

// Migrations keep Prisma's folder format (prisma/migrations/<timestamp>_<name>/migration.sql)
// and Prisma's `_prisma_migrations` bookkeeping with the same sha256 checksums, so that
// `prisma migrate deploy` on a connected production host sees the same state.

export interface MigrationFile {
  name: string;
  script: string;
  checksum: string;
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

// The advisory lock id Prisma's own migrate uses, so the two never run at once.
const ADVISORY_LOCK_ID = 72707369;

const CREATE_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export function checksumOf(script: string): string {
  return createHash('sha256').update(script).digest('hex');
}

function sameScript(script: string, checksum: string): boolean {
  // A checkout with Windows line endings must not look edited.
  return checksumOf(script) === checksum || checksumOf(script.replaceAll('\r\n', '\n')) === checksum;
}

export function readMigrations(migrationsDir: string): MigrationFile[] {
  if (!existsSync(migrationsDir)) throw new MigrationError(`no migrations folder at ${migrationsDir}`);
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const file = join(migrationsDir, name, 'migration.sql');
      if (!existsSync(file)) throw new MigrationError(`migration ${name} has no migration.sql`);
      const script = readFileSync(file, 'utf8');
      return { name, script, checksum: checksumOf(script) };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
}

export interface MigrationStatus {
  applied: string[];
  pending: MigrationFile[];
}

/** Compares the database with the folder; throws when they cannot be reconciled safely. */
export async function migrationStatus(sql: SqlClient, migrations: MigrationFile[]): Promise<MigrationStatus> {
  await sql.exec(CREATE_TABLE);
  const rows = await sql.query<AppliedRow>(
    'select migration_name, checksum, finished_at, rolled_back_at from "_prisma_migrations" order by started_at, migration_name',
  );
  const byName = new Map(migrations.map((m) => [m.name, m]));
  const applied: string[] = [];
  for (const row of rows) {
    if (row.rolled_back_at) continue;
    if (!row.finished_at) {
      throw new MigrationError(
        `migration ${row.migration_name} failed earlier and is marked unfinished; resolve it (prisma migrate resolve) before migrating again`,
      );
    }
    const file = byName.get(row.migration_name);
    if (!file) {
      throw new MigrationError(
        `the database has migration ${row.migration_name}, which this checkout does not have; it was migrated by newer code`,
      );
    }
    if (!sameScript(file.script, row.checksum)) {
      throw new MigrationError(
        `migration ${row.migration_name} was edited after it was applied; restore the original migration.sql and put the change in a new migration`,
      );
    }
    applied.push(row.migration_name);
  }
  const done = new Set(applied);
  return { applied, pending: migrations.filter((m) => !done.has(m.name)) };
}

/**
 * Applies pending migrations in order. Each runs in its own transaction together with its
 * bookkeeping row, so a failing migration leaves neither schema changes nor a record behind.
 */
export async function applyMigrations(
  sql: SqlClient,
  migrationsDir: string,
  log: (line: string) => void = () => {},
): Promise<MigrationReport> {
  const migrations = readMigrations(migrationsDir);
  const { applied, pending } = await migrationStatus(sql, migrations);
  const report: MigrationReport = { applied: [], alreadyApplied: applied };
  for (const migration of pending) {
    const ran = await sql
      .transaction(async (tx) => {
        await tx.query('select pg_advisory_xact_lock($1)', [ADVISORY_LOCK_ID]);
        const existing = await tx.query(
          'select 1 from "_prisma_migrations" where migration_name = $1 and finished_at is not null and rolled_back_at is null',
          [migration.name],
        );
        if (existing.length > 0) return false;
        const id = randomUUID();
        await tx.query(
          'insert into "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) values ($1, $2, $3, now(), 0)',
          [id, migration.checksum, migration.name],
        );
        await tx.exec(migration.script);
        await tx.query('update "_prisma_migrations" set finished_at = now(), applied_steps_count = 1 where id = $1', [
          id,
        ]);
        return true;
      })
      .catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        throw new MigrationError(`migration ${migration.name} failed and was rolled back: ${reason}`);
      });
    if (ran) {
      report.applied.push(migration.name);
      log(`applied migration ${migration.name}`);
    } else {
      report.alreadyApplied.push(migration.name);
    }
  }
  return report;
}
