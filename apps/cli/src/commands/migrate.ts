import { resolveDatabaseTarget } from '@civic/db/config';
import { openDatabase } from '@civic/db/connect';
import { DatabaseSetupError } from '@civic/db/errors';
import { applyMigrations } from '@civic/db/migrate';
import { SUBGRAPHS } from '@civic/server-kit/ports';
import { cliEnv } from '../env.ts';
import { paths } from '../paths.ts';

export const migrateHelp = `civic migrate — apply pending database migrations of every subgraph

Usage: npm run civic -- migrate

Applies each subgraph's prisma/migrations that its database does not have yet, recording them
in _prisma_migrations as Prisma does. Uses DATABASE_URL (or <SUBGRAPH>_DATABASE_URL) when set,
the PGlite folders under .data/ otherwise. A running service applies its own migrations at
startup, so a PGlite folder in use by a running service is reported and left alone.
Exit code 0 when every database is up to date, 1 otherwise.`;

export async function migrate(): Promise<number> {
  let failed = false;
  for (const name of SUBGRAPHS) {
    const target = resolveDatabaseTarget({
      name,
      databaseUrl: cliEnv().databaseUrl,
      ownDatabaseUrl: cliEnv().ownDatabaseUrls[name],
      dataRoot: paths.dataDir,
    });
    let db: Awaited<ReturnType<typeof openDatabase>>;
    try {
      db = await openDatabase(target, { max: 2 });
    } catch (error) {
      if (error instanceof DatabaseSetupError && /in use by process/.test(error.message)) {
        console.log(`${name}: in use by the running service, which applied its migrations when it started`);
        continue;
      }
      console.error(`${name}: ${error instanceof DatabaseSetupError ? error.line : (error as Error).message}`);
      failed = true;
      continue;
    }
    try {
      const report = await applyMigrations(db.sql, paths.migrations(name));
      const summary = report.applied.length
        ? `applied ${report.applied.join(', ')}`
        : `up to date (${report.alreadyApplied.length} migrations)`;
      console.log(`${name}: ${summary}`);
    } catch (error) {
      console.error(`${name}: ${(error as Error).message}`);
      failed = true;
    } finally {
      await db.close();
    }
  }
  return failed ? 1 : 0;
}
