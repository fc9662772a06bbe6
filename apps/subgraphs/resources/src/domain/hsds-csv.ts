import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';

export type CsvRow = Record<string, string>;

/** RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes) into rows keyed by trimmed header. */
export function parseCsv(text: string): CsvRow[] {
  return parse(text, {
    bom: true,
    columns: (header: string[]) => header.map((name) => name.trim()),
    skip_empty_lines: true,
    relax_column_count: true,
    // Files edited on different systems mix line endings.
    record_delimiter: ['\r\n', '\n', '\r'],
  }) as CsvRow[];
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
