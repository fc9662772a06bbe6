import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '../src/testing.ts';

// PGlite runs inside the process: there is no connection for a server to drop.
describe.skipIf(testDatabaseKind() !== 'postgres')('a connection the server drops', () => {
  let db: TestDatabase;

  beforeEach(async () => {
    db = await createTestDatabase('faults');
  });

  afterEach(async () => {
    await db.destroy();
  });

  it('in the middle of a transaction fails that transaction, not the process, and the next query works', async () => {
    const target = db.target as { url: string };
    const failed = db.sql.transaction(async (tx) => {
      const [me] = await tx.query<{ pid: number }>('select pg_backend_pid() as pid');
      const admin = new pg.Client({ connectionString: target.url });
      await admin.connect();
      try {
        await admin.query('select pg_terminate_backend($1)', [me?.pid]);
      } finally {
        await admin.end();
      }
      // Let the termination reach the client before it is used again.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await tx.query('select 1');
    });
    await expect(failed).rejects.toThrow();
    expect(await db.sql.query<{ one: number }>('select 1 as one')).toEqual([{ one: 1 }]);
  });
});
