import { badInput, type FieldProblem } from '@civic/server-kit/errors';
import { CsvError, parse } from 'csv-parse/sync';
import type { GraphQLError } from 'graphql';

/** Where a problem is: a file, its row (a spreadsheet's numbering: the header is row 1) and a column. */
export interface Place {
  file: string;
  row?: number;
  field?: string;
}

export function describePlace(p: Place): string {
  return `${p.file}${p.row ? ` row ${p.row}` : ''}${p.field ? `, field "${p.field}"` : ''}`;
}

const MAX_LISTED = 100;

/** Collects every problem of a file, then refuses it as a whole (BAD_USER_INPUT) before anything is written. */
export class Problems {
  readonly list: (Place & { message: string })[] = [];

  add(place: Place, message: string): void {
    this.list.push({ ...place, message });
  }

  /** Throws BAD_USER_INPUT (or the error `make` builds) naming the first problem and listing them all. */
  throwIfAny(make: (message: string, problems: FieldProblem[]) => GraphQLError = badInput): void {
    const [first] = this.list;
    if (!first) return;
    const more = this.list.length > 1 ? ` (and ${this.list.length - 1} more)` : '';
    throw make(
      `${describePlace(first)}: ${first.message}${more}`,
      this.list.slice(0, MAX_LISTED).map((p) => ({ field: describePlace(p), message: p.message })),
    );
  }
}

/** One data row of a CSV file with a header, read by column name (case-insensitive). */
export interface CsvRow {
  row: number;
  get(column: string): string;
}

function parseRecords(file: string, text: string): string[][] {
  try {
    return parse(text, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw badInput(`${file}${line ? ` line ${line}` : ''}: not valid CSV (${error.message})`, [
        { field: file, message: error.message },
      ]);
    }
    throw error;
  }
}

const blank = (cells: string[]) => cells.every((c) => c.trim() === '');

/**
 * A CSV file with a header row. Rows are numbered as a spreadsheet shows them (header = row 1);
 * blank rows are skipped but still counted. Missing required columns are refused by name.
 */
export function readCsvTable(file: string, text: string, required: readonly string[]): CsvRow[] {
  const records = parseRecords(file, text);
  const headerIndex = records.findIndex((r) => !blank(r));
  const header = records[headerIndex];
  if (!header) throw badInput(`${file}: the file is empty`, [{ field: file, message: 'the file is empty' }]);
  const columns = new Map(header.map((name, index) => [name.trim().toLowerCase(), index]));
  const problems = new Problems();
  for (const name of required) {
    if (!columns.has(name.toLowerCase())) problems.add({ file, field: name }, 'the column is missing');
  }
  problems.throwIfAny();
  const rows: CsvRow[] = [];
  records.forEach((cells, index) => {
    if (index <= headerIndex || blank(cells)) return;
    rows.push({
      row: index + 1,
      get(column) {
        const at = columns.get(column.toLowerCase());
        return at === undefined ? '' : (cells[at] ?? '').trim();
      },
    });
  });
  return rows;
}

/** A key,value CSV without a header (a Polis summary.csv): the row number of each key with its value. */
export function readKeyValueCsv(file: string, text: string): Map<string, { row: number; value: string }> {
  const out = new Map<string, { row: number; value: string }>();
  parseRecords(file, text).forEach((cells, index) => {
    const key = cells[0]?.trim();
    if (key && !out.has(key)) out.set(key, { row: index + 1, value: (cells[1] ?? '').trim() });
  });
  return out;
}

/** A whole number ≥ 0 written in a cell, or the reason it is not. */
export function wholeNumber(text: string): number | string {
  const n = text === '' ? Number.NaN : Number(text);
  if (Number.isNaN(n)) return 'not a number';
  if (!Number.isInteger(n)) return 'must be a whole number';
  if (n < 0) return 'must not be negative';
  if (!Number.isSafeInteger(n)) return 'is too large';
  return n;
}
