// Prisma's schema engine (the part behind `prisma migrate diff`) runs here as WebAssembly over
// an in-memory PGlite shadow database, so migrations can be written offline, where the native
// engine cannot be downloaded. The version is pinned to the Prisma CLI's engine.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';

const require = createRequire(import.meta.url);

// The WebAssembly module is instantiated once per process; its bindings are module-global.
let enginePromise;

function loadEngine() {
  enginePromise ??= instantiateEngine();
  return enginePromise;
}

async function instantiateEngine() {
  const bindingsPath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const packageDir = dirname(bindingsPath);
  const bindings = await import(bindingsPath);
  const bytes = readFileSync(join(packageDir, 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': bindings });
  bindings.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start?.();
  return bindings.SchemaEngine;
}

function migrationList(migrationsDir) {
  const lockPath = join(migrationsDir, 'migration_lock.toml');
  const directories = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: directories.map((name) => {
      const file = join(migrationsDir, name, 'migration.sql');
      return {
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: existsSync(file)
            ? { tag: 'ok', value: readFileSync(file, 'utf8') }
            : { tag: 'error', value: `${file} is missing` },
        },
      };
    }),
  };
}

/** The SQL that takes a database migrated with `migrationsDir` to `schemaPath`; '' when they agree. */
export async function diffMigrationsToSchema(migrationsDir, schemaPath) {
  const SchemaEngine = await loadEngine();
  const schema = readFileSync(schemaPath, 'utf8');
  const pglite = new PGlite();
  const adapter = bindMigrationAwareSqlAdapterFactory(new PrismaPGlite(pglite));
  const engine = await SchemaEngine.new({ datamodels: [['schema.prisma', schema]] }, () => {}, adapter);
  try {
    const result = await engine.diff({
      from: { tag: 'migrations', ...migrationList(migrationsDir) },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: schema }] },
      script: true,
      exitCode: null,
      configDir: dirname(schemaPath),
      filters: { externalTables: [], externalEnums: [] },
    });
    const script = (result.stdout ?? '').trim();
    return script === '' || script === '-- This is an empty migration.' ? '' : `${script}\n`;
  } finally {
    engine.free?.();
    await pglite.close();
  }
}
