import type { FieldProblem } from '@civic/server-kit/errors';
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

interface TableRules {
  required: string[];
  enums?: Record<string, readonly string[]>;
  numbers?: string[];
  emails?: string[];
}

/** HSDS 3.0 `required` and `tabular_required` fields, enums and number columns of the tables held. */
const RULES: Record<HsdsTable, TableRules> = {
  organizations: { required: ['id', 'name', 'description'], emails: ['email'], numbers: ['year_incorporated'] },
  programs: { required: ['id', 'organization_id', 'name', 'description'] },
  services: {
    required: ['id', 'organization_id', 'name', 'status'],
    enums: { status: ['active', 'inactive', 'defunct', 'temporarily closed'] },
    numbers: ['minimum_age', 'maximum_age'],
    emails: ['email'],
  },
  locations: {
    required: ['id', 'location_type'],
    enums: { location_type: ['physical', 'postal', 'virtual'] },
    numbers: ['latitude', 'longitude'],
  },
  addresses: {
    required: ['id', 'address_1', 'city', 'state_province', 'postal_code', 'country', 'address_type'],
    enums: { address_type: ['physical', 'postal', 'virtual'] },
  },
  service_at_location: { required: ['id', 'service_id', 'location_id'] },
  service_areas: { required: ['id'] },
  languages: { required: ['id'] },
  schedules: {
    required: ['id'],
    enums: { freq: ['WEEKLY', 'MONTHLY'], wkst: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] },
    numbers: ['timezone', 'count', 'interval'],
  },
  phones: { required: ['id', 'number'], numbers: ['extension'] },
  contacts: { required: ['id'], emails: ['email'] },
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
 * Checks a whole dataset before anything is stored: required fields, enums, numbers, emails,
 * UUID ids, duplicate ids and foreign keys (against the dataset and the directory). Problems name
 * the file, the row (header = row 1) and the field.
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
    const rules = RULES[table];
    tables[table].forEach((row, index) => {
      const value = (field: string) => row[field]?.trim() ?? '';
      for (const field of rules.required) {
        if (value(field) === '') problems.push({ field: at(table, index, field), message: 'is required' });
      }
      const id = value('id');
      if (id !== '') {
        if (!UUID.test(id)) {
          problems.push({ field: at(table, index, 'id'), message: `"${id}" is not a UUID (HSDS 3.0 ids are UUIDs)` });
        }
        const first = ids[table].get(id);
        if (first !== undefined) {
          problems.push({
            field: at(table, index, 'id'),
            message: `duplicate id ${id} (also row ${rowNumber(first)})`,
          });
        } else ids[table].set(id, index);
      }
      for (const [field, allowed] of Object.entries(rules.enums ?? {})) {
        const v = value(field);
        const ok = field === 'status' ? allowed.includes(v.toLowerCase()) : allowed.includes(v);
        if (v !== '' && !ok) {
          problems.push({ field: at(table, index, field), message: `must be one of ${allowed.join(', ')}` });
        }
      }
      for (const field of rules.numbers ?? []) {
        const v = value(field);
        if (v !== '' && !Number.isFinite(Number(v))) {
          problems.push({ field: at(table, index, field), message: `"${v}" is not a number` });
        }
      }
      for (const field of rules.emails ?? []) {
        const v = value(field);
        if (v !== '' && !EMAIL.test(v)) {
          problems.push({ field: at(table, index, field), message: `"${v}" is not an email address` });
        }
      }
    });
  }

  tables.services.forEach((row, index) => {
    const ages = ['minimum_age', 'maximum_age'].map((f) => row[f]?.trim() ?? '');
    ages.forEach((v, i) => {
      const field = i === 0 ? 'minimum_age' : 'maximum_age';
      if (v !== '' && Number.isFinite(Number(v)) && !/^\d+$/.test(v)) {
        problems.push({ field: at('services', index, field), message: 'must be a whole number of years, 0 or more' });
      } else if (v !== '' && Number(v) > 130) {
        problems.push({ field: at('services', index, field), message: 'must be 130 or less' });
      }
    });
    const [min, max] = ages.map((v) => (/^\d+$/.test(v ?? '') ? Number(v) : null));
    if (min != null && max != null && min > max) {
      problems.push({ field: at('services', index, 'maximum_age'), message: 'is below minimum_age' });
    }
    const name = row.name?.trim() ?? '';
    if (name.length > 200)
      problems.push({ field: at('services', index, 'name'), message: 'has more than 200 characters' });
  });
  tables.languages.forEach((row, index) => {
    const code = row.code?.trim() ?? '';
    if (code !== '' && !LANGUAGE_TAG.test(code)) {
      problems.push({ field: at('languages', index, 'code'), message: `"${code}" is not a BCP-47 language tag` });
    }
  });
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
