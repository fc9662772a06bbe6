import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type CsvRow = Record<string, string>;

/** RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes) into rows keyed by header. */
export function parseCsv(text: string): CsvRow[] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  const input = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < input.length; i++) {
    const ch = input[i];
    if (quoted) {
      if (ch === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && input[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const [header, ...rows] = records.filter((r) => !(r.length === 1 && r[0] === ''));
  if (!header) return [];
  return rows.map((r) => Object.fromEntries(header.map((name, i) => [name.trim(), r[i] ?? ''])));
}

/** HSDS tables the mapping reads; a missing file is an empty table. */
export const HSDS_TABLES = [
  'organizations',
  'programs',
  'services',
  'locations',
  'addresses',
  'service_at_location',
  'service_areas',
  'languages',
  'schedules',
  'phones',
  'contacts',
] as const;
export type HsdsTable = (typeof HSDS_TABLES)[number];
export type HsdsTables = Record<HsdsTable, CsvRow[]>;

export function readHsdsCsvDirectory(dir: string, read: (path: string) => string | null = readIfPresent): HsdsTables {
  return Object.fromEntries(
    HSDS_TABLES.map((table) => {
      const text = read(join(dir, `${table}.csv`));
      return [table, text === null ? [] : parseCsv(text)];
    }),
  ) as HsdsTables;
}

function readIfPresent(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
