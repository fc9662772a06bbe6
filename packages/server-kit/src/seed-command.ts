import { resolveDatabaseTarget } from '@civic/db/config';
import { type Database, openDatabase, quoteIdent, type SqlClient } from '@civic/db/connect';
import { DatabaseSetupError } from '@civic/db/errors';
import { applyMigrations } from '@civic/db/migrate';
import { createLogger } from './logger.ts';
import { type PrismaLike, readSubgraphEnv, type SubgraphContextBase, type SubgraphDefinition } from './subgraph.ts';

/** One subgraph's part of the synthetic dataset (`<subgraph> seed --scale N`). */
export interface ScaleSeeder {
  /** Tables holding the subgraph's content: checked for emptiness, emptied by --replace. */
  tables: readonly string[];
  /** Rows `run` will insert at this scale (for the progress bar). */
  total(scale: number): number;
  /** Inserts the dataset; returns rows per table. */
  run(ctx: { sql: SqlClient; scale: number; inserted(rows: number): void }): Promise<Record<string, number>>;
}

/** Column of a bulk insert: its name, its type in the JSON record, and a cast to the column's type. */
export type BulkColumn = [name: string, type: string, cast?: string];

/**
 * Inserts rows in batches, each batch one INSERT … SELECT over a single JSON parameter in its own
 * transaction (far fewer bound values than a multi-row VALUES list; works on PGlite and pg alike).
 */
export async function bulkInsert(
  sql: SqlClient,
  table: string,
  columns: readonly BulkColumn[],
  rows: readonly Record<string, unknown>[],
  inserted: (rows: number) => void,
  batchSize = 2_000,
): Promise<number> {
  const names = columns.map(([name]) => quoteIdent(name)).join(', ');
  const select = columns.map(([name, , cast]) => `${quoteIdent(name)}${cast ? `::${cast}` : ''}`).join(', ');
  const record = columns.map(([name, type]) => `${quoteIdent(name)} ${type}`).join(', ');
  const statement = `INSERT INTO ${quoteIdent(table)} (${names}) SELECT ${select} FROM jsonb_to_recordset($1::jsonb) AS x(${record})`;
  for (let i = 0; i < rows.length; i += batchSize) {
    const batch = rows.slice(i, i + batchSize);
    await sql.transaction((tx) => tx.query(statement, [JSON.stringify(batch)]));
    inserted(batch.length);
  }
  return rows.length;
}

class SeedUsageError extends Error {}

function parseSeedArgs(argv: string[]): { scale: number | undefined; replace: boolean; checkOnly: boolean } {
  let scale: number | undefined;
  let replace = false;
  let checkOnly = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--replace') replace = true;
    else if (arg === '--check-empty') checkOnly = true;
    else if (arg === '--scale') {
      scale = Number(argv[++i]);
      if (!(scale > 0 && scale <= 100)) throw new SeedUsageError('--scale takes a number above 0 and at most 100');
    } else throw new SeedUsageError(`unknown option ${arg}`);
  }
  return { scale, replace, checkOnly };
}

/** Lines on stdout the CLI reads to draw one progress bar over all subgraphs. */
function report(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

const META = 'CREATE TABLE IF NOT EXISTS "_civic_meta" ("key" TEXT PRIMARY KEY, "value" TEXT NOT NULL)';

async function setMeta(sql: SqlClient, key: string, value: string): Promise<void> {
  await sql.query(
    'insert into "_civic_meta" (key, value) values ($1, $2) on conflict (key) do update set value = excluded.value',
    [key, value],
  );
}

async function rowsIn(sql: SqlClient, tables: readonly string[]): Promise<number> {
  let total = 0;
  for (const table of tables) {
    const [row] = await sql.query<{ n: number }>(`select count(*)::int as n from ${quoteIdent(table)}`);
    total += row?.n ?? 0;
  }
  return total;
}

/**
 * `node dist/main.js seed [--scale N] [--replace] [--check-empty]`: seeds this subgraph's own
 * database and exits (0 done, 1 failed, 2 wrong usage, 3 not empty without --replace). Without
 * --scale it loads the demo data; --check-empty only reports whether seeding would be refused.
 */
export async function runSeedCommand<Prisma extends PrismaLike, Ctx extends SubgraphContextBase>(
  def: SubgraphDefinition<Prisma, Ctx>,
  seeder: ScaleSeeder,
  argv: string[],
): Promise<never> {
  let options: ReturnType<typeof parseSeedArgs>;
  try {
    options = parseSeedArgs(argv);
  } catch (error) {
    console.error(`${def.name} seed: ${(error as Error).message}`);
    process.exit(2);
  }
  const env = readSubgraphEnv(def.name);
  const logger = createLogger(def.name, 'warn');
  const target = resolveDatabaseTarget({
    name: def.name,
    databaseUrl: env.databaseUrl,
    ownDatabaseUrl: env.ownDatabaseUrl,
    dataRoot: env.dataRoot,
  });
  let db: Database;
  try {
    db = await openDatabase(target, { max: 2, statementTimeoutMs: 600_000 });
  } catch (error) {
    if (error instanceof DatabaseSetupError && /in use by process/.test(error.message)) {
      console.error(
        `${def.name} seed: ${error.message}; the service uses its PGlite folder, so stop it (npm start) before seeding`,
      );
    } else console.error(`${def.name} seed: ${error instanceof DatabaseSetupError ? error.line : String(error)}`);
    process.exit(1);
  }
  let code = 0;
  try {
    await applyMigrations(db.sql, def.migrationsDir);
    await db.sql.exec(META);
    const existing = await rowsIn(db.sql, seeder.tables);
    if (existing > 0 && !options.replace) {
      console.error(
        `${def.name} seed: the database already has ${existing} rows; add --replace to delete them and seed again`,
      );
      code = 3;
    } else if (options.checkOnly) {
      code = 0;
    } else {
      if (existing > 0) {
        await db.sql.exec(`TRUNCATE ${seeder.tables.map(quoteIdent).join(', ')} CASCADE`);
        await db.sql.exec(`DELETE FROM "_civic_meta" WHERE key IN ('demo_seeded_at', 'synthetic_scale')`);
      }
      if (options.scale === undefined) {
        if (!def.seed) throw new Error('this subgraph has no demo data');
        const prisma = def.createPrisma(db);
        try {
          await def.seed(prisma, db.sql, logger, 'demo');
        } finally {
          await prisma.$disconnect();
        }
        report({ type: 'done', counts: {} });
      } else {
        const scale = options.scale;
        report({ type: 'total', total: seeder.total(scale) });
        let pending = 0;
        const counts = await seeder.run({
          sql: db.sql,
          scale,
          inserted: (rows) => {
            pending += rows;
            report({ type: 'progress', rows });
          },
        });
        // A bulk load leaves statistics stale and no page all-visible; vacuum and analyze now, as
        // autovacuum would before long, so the first queries are planned and read as they will be.
        await db.sql.exec('VACUUM ANALYZE');
        await setMeta(db.sql, 'synthetic_scale', String(scale));
        report({ type: 'done', counts, rows: pending });
      }
      // Marks the database seeded, so a starting service does not add the demo data on top.
      await setMeta(db.sql, 'demo_seeded_at', new Date(0).toISOString());
    }
  } catch (error) {
    console.error(`${def.name} seed: ${(error as Error).message}`);
    code = 1;
  } finally {
    await db.close().catch(() => {});
  }
  process.exit(code);
}
