import { THEMES } from '@civic/taxonomy/themes';
import { type CsvRow, type Place, Problems, readCsvTable, wholeNumber } from './import-csv.ts';
import type { ImportedConversation } from './imports.ts';

/**
 * The staff CSV template (docs/csv-template.md): one row per concern, the conversation's columns
 * repeated on each of its rows. The concern columns are the web client's CSV upload columns, so
 * one file serves both.
 */
export const CONVERSATION_COLUMNS = [
  'conversationKey',
  'conversationTitle',
  'heldOn',
  'format',
  'host',
  'conversationLanguages',
  'participantCount',
  'conversationSummary',
  'conversationNeighborhoods',
] as const;
export const CONCERN_COLUMNS = [
  'summary',
  'detail',
  'themes',
  'language',
  'neighborhood',
  'latitude',
  'longitude',
  'supportCount',
  'mentionCount',
  'moderation',
] as const;
const REQUIRED = ['conversationKey', 'conversationTitle', 'heldOn', 'format', 'summary'] as const;
export const MAX_CSV_ROWS = 20_000;

const FORMATS = new Set(['IN_PERSON', 'VIRTUAL', 'HYBRID', 'ONLINE']);
const MODERATIONS = new Set(['ACCEPTED', 'REJECTED', 'PENDING']);
const THEME_BY_NAME = new Map(
  THEMES.flatMap((t) => [t.code, t.label.en, t.label.es].map((name) => [name.toLowerCase(), t.code] as const)),
);

/** Which field of the conversation input each column feeds, to name columns in errors. */
const CONVERSATION_FIELD_COLUMN: Record<string, string> = {
  title: 'conversationTitle',
  heldOn: 'heldOn',
  format: 'format',
  host: 'host',
  languages: 'conversationLanguages',
  participantCount: 'participantCount',
  summary: 'conversationSummary',
  neighborhoodIds: 'conversationNeighborhoods',
  source: 'conversationKey',
};
const CONCERN_FIELD_COLUMN: Record<string, string> = {
  summary: 'summary',
  detail: 'detail',
  themes: 'themes',
  language: 'language',
  neighborhoodId: 'neighborhood',
  location: 'latitude',
  supportCount: 'supportCount',
  mentionCount: 'mentionCount',
  moderation: 'moderation',
};

export type NeighborhoodLookup = (nameSlugOrId: string) => string | undefined;

const list = (text: string) =>
  text
    .split(/[;|]/)
    .map((s) => s.trim())
    .filter(Boolean);

/** "2026-10-14" (midnight UTC) or a full ISO date-time. */
function parseDate(text: string): Date | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const d = new Date(`${text}T00:00:00.000Z`);
    return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text ? null : d;
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const d = new Date(text);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

/** The optional latitude and longitude columns of a row: both or neither, decimal degrees (WGS84). */
function pointOf(
  r: CsvRow,
  cell: (column: string) => Place,
  problems: Problems,
): { latitude: number; longitude: number } | null {
  const latitude = r.get('latitude');
  const longitude = r.get('longitude');
  if (!latitude && !longitude) return null;
  if (!latitude || !longitude) {
    problems.add(cell(latitude ? 'longitude' : 'latitude'), 'give both latitude and longitude, or neither');
    return null;
  }
  const values = { latitude: Number(latitude), longitude: Number(longitude) };
  let valid = true;
  for (const column of ['latitude', 'longitude'] as const) {
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(r.get(column)) || !Number.isFinite(values[column])) {
      problems.add(cell(column), 'must be a number in decimal degrees, e.g. 35.9940 or -78.8986');
      valid = false;
    }
  }
  return valid ? values : null;
}

interface Group {
  key: string;
  rows: CsvRow[];
  /** Conversation column → the first row giving it and its value. */
  values: Map<string, { row: number; value: string }>;
}

/** Reads the template into conversations, every row problem (row + column) reported at once. */
export function readConversationsCsv(
  file: string,
  text: string,
  neighborhood: NeighborhoodLookup,
): ImportedConversation[] {
  const rows = readCsvTable(file, text, REQUIRED);
  const problems = new Problems();
  if (rows.length === 0) problems.add({ file }, 'has no rows under its header');
  if (rows.length > MAX_CSV_ROWS) problems.add({ file }, `has more than ${MAX_CSV_ROWS} rows`);
  problems.throwIfAny();

  const groups = new Map<string, Group>();
  for (const r of rows) {
    const key = r.get('conversationKey');
    if (!key) {
      problems.add({ file, row: r.row, field: 'conversationKey' }, 'must not be empty');
      continue;
    }
    let group = groups.get(key);
    if (!group) {
      group = { key, rows: [], values: new Map() };
      groups.set(key, group);
    }
    group.rows.push(r);
    for (const column of CONVERSATION_COLUMNS) {
      const value = r.get(column);
      if (!value) continue;
      const first = group.values.get(column);
      if (!first) group.values.set(column, { row: r.row, value });
      else if (first.value !== value) {
        problems.add(
          { file, row: r.row, field: column },
          `differs from row ${first.row} of conversation "${key}" ("${first.value}")`,
        );
      }
    }
  }

  const conversations = [...groups.values()].map((group): ImportedConversation => {
    const firstRow = group.rows[0]?.row;
    const value = (column: string) => group.values.get(column)?.value ?? '';
    const rowOf = (column: string) => group.values.get(column)?.row ?? firstRow;
    const at = (column: string) => ({ file, row: rowOf(column), field: column });

    for (const column of ['conversationTitle', 'heldOn', 'format']) {
      if (!value(column)) problems.add(at(column), `must be given on a row of conversation "${group.key}"`);
    }
    const heldOn = value('heldOn') ? parseDate(value('heldOn')) : null;
    if (value('heldOn') && !heldOn) problems.add(at('heldOn'), 'must be a date as YYYY-MM-DD');
    const format = value('format')
      .toUpperCase()
      .replace(/[\s-]+/g, '_');
    if (value('format') && !FORMATS.has(format)) {
      problems.add(at('format'), 'must be IN_PERSON, VIRTUAL, HYBRID or ONLINE');
    }
    let participantCount: number | undefined;
    if (value('participantCount')) {
      const n = wholeNumber(value('participantCount'));
      if (typeof n === 'string') problems.add(at('participantCount'), n);
      else participantCount = n;
    }
    const neighborhoodIds: string[] = [];
    for (const name of list(value('conversationNeighborhoods'))) {
      const id = neighborhood(name);
      if (id) neighborhoodIds.push(id);
      else problems.add(at('conversationNeighborhoods'), `no neighborhood is called "${name}"`);
    }

    const concerns = group.rows.map((r) => {
      const cell = (column: string) => ({ file, row: r.row, field: column });
      const themes: string[] = [];
      for (const name of list(r.get('themes'))) {
        const code = THEME_BY_NAME.get(name.toLowerCase());
        if (code) themes.push(code);
        else problems.add(cell('themes'), `"${name}" is not a theme`);
      }
      const place = r.get('neighborhood');
      const neighborhoodId = place ? neighborhood(place) : null;
      if (place && !neighborhoodId) problems.add(cell('neighborhood'), `no neighborhood is called "${place}"`);
      const location = pointOf(r, cell, problems);
      const counts: Record<string, number> = {};
      for (const column of ['supportCount', 'mentionCount']) {
        if (!r.get(column)) continue;
        const n = wholeNumber(r.get(column));
        if (typeof n === 'string') problems.add(cell(column), n);
        else counts[column] = n;
      }
      const moderation = (r.get('moderation') || 'PENDING').toUpperCase();
      if (!MODERATIONS.has(moderation)) problems.add(cell('moderation'), 'must be ACCEPTED, REJECTED or PENDING');
      return {
        summary: r.get('summary'),
        detail: r.get('detail') || null,
        themes,
        language: r.get('language') || 'en',
        neighborhoodId: neighborhoodId ?? null,
        location,
        ...(counts.supportCount !== undefined ? { supportCount: counts.supportCount } : {}),
        ...(counts.mentionCount !== undefined ? { mentionCount: counts.mentionCount } : {}),
        moderation,
      };
    });

    return {
      input: {
        title: value('conversationTitle'),
        heldOn: heldOn ?? new Date(Number.NaN),
        host: value('host') || null,
        ...(value('conversationLanguages') ? { languages: list(value('conversationLanguages')) } : {}),
        format,
        ...(participantCount !== undefined ? { participantCount } : {}),
        summary: value('conversationSummary') || null,
        neighborhoodIds,
        source: { kind: 'CSV', externalId: group.key },
        concerns,
      },
      concernKeys: concerns.map((c) => ({ key: c.summary.toLowerCase(), sourceExternalId: null })),
      themesFromSource: true,
      locate(path) {
        const [head, index, field] = path;
        if (head === 'concerns' && typeof index === 'number') {
          const column =
            field === 'location' && path[3] === 'longitude' ? 'longitude' : CONCERN_FIELD_COLUMN[String(field)];
          return { file, row: group.rows[index]?.row, field: column ?? 'summary' };
        }
        if (head === 'concerns') return { file, row: firstRow, field: 'summary' };
        const column = CONVERSATION_FIELD_COLUMN[String(head)] ?? 'conversationKey';
        return at(column);
      },
    };
  });
  problems.throwIfAny();
  return conversations;
}
