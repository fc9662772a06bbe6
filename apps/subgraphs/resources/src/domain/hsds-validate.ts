import type { FieldProblem } from '@civic/server-kit/errors';
import { z } from 'zod';
import { type CsvRow, HSDS_TABLES, type HsdsTable, type HsdsTables, parseCsv } from './hsds-csv.ts';

/** One CSV file of an HSDS dataset as the importer receives it. */
export interface HsdsFile {
  name: string;
  csv: string;
}

/** Ids of rows outside the dataset that already exist in the directory, for foreign keys. */
export type KeyTable = 'organizations' | 'programs' | 'services' | 'locations';
export type ExistingIds = (table: KeyTable, ids: string[]) => Promise<Set<string>>;

export interface CheckedDataset {
  tables: HsdsTables;
  /** The file name each table came from, for messages. */
  files: Record<HsdsTable, string>;
  problems: FieldProblem[];
  /** Referenced ids that are not in the dataset but already in the directory. */
  known: Record<KeyTable, Set<string>>;
  /** Files given that are not HSDS tables this directory holds (accessibility.csv, …). */
  ignored: string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const LANGUAGE_TAG = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** A check of one cell (trimmed; '' when empty or absent): its problem, or null. */
type CellCheck = (value: string) => string | null;

const required: CellCheck = (v) => (v === '' ? 'is required' : null);
const uuid: CellCheck = (v) => (v !== '' && !UUID.test(v) ? `"${v}" is not a UUID (HSDS 3.0 ids are UUIDs)` : null);
const oneOf =
  (allowed: readonly string[], ignoreCase = false): CellCheck =>
  (v) =>
    v !== '' && !allowed.includes(ignoreCase ? v.toLowerCase() : v) ? `must be one of ${allowed.join(', ')}` : null;
const numeric: CellCheck = (v) => (v !== '' && !Number.isFinite(Number(v)) ? `"${v}" is not a number` : null);
const email: CellCheck = (v) => (v !== '' && !EMAIL.test(v) ? `"${v}" is not an email address` : null);
const years: CellCheck = (v) => {
  if (v !== '' && Number.isFinite(Number(v)) && !/^\d+$/.test(v)) return 'must be a whole number of years, 0 or more';
  return v !== '' && Number(v) > 130 ? 'must be 130 or less' : null;
};
const atMost =
  (max: number): CellCheck =>
  (v) =>
    v.length > max ? `has more than ${max} characters` : null;
const languageTag: CellCheck = (v) =>
  v !== '' && !LANGUAGE_TAG.test(v) ? `"${v}" is not a BCP-47 language tag` : null;

/** One column: every check of the cell, each problem an issue on that column. */
function column(...checks: CellCheck[]) {
  return z
    .string()
    .optional()
    .transform((v) => v?.trim() ?? '')
    .superRefine((v, ctx) => {
      for (const check of checks) {
        const message = check(v);
        if (message) ctx.addIssue({ code: 'custom', message });
      }
    });
}

const STATUSES = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;
const LOCATION_TYPES = ['physical', 'postal', 'virtual'] as const;

/** A whole number of years from a cell, or null. */
const age = (row: Record<string, unknown>, field: string) => {
  const v = typeof row[field] === 'string' ? row[field].trim() : '';
  return /^\d+$/.test(v) ? Number(v) : null;
};

/**
 * The row schema of each HSDS table held: HSDS 3.0 `required` and `tabular_required` fields, UUID
 * ids, enums, numbers and emails, and the directory's own limits. Each problem is an issue on its
 * column; rules across rows (duplicate ids, foreign keys) are checked on the whole dataset below.
 */
const ROW_SCHEMAS: Record<HsdsTable, z.ZodType> = {
  organizations: z.object({
    id: column(required, uuid),
    name: column(required),
    description: column(required),
    year_incorporated: column(numeric),
    email: column(email),
  }),
  programs: z.object({
    id: column(required, uuid),
    organization_id: column(required),
    name: column(required),
    description: column(required),
  }),
  services: z
    .object({
      id: column(required, uuid),
      organization_id: column(required),
      name: column(required, atMost(200)),
      status: column(required, oneOf(STATUSES, true)),
      minimum_age: column(numeric, years),
      maximum_age: column(numeric, years),
      email: column(email),
    })
    .refine(
      (row) => {
        const [min, max] = [age(row, 'minimum_age'), age(row, 'maximum_age')];
        return min == null || max == null || min <= max;
      },
      { message: 'is below minimum_age', path: ['maximum_age'], when: () => true },
    ),
  locations: z.object({
    id: column(required, uuid),
    location_type: column(required, oneOf(LOCATION_TYPES)),
    latitude: column(numeric),
    longitude: column(numeric),
  }),
  addresses: z.object({
    id: column(required, uuid),
    address_1: column(required),
    city: column(required),
    state_province: column(required),
    postal_code: column(required),
    country: column(required),
    address_type: column(required, oneOf(LOCATION_TYPES)),
  }),
  service_at_location: z.object({
    id: column(required, uuid),
    service_id: column(required),
    location_id: column(required),
  }),
  service_areas: z.object({ id: column(required, uuid) }),
  languages: z.object({ id: column(required, uuid), code: column(languageTag) }),
  schedules: z.object({
    id: column(required, uuid),
    freq: column(oneOf(['WEEKLY', 'MONTHLY'])),
    wkst: column(oneOf(['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'])),
    timezone: column(numeric),
    count: column(numeric),
    interval: column(numeric),
  }),
  phones: z.object({ id: column(required, uuid), number: column(required), extension: column(numeric) }),
  contacts: z.object({ id: column(required, uuid), email: column(email) }),
};

/** Foreign keys that decide where a row is stored: an unknown id refuses the dataset. */
const FOREIGN_KEYS: { table: HsdsTable; field: string; target: KeyTable }[] = [
  { table: 'programs', field: 'organization_id', target: 'organizations' },
  { table: 'services', field: 'organization_id', target: 'organizations' },
  { table: 'services', field: 'program_id', target: 'programs' },
  { table: 'service_at_location', field: 'service_id', target: 'services' },
  { table: 'service_at_location', field: 'location_id', target: 'locations' },
  { table: 'addresses', field: 'location_id', target: 'locations' },
  { table: 'service_areas', field: 'service_id', target: 'services' },
  { table: 'languages', field: 'service_id', target: 'services' },
  { table: 'schedules', field: 'service_id', target: 'services' },
];

/** `services.csv` (HSDS 3.0 path) or `service.csv` (table name) → the table. */
function tableOf(fileName: string): HsdsTable | null {
  const base = fileName.replace(/^.*[\\/]/, '').toLowerCase();
  if (!base.endsWith('.csv')) return null;
  const stem = base.slice(0, -4);
  for (const table of HSDS_TABLES) {
    const singular = table === 'addresses' ? 'address' : table.replace(/s$/, '');
    if (stem === table || stem === singular) return table;
  }
  return null;
}

export const rowNumber = (index: number) => index + 2;

/**
 * Checks a whole dataset before anything is stored: each row with its table's schema (ROW_SCHEMAS),
 * then duplicate ids and foreign keys (against the dataset and the directory). Problems name the
 * file, the row (header = row 1) and the field.
 */
export async function checkHsdsFiles(files: HsdsFile[], existing: ExistingIds): Promise<CheckedDataset> {
  const tables = Object.fromEntries(HSDS_TABLES.map((t) => [t, [] as CsvRow[]])) as HsdsTables;
  const names = Object.fromEntries(HSDS_TABLES.map((t) => [t, `${t}.csv`])) as Record<HsdsTable, string>;
  const problems: FieldProblem[] = [];
  const ignored: string[] = [];
  const seen = new Set<HsdsTable>();
  const at = (table: HsdsTable, index: number, field: string) =>
    `${names[table]} row ${rowNumber(index)}, field "${field}"`;

  for (const file of files) {
    const table = tableOf(file.name);
    if (!table) {
      ignored.push(file.name);
      continue;
    }
    if (seen.has(table)) {
      problems.push({ field: file.name, message: `a second file for the ${table} table (${names[table]})` });
      continue;
    }
    seen.add(table);
    names[table] = file.name.replace(/^.*[\\/]/, '');
    try {
      // Keys are compared as text; a stray space must not make a reference unknown.
      tables[table] = parseCsv(file.csv).map((row) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, k === 'id' || k.endsWith('_id') ? v.trim() : v])),
      );
    } catch (error) {
      problems.push({ field: names[table], message: `not readable as CSV: ${(error as Error).message}` });
    }
  }

  const ids = Object.fromEntries(HSDS_TABLES.map((t) => [t, new Map<string, number>()])) as Record<
    HsdsTable,
    Map<string, number>
  >;
  for (const table of HSDS_TABLES) {
    tables[table].forEach((row, index) => {
      const parsed = ROW_SCHEMAS[table].safeParse(row);
      for (const issue of parsed.error?.issues ?? []) {
        problems.push({ field: at(table, index, String(issue.path[0])), message: issue.message });
      }
      const id = row.id?.trim() ?? '';
      if (id === '') return;
      const first = ids[table].get(id);
      if (first !== undefined) {
        problems.push({ field: at(table, index, 'id'), message: `duplicate id ${id} (also row ${rowNumber(first)})` });
      } else ids[table].set(id, index);
    });
  }
  const pairs = new Map<string, number>();
  tables.service_at_location.forEach((row, index) => {
    const pair = `${row.service_id?.trim()}|${row.location_id?.trim()}`;
    const first = pairs.get(pair);
    if (first !== undefined) {
      problems.push({
        field: at('service_at_location', index, 'location_id'),
        message: `the service is already at this location (row ${rowNumber(first)})`,
      });
    } else pairs.set(pair, index);
  });

  const missing = new Map<KeyTable, Set<string>>();
  for (const fk of FOREIGN_KEYS) {
    for (const row of tables[fk.table]) {
      const ref = row[fk.field]?.trim();
      if (ref && !ids[fk.target].has(ref)) missing.set(fk.target, (missing.get(fk.target) ?? new Set()).add(ref));
    }
  }
  const known: Record<KeyTable, Set<string>> = {
    organizations: new Set(),
    programs: new Set(),
    services: new Set(),
    locations: new Set(),
  };
  for (const [target, refs] of missing) known[target] = await existing(target, [...refs]);
  for (const fk of FOREIGN_KEYS) {
    tables[fk.table].forEach((row, index) => {
      const ref = row[fk.field]?.trim();
      if (!ref || ids[fk.target].has(ref) || known[fk.target].has(ref)) return;
      problems.push({
        field: at(fk.table, index, fk.field),
        message: `unknown ${fk.target.replace(/s$/, '')} ${ref} (not in ${names[fk.target]} nor in the directory)`,
      });
    });
  }
  // A program of another organization would attach the service to someone else's program.
  const programOrg = new Map(tables.programs.map((p) => [p.id?.trim(), p.organization_id?.trim()]));
  tables.services.forEach((row, index) => {
    const program = row.program_id?.trim();
    const owner = program ? programOrg.get(program) : undefined;
    if (owner && owner !== row.organization_id?.trim()) {
      problems.push({
        field: at('services', index, 'program_id'),
        message: `program ${program} belongs to organization ${owner}, not ${row.organization_id}`,
      });
    }
  });

  if (tables.organizations.length === 0 && tables.services.length === 0 && problems.length === 0) {
    problems.push({ field: '(dataset)', message: 'no organizations.csv or services.csv rows to import' });
  }
  return { tables, files: names, problems, known, ignored };
}
