import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MigrationError } from '../src/errors.ts';
import { applyMigrations, checksumOf } from '../src/migrate.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

let db: TestDatabase;
let dir: string;

function writeMigration(name: string, script: string) {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, 'migration.sql'), script);
}

async function tables(): Promise<string[]> {
  const rows = await db.sql.query<{ table_name: string }>(
    "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
  );
  return rows.map((r) => r.table_name);
}

beforeEach(async () => {
  db = await createTestDatabase('migrate');
  dir = mkdtempSync(join(tmpdir(), 'civic-migrations-'));
  writeMigration('20260101000000_init', 'CREATE TABLE "Thing" ("id" TEXT PRIMARY KEY, "name" TEXT NOT NULL);\n');
  writeMigration(
    '20260102000000_add_size',
    'ALTER TABLE "Thing" ADD COLUMN "size" INTEGER;\nCREATE INDEX "Thing_size_idx" ON "Thing" ("size");\n',
  );
});

afterEach(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('applyMigrations', () => {
  it('applies a fresh database in order and records Prisma-compatible rows', async () => {
    const report = await applyMigrations(db.sql, dir);
    expect(report.applied).toEqual(['20260101000000_init', '20260102000000_add_size']);
    expect(await tables()).toEqual(['Thing', '_prisma_migrations']);
    const rows = await db.sql.query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
      'select migration_name, checksum, applied_steps_count, finished_at from "_prisma_migrations" order by migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(report.applied);
    expect(rows[0]?.checksum).toBe(checksumOf('CREATE TABLE "Thing" ("id" TEXT PRIMARY KEY, "name" TEXT NOT NULL);\n'));
    expect(rows.every((r) => r.applied_steps_count === 1)).toBe(true);
  });

  it('is idempotent: a second run applies nothing and changes nothing', async () => {
    await applyMigrations(db.sql, dir);
    await db.sql.query(`insert into "Thing" (id, name, size) values ('a', 'kept', 3)`);
    const again = await applyMigrations(db.sql, dir);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toHaveLength(2);
    const rows = await db.sql.query('select * from "Thing"');
    expect(rows).toEqual([{ id: 'a', name: 'kept', size: 3 }]);
    const count = await db.sql.query<{ n: number }>('select count(*)::int as n from "_prisma_migrations"');
    expect(count[0]?.n).toBe(2);
  });

  it('applies only what is new', async () => {
    await applyMigrations(db.sql, dir);
    writeMigration('20260103000000_add_color', 'ALTER TABLE "Thing" ADD COLUMN "color" TEXT;\n');
    const report = await applyMigrations(db.sql, dir);
    expect(report.applied).toEqual(['20260103000000_add_color']);
  });

  it('refuses to run when an applied migration was edited', async () => {
    await applyMigrations(db.sql, dir);
    writeMigration('20260101000000_init', 'CREATE TABLE "Thing" ("id" TEXT PRIMARY KEY, "name" TEXT);\n');
    writeMigration('20260103000000_add_color', 'ALTER TABLE "Thing" ADD COLUMN "color" TEXT;\n');
    await expect(applyMigrations(db.sql, dir)).rejects.toThrow(/20260101000000_init was edited/);
    const columns = await db.sql.query<{ column_name: string }>(
      "select column_name from information_schema.columns where table_name = 'Thing' order by column_name",
    );
    expect(columns.map((c) => c.column_name)).not.toContain('color');
  });

  it('does not treat a Windows line-ending checkout as an edit', async () => {
    await applyMigrations(db.sql, dir);
    writeMigration('20260101000000_init', 'CREATE TABLE "Thing" ("id" TEXT PRIMARY KEY, "name" TEXT NOT NULL);\r\n');
    await expect(applyMigrations(db.sql, dir)).resolves.toMatchObject({ applied: [] });
  });

  it('rolls a failing migration back completely, leaving no partial schema and no record', async () => {
    await applyMigrations(db.sql, dir);
    writeMigration(
      '20260103000000_broken',
      'CREATE TABLE "Partial" ("id" TEXT PRIMARY KEY);\nALTER TABLE "Thing" ADD COLUMN "weight" INTEGER;\nALTER TABLE "Nope" ADD COLUMN "x" INTEGER;\n',
    );
    const error = await applyMigrations(db.sql, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as Error).message).toMatch(/20260103000000_broken failed and was rolled back/);
    expect(await tables()).toEqual(['Thing', '_prisma_migrations']);
    const columns = await db.sql.query<{ column_name: string }>(
      "select column_name from information_schema.columns where table_name = 'Thing'",
    );
    expect(columns.map((c) => c.column_name)).not.toContain('weight');
    const names = await db.sql.query<{ migration_name: string }>('select migration_name from "_prisma_migrations"');
    expect(names.map((n) => n.migration_name)).not.toContain('20260103000000_broken');

    // Once fixed, it applies cleanly.
    writeMigration('20260103000000_broken', 'CREATE TABLE "Partial" ("id" TEXT PRIMARY KEY);\n');
    await expect(applyMigrations(db.sql, dir)).resolves.toMatchObject({ applied: ['20260103000000_broken'] });
  });

  it('refuses a database migrated by newer code', async () => {
    await applyMigrations(db.sql, dir);
    rmSync(join(dir, '20260102000000_add_size'), { recursive: true });
    await expect(applyMigrations(db.sql, dir)).rejects.toThrow(/does not have/);
  });
});
