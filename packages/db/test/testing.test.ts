import { afterEach, describe, expect, it } from 'vitest';
import type { DatabaseTarget } from '../src/config.ts';
import { openDatabase } from '../src/connect.ts';
import {
  copyTestTarget,
  newTestTarget,
  prepareTestTarget,
  removeTarget,
  testServerDatabases,
  testServerUrl,
} from '../src/testing.ts';

const created: DatabaseTarget[] = [];

async function newTarget(): Promise<DatabaseTarget> {
  const target = newTestTarget('copy');
  created.push(target);
  return target;
}

async function names(target: DatabaseTarget): Promise<string[]> {
  const db = await openDatabase(target, { max: 1 });
  try {
    const rows = await db.sql.query<{ name: string }>('select "name" from "Thing" order by "name"');
    return rows.map((row) => row.name);
  } finally {
    await db.close();
  }
}

async function insert(target: DatabaseTarget, name: string): Promise<void> {
  const db = await openDatabase(target, { max: 1 });
  try {
    await db.sql.exec('create table if not exists "Thing" ("name" text primary key)');
    await db.sql.query('insert into "Thing" ("name") values ($1)', [name]);
  } finally {
    await db.close();
  }
}

afterEach(async () => {
  await Promise.all(created.splice(0).map((target) => removeTarget(target)));
});

describe('copyTestTarget', () => {
  it('gives a new target the rows of a closed database, and the two change independently', async () => {
    const source = await newTarget();
    await prepareTestTarget(source);
    await insert(source, 'seeded');
    const copy = await newTarget();
    await copyTestTarget(source, copy);

    expect(await names(copy)).toEqual(['seeded']);
    await insert(copy, 'only in the copy');
    expect(await names(copy)).toEqual(['only in the copy', 'seeded']);
    expect(await names(source)).toEqual(['seeded']);
  });

  it.runIf(testServerUrl())('on PostgreSQL, waits for a connection to the template to close', async () => {
    const source = await newTarget();
    await insert(source, 'seeded');
    const holder = await openDatabase(source, { max: 1 });
    await holder.sql.query('select 1');
    const copy = await newTarget();
    const copying = copyTestTarget(source, copy);
    setTimeout(() => void holder.close(), 1_000);
    await copying;
    expect(await names(copy)).toEqual(['seeded']);
  });

  it.runIf(testServerUrl())('lists the server databases with a prefix', async () => {
    const source = await newTarget();
    await insert(source, 'x');
    if (source.kind !== 'postgres') throw new Error('expected PostgreSQL');
    expect(await testServerDatabases(source.database)).toEqual([source.database]);
    expect(await testServerDatabases(`${source.database}_not_there`)).toEqual([]);
  });
});
