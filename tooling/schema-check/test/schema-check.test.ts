import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { compareSchemas, parseDeclarations } from '../check.mjs';

const cli = join(import.meta.dirname, '..', 'cli.mjs');
const BASE = `
"""Root"""
type Query {
  """A concern."""
  concern(id: ID!): Concern
  """Concerns."""
  concerns: [Concern!]!
}
"""A concern."""
type Concern {
  """Id."""
  id: ID!
  """Summary."""
  summary: String!
  """Support."""
  supportCount: Int!
}
"""Status."""
enum Status { NEW ADDRESSED }
`;
const removedField = BASE.replace('  """Support."""\n  supportCount: Int!\n', '');
const changedType = BASE.replace('supportCount: Int!', 'supportCount: String!');
const addedField = BASE.replace('  """Summary."""', '  """Detail."""\n  detail: String\n  """Summary."""');
const addedEnumValue = BASE.replace('enum Status { NEW ADDRESSED }', 'enum Status { NEW ADDRESSED NOT_FEASIBLE }');

describe('compareSchemas', () => {
  test('a removed field and a changed type are breaking; an added field is safe', async () => {
    const removed = await compareSchemas(BASE, removedField);
    expect(removed.undeclared.map((c) => c.path)).toEqual(['Concern.supportCount']);
    const changed = await compareSchemas(BASE, changedType);
    expect(changed.undeclared.map((c) => c.message)).toEqual([
      "Field 'Concern.supportCount' changed type from 'Int!' to 'String!'",
    ]);
    const added = await compareSchemas(BASE, addedField);
    expect(added.undeclared).toEqual([]);
    expect(added.safe.map((c) => c.path)).toContain('Concern.detail');
  });

  test('a declared breaking change (by path or message) passes; an added enum value is dangerous', async () => {
    const byPath = await compareSchemas(BASE, removedField, [
      { change: 'Concern.supportCount', reason: 'nobody used it' },
    ]);
    expect(byPath.undeclared).toEqual([]);
    expect(byPath.declared.map((c) => c.declaration?.reason)).toEqual(['nobody used it']);
    const byMessage = await compareSchemas(BASE, changedType, [
      { change: "Field 'Concern.supportCount' changed type from 'Int!' to 'String!'", reason: 'agreed with partners' },
    ]);
    expect(byMessage.undeclared).toEqual([]);
    const other = await compareSchemas(BASE, changedType, [{ change: 'Concern.summary', reason: 'another field' }]);
    expect(other.undeclared).toHaveLength(1);
    const dangerous = await compareSchemas(BASE, addedEnumValue);
    expect(dangerous.undeclared).toEqual([]);
    expect(dangerous.dangerous.map((c) => c.path)).toEqual(['Status.NOT_FEASIBLE']);
  });

  test('declarations need a change and a reason', () => {
    expect(() => parseDeclarations('{}')).toThrow('JSON array');
    expect(() => parseDeclarations('[{"change":"Query.x"}]')).toThrow('entry 0 has no "reason"');
    expect(parseDeclarations('[{"change":"Query.x","reason":"r"}]')).toHaveLength(1);
  });
});

describe('civic-schema-check against a git repository', () => {
  let repo: string;
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  const git = (...args: string[]) => {
    const result = spawnSync('git', args, { cwd: repo, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(result.stderr);
  };
  const write = (path: string, text: string) => {
    mkdirSync(join(repo, path, '..'), { recursive: true });
    writeFileSync(join(repo, path), text);
  };
  const check = (...args: string[]) =>
    spawnSync(process.execPath, [cli, '--root', repo, ...args], { encoding: 'utf8' });

  function repoWithMain(schema: string) {
    repo = mkdtempSync(join(tmpdir(), 'civic-schema-check-'));
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'test@example.org');
    git('config', 'user.name', 'test');
    write('apps/gateway/api-schema.graphql', schema);
    git('add', '.');
    git('commit', '-q', '-m', 'base');
  }

  test('the same schema as main passes', () => {
    repoWithMain(BASE);
    const result = check();
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('is the same as on main (pass)');
  });

  test('an undeclared breaking change fails and lists it; declaring it passes', () => {
    repoWithMain(BASE);
    write('apps/gateway/api-schema.graphql', removedField);
    const failed = check();
    expect(failed.status).toBe(1);
    expect(failed.stdout).toContain("✖ Field 'supportCount' was removed from object type 'Concern'");
    expect(failed.stderr).toMatch(/^schema check: 1 breaking \(0 declared\)/);

    write(
      'apps/gateway/schema-changes.json',
      JSON.stringify([{ change: 'Concern.supportCount', reason: 'replaced by mentionCount' }]),
    );
    const passed = check();
    expect(passed.status).toBe(0);
    expect(passed.stdout).toContain('declared: replaced by mentionCount');
  });

  test('a safe addition passes and is printed; a bad declarations file fails in one line', () => {
    repoWithMain(BASE);
    write('apps/gateway/api-schema.graphql', addedField);
    const passed = check();
    expect(passed.status).toBe(0);
    expect(passed.stdout).toContain("· Field 'detail' was added to object type 'Concern'");
    write('apps/gateway/api-schema.graphql', changedType);
    write('apps/gateway/schema-changes.json', '[{"change": "Concern.supportCount"}]');
    const bad = check();
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('schema check: apps/gateway/schema-changes.json: entry 0 has no "reason"');
  });

  test('without main (or its file) there is nothing to compare against: pass; an unknown --base is wrong usage', () => {
    repoWithMain(BASE);
    git('branch', '-m', 'main', 'work');
    write('apps/gateway/api-schema.graphql', removedField);
    expect(check().status).toBe(0);
    expect(check('--base', 'no-such-ref').status).toBe(2);
    git('branch', 'main');
    git('rm', '-q', '--cached', 'apps/gateway/api-schema.graphql');
    git('commit', '-q', '-m', 'drop');
    git('branch', '-f', 'main');
    const result = check();
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('main has no apps/gateway/api-schema.graphql yet (pass)');
  });
});
