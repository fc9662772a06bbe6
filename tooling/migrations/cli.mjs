#!/usr/bin/env node
// civic-migration new <name>   write prisma/migrations/<timestamp>_<name>/migration.sql for the
//                              changes in prisma/schema.prisma (run in a subgraph's folder)
// civic-migration check        exit 1 when prisma/migrations do not produce prisma/schema.prisma
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { diffMigrationsToSchema } from './engine.mjs';

const [command, name] = process.argv.slice(2);
const cwd = resolve(process.env.INIT_CWD ?? process.cwd());
const migrationsDir = join(cwd, 'prisma', 'migrations');
const schemaPath = join(cwd, 'prisma', 'schema.prisma');

if (command === 'new' && name && /^[a-z0-9_]+$/.test(name)) {
  const script = await diffMigrationsToSchema(migrationsDir, schemaPath);
  if (!script) {
    console.log('schema.prisma and the migrations already agree; no migration written');
    process.exit(0);
  }
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = join(migrationsDir, `${stamp}_${name}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'migration.sql'), script);
  console.log(`wrote ${join(dir, 'migration.sql')}\n\n${script}`);
} else if (command === 'check') {
  const script = await diffMigrationsToSchema(migrationsDir, schemaPath);
  if (script) {
    console.error(
      `prisma/schema.prisma has changes no migration covers; run \`civic-migration new <name>\`:\n\n${script}`,
    );
    process.exit(1);
  }
  console.log('migrations match schema.prisma');
} else {
  console.error('usage: civic-migration new <snake_case_name> | civic-migration check   (in a subgraph folder)');
  process.exit(2);
}
