import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEPARTMENTS, departmentByIdentifier, departmentBySlug } from './departments.ts';

const directory = readFileSync(new URL('../data/alignment/directory/organizations.csv', import.meta.url), 'utf8');

describe('a department is known by its id, its slug and its HSDS organization ids', () => {
  it('resolves each of them to the one department', () => {
    const cd = departmentBySlug('community-development');
    expect(departmentByIdentifier(cd.id)).toBe(cd);
    expect(departmentByIdentifier('community-development')).toBe(cd);
    expect(departmentByIdentifier(' FA0D5F63-3012-5DEC-AE79-B83B0C1932EC ')).toBe(cd);
    expect(departmentByIdentifier('439a908b-4a63-5535-a820-eb1dcc3b6fdc')).toBeUndefined(); // GoDurham
    expect(departmentByIdentifier('nowhere')).toBeUndefined();
  });

  it('names every City of Durham department organization of the demo HSDS directory, each once', () => {
    const hsdsIds = DEPARTMENTS.flatMap((d) => d.hsdsIds);
    expect(hsdsIds).toHaveLength(11);
    expect(new Set(hsdsIds).size).toBe(11);
    for (const id of hsdsIds) expect(directory).toContain(`\n${id},`);
    const cityRows = directory
      .split('\n')
      .filter((line) => /^[0-9a-f-]{36},(City of Durham |Durham Police|Durham Parks)/.test(line));
    expect(cityRows.map((line) => line.slice(0, 36)).sort()).toEqual([...hsdsIds].sort());
  });
});
