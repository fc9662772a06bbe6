import type { MessageKey } from '../i18n/messages.ts';
import { THEME_LABELS, type ThemeCode } from '../i18n/messages.ts';

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((cell) => cell.trim() !== ''));
}

export interface Problem {
  key: MessageKey;
  value?: string;
}

export interface ConcernRow {
  line: number;
  input: {
    summary: string;
    detail?: string;
    themes: ThemeCode[];
    language: string;
    neighborhoodId?: string;
    supportCount?: number;
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
 * Checks every row before anything is sent, so staff see all row errors at once; the
 * subgraph validates again and stores the conversation in one transaction.
 */
export function validateConcernCsv(
  text: string,
  neighborhoods: { id: string; name: string; slug: string; nameEs?: string | null; aliases?: readonly string[] }[],
): CsvResult {
  const [header, ...body] = parseCsv(text.replace(/^\uFEFF/, ''));
  if (!header) return { rows: [], fileProblems: [{ key: 'csv.noRows' }] };
  const columns = header.map((h) => h.trim().toLowerCase());
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
  const rows = body.map((cells, index): ConcernRow => {
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
    const supportText = at(cells, 'supportCount');
    const supportCount = supportText ? Number(supportText) : undefined;
    if (supportCount !== undefined && !(Number.isInteger(supportCount) && supportCount >= 0)) {
      problems.push({ key: 'csv.badSupport' });
    }
    const detail = at(cells, 'detail');
    return {
      line: index + 2,
      input: {
        summary,
        ...(detail ? { detail } : {}),
        themes,
        language,
        ...(neighborhoodId ? { neighborhoodId } : {}),
        ...(supportCount !== undefined ? { supportCount } : {}),
      },
      problems,
    };
  });
  return { rows, fileProblems: [] };
}
