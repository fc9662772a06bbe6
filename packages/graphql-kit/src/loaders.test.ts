import { describe, expect, it, vi } from 'vitest';
import { byIds, groupedBy } from './loaders.ts';

describe('byIds', () => {
  it('loads a batch in one call, in the order asked, null for a missing id', async () => {
    const load = vi.fn(async (ids: string[]) =>
      ids.filter((id) => id !== 'b').map((id) => ({ id, name: id.toUpperCase() })),
    );
    const loader = byIds(load);
    const rows = await Promise.all([loader.load('c'), loader.load('a'), loader.load('b')]);
    expect(rows).toEqual([{ id: 'c', name: 'C' }, { id: 'a', name: 'A' }, null]);
    expect(load).toHaveBeenCalledTimes(1);
    expect(load).toHaveBeenCalledWith(['c', 'a', 'b']);
  });
});

describe('groupedBy', () => {
  it('groups rows by key in load order, [] for a key without rows, skips a null key', async () => {
    const rows = [
      { id: '1', parent: 'x' },
      { id: '2', parent: null },
      { id: '3', parent: 'y' },
      { id: '4', parent: 'x' },
    ];
    const load = vi.fn(async () => rows);
    const loader = groupedBy((row: (typeof rows)[number]) => row.parent, load);
    const [x, y, z] = await Promise.all([loader.load('x'), loader.load('y'), loader.load('z')]);
    expect(x.map((r) => r.id)).toEqual(['1', '4']);
    expect(y.map((r) => r.id)).toEqual(['3']);
    expect(z).toEqual([]);
    expect(load).toHaveBeenCalledTimes(1);
  });
});
