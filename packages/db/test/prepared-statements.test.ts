import type { SqlQuery } from '@prisma/driver-adapter-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, PREPARED_STATEMENT_MAX_PARAMETERS } from '../src/connect.ts';
import { newTestTarget, prepareTestTarget, removeTarget, testDatabaseKind } from '../src/testing.ts';

// Named statements are node-postgres'; PGlite runs in the process and has no connection to keep them on.
describe.skipIf(testDatabaseKind() !== 'postgres')('statements Prisma sends to PostgreSQL', () => {
  const target = newTestTarget('prepared');
  let db: Database;

  beforeAll(async () => {
    await prepareTestTarget(target);
    // One connection: what it has prepared is what every statement here found.
    db = await openDatabase(target, { max: 1 });
  });
  afterAll(async () => {
    await db?.close();
    await removeTarget(target);
  });

  async function run(sql: string, args: unknown[]) {
    const adapter = await db.adapter.connect();
    const query: SqlQuery = { sql, args, argTypes: args.map(() => ({ scalarType: 'int', arity: 'scalar' })) };
    return adapter.queryRaw(query);
  }

  async function prepared(): Promise<string[]> {
    const rows = await db.sql.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements');
    return rows.map((r) => r.statement);
  }

  it('are prepared once on a connection and answer the same each time', async () => {
    const sql = 'SELECT $1::int + 1 AS next';
    const first = await run(sql, [1]);
    const second = await run(sql, [41]);
    expect(first.rows).toEqual([[2]]);
    expect(second.rows).toEqual([[42]]);
    expect((await prepared()).filter((s) => s === sql)).toHaveLength(1);
  });

  it('are left unnamed with more parameters than a bounded number of texts allows', async () => {
    const count = PREPARED_STATEMENT_MAX_PARAMETERS + 1;
    const sql = `SELECT ${Array.from({ length: count }, (_, i) => `$${i + 1}::int`).join(' + ')} AS total`;
    const result = await run(
      sql,
      Array.from({ length: count }, () => 1),
    );
    expect(result.rows).toEqual([[count]]);
    expect(await prepared()).not.toContain(sql);
  });

  it('are left unnamed when CIVIC_PREPARED_STATEMENTS=off', async () => {
    const sql = 'SELECT $1::int * 2 AS twice';
    process.env.CIVIC_PREPARED_STATEMENTS = 'off';
    try {
      expect((await run(sql, [21])).rows).toEqual([[42]]);
    } finally {
      delete process.env.CIVIC_PREPARED_STATEMENTS;
    }
    expect(await prepared()).not.toContain(sql);
  });
});
