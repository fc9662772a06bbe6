import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diffMigrationsToSchema } from '../engine.mjs';

const subgraphs = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'apps', 'subgraphs');

describe('migrations agree with schema.prisma', () => {
  for (const name of ['engagement', 'initiatives', 'resources']) {
    it(`${name}: applying every migration gives exactly the schema`, async () => {
      const dir = join(subgraphs, name, 'prisma');
      expect(await diffMigrationsToSchema(join(dir, 'migrations'), join(dir, 'schema.prisma'))).toBe('');
    });
  }

  it('writes the SQL for a schema change that no migration covers', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'civic-migration-'));
    try {
      cpSync(join(subgraphs, 'initiatives', 'prisma'), copy, { recursive: true });
      const schemaPath = join(copy, 'schema.prisma');
      writeFileSync(schemaPath, `${readFileSync(schemaPath, 'utf8')}\nmodel Probe {\n  id String @id\n  size Int\n}\n`);
      const script = await diffMigrationsToSchema(join(copy, 'migrations'), schemaPath);
      expect(script).toContain('CREATE TABLE "Probe"');
      expect(script).toContain('"size" INTEGER NOT NULL');
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});
