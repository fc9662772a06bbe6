import DataLoader from 'dataloader';

/** Loads rows by id, one query per batch; an id with no row loads as null. */
export function byIds<T extends { id: string }>(load: (ids: string[]) => Promise<T[]>): DataLoader<string, T | null> {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await load([...ids]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/**
 * Loads the rows belonging to each key, one query per batch, in the order `load` returns them;
 * a key with no rows loads as []. Rows whose key is null belong to none.
 */
export function groupedBy<T>(
  keyOf: (row: T) => string | null,
  load: (keys: string[]) => Promise<T[]>,
): DataLoader<string, T[]> {
  return new DataLoader<string, T[]>(async (keys) => {
    const rows = await load([...keys]);
    const groups = new Map<string, T[]>();
    for (const row of rows) {
      const key = keyOf(row);
      if (key === null) continue;
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    return keys.map((key) => groups.get(key) ?? []);
  });
}
