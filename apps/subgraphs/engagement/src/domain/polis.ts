import { type Place, Problems, readCsvTable, readKeyValueCsv, wholeNumber } from './import-csv.ts';
import type { ImportedConversation } from './imports.ts';
import { LIMITS } from './input-rules.ts';

/** Polis's `moderated` column: 1 accepted, -1 rejected (hidden, never public), 0 not yet moderated. */
export const POLIS_MODERATION = { '1': 'ACCEPTED', '-1': 'REJECTED', '0': 'PENDING' } as const;
export type Moderation = (typeof POLIS_MODERATION)[keyof typeof POLIS_MODERATION];

export const POLIS_ATTRIBUTION =
  'Data was gathered using the Polis software (compdemocracy.org/polis) and is sub-licensed under CC BY 4.0 with Attribution to The Computational Democracy Project.';
export const POLIS_LICENSE = 'CC BY 4.0';

const SUMMARY = 'summary.csv';
const COMMENTS = 'comments.csv';
const COMMENT_COLUMNS = ['timestamp', 'comment-id', 'agrees', 'disagrees', 'moderated', 'comment-body'] as const;
const SUMMARY_NUMBERS = ['views', 'voters', 'voters-in-conv', 'commenters', 'comments', 'groups'] as const;

export interface PolisSummary {
  topic: string;
  url: string | null;
  description: string | null;
  /** Residents who voted (Polis "voters"). */
  participants: number;
  /** The row of each key, to name it in errors. */
  rows: Map<string, number>;
}

export interface PolisComment {
  row: number;
  commentId: string;
  authorId: string;
  timestamp: Date;
  agrees: number;
  disagrees: number;
  moderation: Moderation;
  body: string;
}

/** summary.csv: key,value lines without a header. */
export function parsePolisSummary(text: string, problems = new Problems()): PolisSummary {
  const values = readKeyValueCsv(SUMMARY, text);
  const numbers: Record<string, number> = {};
  for (const key of SUMMARY_NUMBERS) {
    const entry = values.get(key);
    if (!entry || entry.value === '') continue;
    const n = wholeNumber(entry.value);
    if (typeof n === 'string') problems.add({ file: SUMMARY, row: entry.row, field: key }, n);
    else numbers[key] = n;
  }
  const topic = values.get('topic');
  if (!topic?.value) problems.add({ file: SUMMARY, row: topic?.row, field: 'topic' }, 'is required (the title)');
  const url = values.get('url');
  if (url?.value && !/^https?:\/\/\S+$/.test(url.value)) {
    problems.add({ file: SUMMARY, row: url.row, field: 'url' }, 'must be an http or https URL');
  }
  return {
    topic: topic?.value ?? '',
    url: url?.value || null,
    description: values.get('conversation-description')?.value || null,
    participants: numbers.voters ?? numbers['voters-in-conv'] ?? 0,
    rows: new Map([...values].map(([key, v]) => [key, v.row])),
  };
}

/** comments.csv: one statement per row, with its votes and moderation. */
export function parsePolisComments(text: string, problems = new Problems()): PolisComment[] {
  const rows = readCsvTable(COMMENTS, text, COMMENT_COLUMNS);
  const seen = new Map<string, number>();
  const comments: PolisComment[] = [];
  for (const r of rows) {
    const at = (field: string): Place => ({ file: COMMENTS, row: r.row, field });
    let ok = true;
    const fail = (field: string, message: string) => {
      problems.add(at(field), message);
      ok = false;
    };
    const commentId = r.get('comment-id');
    if (!commentId) fail('comment-id', 'must not be empty');
    else if (seen.has(commentId)) fail('comment-id', `repeats the comment of row ${seen.get(commentId)}`);
    else seen.set(commentId, r.row);
    const ms = wholeNumber(r.get('timestamp'));
    if (typeof ms === 'string') fail('timestamp', ms === 'not a number' ? 'not a timestamp' : ms);
    const counts: Record<string, number> = {};
    for (const field of ['agrees', 'disagrees']) {
      const n = wholeNumber(r.get(field));
      if (typeof n === 'string') fail(field, n);
      else counts[field] = n;
    }
    const moderation = POLIS_MODERATION[r.get('moderated') as keyof typeof POLIS_MODERATION];
    if (!moderation) fail('moderated', 'must be 1 (accepted), -1 (rejected) or 0 (not moderated)');
    const body = r.get('comment-body');
    if (!body) fail('comment-body', 'must not be empty');
    else if (body.length > LIMITS.detail) fail('comment-body', `must be at most ${LIMITS.detail} characters`);
    if (!ok) continue;
    comments.push({
      row: r.row,
      commentId,
      authorId: r.get('author-id'),
      timestamp: new Date(ms as number),
      agrees: counts.agrees ?? 0,
      disagrees: counts.disagrees ?? 0,
      moderation: moderation as Moderation,
      body,
    });
  }
  if (rows.length === 0) problems.add({ file: COMMENTS }, 'has no statements');
  return comments;
}

/** Both files of an export, every problem of both reported at once. */
export function readPolisExport(summaryCsv: string, commentsCsv: string) {
  const problems = new Problems();
  const summary = parsePolisSummary(summaryCsv, problems);
  const comments = parsePolisComments(commentsCsv, problems);
  problems.throwIfAny();
  return { summary, comments };
}

const RANK: Record<Moderation, number> = { REJECTED: 0, PENDING: 1, ACCEPTED: 2 };

/** The id Polis gives a conversation: the last part of its URL (https://pol.is/9wtchdmmun). */
export function polisConversationId(url: string | null): string | null {
  const match = url ? /\/([A-Za-z0-9_-]+)\/?$/.exec(url) : null;
  return match?.[1] ?? null;
}

/**
 * A Polis export as a conversation: accepted statements become public concerns, rejected ones
 * are kept hidden, unmoderated ones wait for moderation; agrees become support. The same
 * statement posted twice is one concern raised twice (its votes added up).
 */
export function polisConversation(summaryCsv: string, commentsCsv: string, externalId?: string | null) {
  const { summary, comments } = readPolisExport(summaryCsv, commentsCsv);
  const id = externalId?.trim() || polisConversationId(summary.url);
  if (!id) {
    const problems = new Problems();
    problems.add(
      { file: SUMMARY, row: summary.rows.get('url'), field: 'url' },
      'is needed to identify the conversation (or give an external id)',
    );
    problems.throwIfAny();
  }
  const ordered = [...comments].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime() || a.row - b.row);
  const groups = new Map<string, PolisComment[]>();
  for (const c of ordered) {
    const key = c.body.toLowerCase();
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const statements = [...groups.values()].map((same) => same[0] as PolisComment);
  const merged = [...groups.values()];
  const summaryRow = (key: string) => summary.rows.get(key);
  const firstRow = ordered[0]?.row;
  const imported: ImportedConversation = {
    input: {
      title: summary.topic,
      heldOn: ordered[0]?.timestamp ?? new Date(Number.NaN),
      host: null,
      languages: ['en'],
      format: 'ONLINE',
      participantCount: summary.participants,
      summary: summary.description,
      neighborhoodIds: [],
      source: {
        kind: 'POLIS',
        externalId: id as string,
        url: summary.url,
        attribution: POLIS_ATTRIBUTION,
        license: POLIS_LICENSE,
      },
      concerns: merged.map((same) => {
        const first = same[0] as PolisComment;
        return {
          summary: first.body.length > LIMITS.summary ? `${first.body.slice(0, LIMITS.summary - 1)}…` : first.body,
          detail: first.body.length > LIMITS.summary ? first.body : null,
          // Left to the alignment worker (automatic tags); themes given here would count as staff tags.
          themes: [],
          language: 'en',
          neighborhoodId: null,
          supportCount: same.reduce((sum, c) => sum + c.agrees, 0),
          mentionCount: same.length,
          moderation: same.reduce(
            (best, c) => (RANK[c.moderation] > RANK[best] ? c.moderation : best),
            first.moderation,
          ),
        };
      }),
    },
    concernKeys: statements.map((c) => ({ key: c.commentId, sourceExternalId: c.commentId, createdAt: c.timestamp })),
    themesFromSource: false,
    locate(path) {
      const [head, index, field] = path;
      if (head === 'concerns' && typeof index === 'number') {
        const c = statements[index];
        const column = field === 'supportCount' ? 'agrees' : field === 'moderation' ? 'moderated' : 'comment-body';
        return { file: COMMENTS, row: c?.row, field: column };
      }
      if (head === 'concerns') return { file: COMMENTS };
      if (head === 'heldOn') return { file: COMMENTS, row: firstRow, field: 'timestamp' };
      const key =
        head === 'participantCount'
          ? 'voters'
          : head === 'summary'
            ? 'conversation-description'
            : head === 'source'
              ? 'url'
              : 'topic';
      return { file: SUMMARY, row: summaryRow(key), field: key };
    },
  };
  return imported;
}
