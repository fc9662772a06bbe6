import type { MessageKey } from '../i18n/messages.ts';
import { THEME_LABELS, type ThemeCode } from '../i18n/messages.ts';

export type CsvSyntaxProblem = 'csv.quoteNotClosed' | 'csv.quoteInField' | 'csv.textAfterQuote';

/** One record: `row` counts records as a spreadsheet (and the server's csv-parse) does, blank ones included. */
export interface CsvRecord {
  row: number;
  cells: string[];
  /** The record's text as written, kept for a record that could not be read. */
  text: string;
  problem?: CsvSyntaxProblem;
}

const isLineEnd = (c: string | undefined) => c === '\n' || c === '\r';

function lineEndAfter(text: string, from: number): number {
  let i = from;
  while (i < text.length && !isLineEnd(text[i])) i++;
  if (text[i] === '\r' && text[i + 1] === '\n') return i + 2;
  return i < text.length ? i + 1 : i;
}

/**
 * Reads one record from `start` as csv-parse does without its relax options: a quote may only
 * open a field, a closing quote must end it, and an open quote must close. A record that breaks
 * these rules is returned with its problem, and reading goes on at the next line after the
 * quote that caused it, so the rows after it are still read on their own.
 */
function readRecord(text: string, start: number): { record: Omit<CsvRecord, 'row'>; next: number } {
  const cells: string[] = [];
  let field = '';
  let quoted = false;
  let closed = false;
  let quoteOpenedAt = -1;
  const fail = (problem: CsvSyntaxProblem, resumeFrom: number) => {
    const next = lineEndAfter(text, resumeFrom);
    return { record: { cells: [], text: text.slice(start, next).replace(/\r?\n$|\r$/, ''), problem }, next };
  };
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
        closed = true;
      } else field += c;
      continue;
    }
    if (c === ',' || isLineEnd(c)) {
      cells.push(field);
      field = '';
      closed = false;
      if (c === ',') continue;
      const next = c === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1;
      return { record: { cells, text: text.slice(start, i) }, next };
    }
    if (closed) {
      // A quote closed on a later line than it opened, then more text: the opening quote was never meant to span lines.
      const openedEarlier = text.slice(quoteOpenedAt, i).search(/[\r\n]/) >= 0;
      return openedEarlier ? fail('csv.quoteNotClosed', quoteOpenedAt) : fail('csv.textAfterQuote', i);
    }
    if (c === '"') {
      if (field !== '') return fail('csv.quoteInField', i);
      quoted = true;
      quoteOpenedAt = i;
      continue;
    }
    field += c;
  }
  if (quoted) return fail('csv.quoteNotClosed', quoteOpenedAt);
  cells.push(field);
  return { record: { cells, text: text.slice(start) }, next: text.length };
}

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF or LF), record by record with any syntax problem. */
export function readCsvRecords(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let at = 0;
  while (at < text.length) {
    const { record, next } = readRecord(text, at);
    records.push({ row: records.length + 1, ...record });
    at = next;
  }
  return records;
}

const isBlank = (record: CsvRecord) => !record.problem && record.cells.every((cell) => cell.trim() === '');

/** The cells of every well-formed, non-blank record. */
export function parseCsv(text: string): string[][] {
  return readCsvRecords(text)
    .filter((r) => !r.problem && !isBlank(r))
    .map((r) => r.cells);
}

export interface Problem {
  key: MessageKey;
  value?: string;
}

export const MODERATIONS = ['PENDING', 'ACCEPTED', 'REJECTED'] as const;
export type Moderation = (typeof MODERATIONS)[number];

export interface ConcernRow {
  /** The row as a spreadsheet numbers it (the header is row 1). */
  line: number;
  /** The row as written, when it could not be read into cells. */
  written?: string;
  input: {
    summary: string;
    detail?: string;
    themes: ThemeCode[];
    language: string;
    neighborhoodId?: string;
    supportCount?: number;
    mentionCount?: number;
    moderation?: Moderation;
    location?: { latitude: number; longitude: number };
  };
  problems: Problem[];
}

export interface CsvResult {
  rows: ConcernRow[];
  fileProblems: Problem[];
}

const THEMES = new Map<string, ThemeCode>(
  (Object.keys(THEME_LABELS.en) as ThemeCode[]).flatMap((code) =>
    [code, THEME_LABELS.en[code], THEME_LABELS.es[code]].map((name) => [name.toLowerCase(), code] as const),
  ),
);

/**
 * The optional `latitude` and `longitude` columns: both or neither, decimal degrees. Whether the point
 * lies in Durham (and in the row's neighborhood) is the subgraph's check, which has the boundaries.
 */
function point(latitudeText: string, longitudeText: string, problems: Problem[]) {
  if (!latitudeText && !longitudeText) return undefined;
  if (!latitudeText || !longitudeText) {
    problems.push({ key: 'csv.locationHalf' });
    return undefined;
  }
  const latitude = Number(latitudeText);
  const longitude = Number(longitudeText);
  if (
    !Number.isFinite(latitude) ||
    Math.abs(latitude) > 90 ||
    !Number.isFinite(longitude) ||
    Math.abs(longitude) > 180
  ) {
    problems.push({ key: 'csv.badLocation' });
    return undefined;
  }
  return { latitude, longitude };
}

/**
 * Checks every row before anything is sent, so staff see all row errors at once; the
 * subgraph validates again and stores the conversation in one transaction.
 */
export function validateConcernCsv(
  text: string,
  neighborhoods: { id: string; name: string; slug: string; nameEs?: string | null; aliases?: readonly string[] }[],
): CsvResult {
  const records = readCsvRecords(text.replace(/^\uFEFF/, '')).filter((r) => !isBlank(r));
  const [header, ...body] = records;
  if (!header) return { rows: [], fileProblems: [{ key: 'csv.noRows' }] };
  if (header.problem) return { rows: [], fileProblems: [{ key: header.problem }] };
  const columns = header.cells.map((h) => h.trim().toLowerCase());
  const at = (cells: string[], name: string) => {
    const index = columns.indexOf(name.toLowerCase());
    return index >= 0 ? (cells[index] ?? '').trim() : '';
  };
  if (!columns.includes('summary')) return { rows: [], fileProblems: [{ key: 'csv.noSummaryColumn' }] };
  if (body.length === 0) return { rows: [], fileProblems: [{ key: 'csv.noRows' }] };
  // Published English and Spanish names, demo-era aliases, slugs and ids, as the subgraph reads them.
  const byName = new Map(
    neighborhoods.flatMap((n) => [
      ...(n.aliases ?? []).map((alias) => [alias.toLowerCase(), n.id] as const),
      ...(n.nameEs ? [[n.nameEs.toLowerCase(), n.id] as const] : []),
      [n.name.toLowerCase(), n.id] as const,
      [n.slug.toLowerCase(), n.id] as const,
      [n.id, n.id] as const,
    ]),
  );
  const wholeNumber = (cells: string[], column: string, problem: MessageKey, problems: Problem[]) => {
    const text = at(cells, column);
    const value = text ? Number(text) : undefined;
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) problems.push({ key: problem });
    return value;
  };
  const rows = body.map(({ row, cells, text: written, problem }): ConcernRow => {
    if (problem) {
      return { line: row, written, input: { summary: '', themes: [], language: 'en' }, problems: [{ key: problem }] };
    }
    const problems: Problem[] = [];
    const summary = at(cells, 'summary');
    if (!summary) problems.push({ key: 'csv.summaryRequired' });
    else if (summary.length > 500) problems.push({ key: 'csv.summaryLong' });
    const themes: ThemeCode[] = [];
    for (const raw of at(cells, 'themes')
      .split(/[;|]/)
      .map((s) => s.trim())
      .filter(Boolean)) {
      const code = THEMES.get(raw.toLowerCase());
      if (code) themes.push(code);
      else problems.push({ key: 'csv.badTheme', value: raw });
    }
    const language = at(cells, 'language') || 'en';
    if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(language)) problems.push({ key: 'csv.badLanguage' });
    const place = at(cells, 'neighborhood');
    const neighborhoodId = place ? byName.get(place.toLowerCase()) : undefined;
    if (place && !neighborhoodId) problems.push({ key: 'csv.badNeighborhood', value: place });
    const supportCount = wholeNumber(cells, 'supportCount', 'csv.badSupport', problems);
    const mentionCount = wholeNumber(cells, 'mentionCount', 'csv.badMention', problems);
    const moderationText = at(cells, 'moderation').toUpperCase();
    const moderation = MODERATIONS.find((m) => m === moderationText);
    if (moderationText && !moderation) problems.push({ key: 'csv.badModeration' });
    const location = point(at(cells, 'latitude'), at(cells, 'longitude'), problems);
    const detail = at(cells, 'detail');
    return {
      line: row,
      input: {
        summary,
        ...(detail ? { detail } : {}),
        themes,
        language,
        ...(neighborhoodId ? { neighborhoodId } : {}),
        ...(supportCount !== undefined ? { supportCount } : {}),
        ...(mentionCount !== undefined ? { mentionCount } : {}),
        ...(moderation ? { moderation } : {}),
        ...(location ? { location } : {}),
      },
      problems,
    };
  });
  return { rows, fileProblems: [] };
}
