import { NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';
import { THEMES } from '@civic/taxonomy/themes';
import type { ResourcesPrisma } from '../db.ts';
import { Prisma } from '../generated/prisma/client.ts';

/** What matching needs from a concern (the fields `@requires` brings from engagement). */
export interface ConcernForMatching {
  summary: string;
  detail: string | null;
  themes: readonly string[];
  language: string | null;
  ward: number | null;
  neighborhoodId: string | null;
}

export interface Suggestion {
  serviceId: string;
  score: number;
  reasons: string[];
}

/**
 * The score is a plain weighted sum, so every point can be explained by a reason:
 * each shared theme, the best area match (neighborhood > ward > citywide), the concern's
 * language when it is not English (nearly every service is offered in English, so English
 * tells services apart by nothing), and Postgres text relevance: ts_rank over the concern's words
 * (any of them), scaled so a rank of 0.1 — a strong match for a short text — scores the full weight.
 * Area weights are spaced so that, for the same themes, text alone never lifts a citywide service
 * above one that serves the concern's ward.
 */
export const WEIGHTS = {
  theme: 3,
  neighborhood: 2.5,
  ward: 2,
  citywide: 0.5,
  language: 1,
  text: 1,
} as const;

interface Row {
  idx: number;
  id: string;
  matched_themes: string[];
  serves_neighborhood: boolean;
  serves_ward: boolean;
  citywide: boolean;
  language_match: boolean;
  text_rank: number;
  score: number;
}

const THEME_LABEL = new Map<string, string>(THEMES.map((t) => [t.code, t.label.en]));
const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

function languageName(tag: string): string {
  try {
    return languageNames.of(tag) ?? tag;
  } catch {
    return tag;
  }
}

function reasonsFor(row: Row, concern: ConcernForMatching, ward: number | null): string[] {
  const reasons = row.matched_themes.map((code) => `Matches theme: ${THEME_LABEL.get(code) ?? code}`);
  if (row.serves_neighborhood) {
    const name = NEIGHBORHOODS.find((n) => n.id === concern.neighborhoodId)?.name ?? 'this neighborhood';
    reasons.push(`Serves ${name}`);
  } else if (row.serves_ward) reasons.push(`Serves ward ${ward}`);
  else if (row.citywide) reasons.push('Serves all of Durham');
  if (row.language_match && concern.language) reasons.push(`Offered in ${languageName(concern.language)}`);
  if (row.text_rank > 0) reasons.push("Description matches the concern's words");
  return reasons;
}

/** The concern's ward, from its neighborhood when engagement did not send one. */
function wardOf(concern: ConcernForMatching): number | null {
  if (concern.ward !== null && concern.ward !== undefined) return concern.ward;
  return NEIGHBORHOODS.find((n) => n.id === concern.neighborhoodId)?.ward ?? null;
}

/**
 * Suggestions for many concerns in one SQL statement: the concerns travel as parallel arrays
 * (bound parameters, user text included) and a LATERAL subquery ranks active services for each.
 * `q` is MATERIALIZED so each concern's tsquery is built once, not re-parsed for every service row,
 * and text relevance (ts_rank, the costly part) is computed only for services that can still make
 * the top `first` once it is added. For a concern whose words matched every one of 5,000 services,
 * the statement took 85 ms before; see bench/README.md for the figures after.
 * A service is a candidate when it serves the concern's area (or the concern has none) and shares
 * a theme or words with it.
 */
export async function suggestForConcerns(
  prisma: ResourcesPrisma,
  requests: readonly { concern: ConcernForMatching; first: number }[],
): Promise<Suggestion[][]> {
  if (requests.length === 0) return [];
  const wards = requests.map((r) => wardOf(r.concern));
  // Active services in the concern's area that also meet `where`, with what they score without text
  // (themes, area, language): the two kinds of candidate below.
  const scored = (themeCount: Prisma.Sql, where: Prisma.Sql) => Prisma.sql`
    SELECT y.*,
      ${WEIGHTS.theme}::float8 * y.theme_count
      + CASE WHEN y.serves_neighborhood THEN ${WEIGHTS.neighborhood}::float8
             WHEN y.serves_ward THEN ${WEIGHTS.ward}::float8
             WHEN y.citywide THEN ${WEIGHTS.citywide}::float8 ELSE 0 END
      + CASE WHEN y.language_match THEN ${WEIGHTS.language}::float8 ELSE 0 END AS base
    FROM (
      SELECT s."id", s."name", s."search", s."themes", ${themeCount} AS theme_count,
        coalesce(q.neighborhood_id = ANY(s."serviceNeighborhoodIds"), false) AS serves_neighborhood,
        coalesce(q.ward = ANY(s."serviceWards"), false) AS serves_ward,
        s."servesCitywide" AS citywide,
        (q.language <> 'en' AND EXISTS (
          SELECT 1 FROM unnest(s."languages") AS l WHERE split_part(l, '-', 1) = split_part(q.language, '-', 1)
        )) AS language_match
      FROM "Service" s
      WHERE s."status" = 'ACTIVE'
        AND (s."servesCitywide"
             OR q.neighborhood_id = ANY(s."serviceNeighborhoodIds")
             OR q.ward = ANY(s."serviceWards")
             OR (q.ward IS NULL AND q.neighborhood_id IS NULL))
        AND ${where}
      OFFSET 0 -- computed once per row, not again where the score repeats theme_count
    ) y`;
  const rows = await prisma.$queryRaw<Row[]>`
    WITH c AS (
      SELECT * FROM unnest(
        ${requests.map((_, i) => i)}::int[],
        ${requests.map((r) => r.concern.themes.join(','))}::text[],
        ${wards}::int[],
        ${requests.map((r) => r.concern.neighborhoodId ?? null)}::text[],
        ${requests.map((r) => r.concern.language ?? 'en')}::text[],
        ${requests.map((r) => `${r.concern.summary} ${r.concern.detail ?? ''}`)}::text[],
        ${requests.map((r) => r.first)}::int[]
      ) AS c(idx, themes_csv, ward, neighborhood_id, language, body, lim)
    ), q AS MATERIALIZED (
      SELECT c.*, coalesce(string_to_array(nullif(c.themes_csv, ''), ','), '{}') AS themes,
        nullif(replace(plainto_tsquery('english', c.body)::text, '&', '|'), '')::tsquery AS query
      FROM c
    )
    SELECT q.idx, m."id", m.serves_neighborhood, m.serves_ward, m.citywide, m.language_match,
      m.text_rank::float8 AS text_rank, m.score::float8 AS score,
      ARRAY(SELECT t FROM unnest(m."themes") AS t WHERE t = ANY(q.themes) ORDER BY t) AS matched_themes
    FROM q CROSS JOIN LATERAL (
      WITH themed AS MATERIALIZED (
        ${scored(
          Prisma.sql`(SELECT count(*) FROM unnest(s."themes") AS t WHERE t = ANY(q.themes))::int`,
          Prisma.sql`s."themes" && q.themes`,
        )}
      ), cut AS (
        -- Text adds at most its weight, so a service whose score without text is below the lim-th
        -- best theme match's by more than that can never reach the top lim: it is not ranked at all.
        SELECT coalesce((SELECT base FROM themed ORDER BY base DESC OFFSET greatest(q.lim - 1, 0) LIMIT 1), 0)
          - ${WEIGHTS.text}::float8 AS floor
      ), candidates AS (
        SELECT themed.* FROM themed, cut WHERE themed.base >= cut.floor
        UNION ALL
        -- Services that share only words: worth reading only when such a score can reach the cut.
        SELECT words_only.* FROM (
          ${scored(Prisma.sql`0`, Prisma.sql`q.query IS NOT NULL AND s."search" @@ q.query AND NOT (s."themes" && q.themes)`)}
        ) words_only, cut
        WHERE cut.floor <= ${WEIGHTS.neighborhood + WEIGHTS.language}::float8 AND words_only.base >= cut.floor
      )
      SELECT candidates.*, r.text_rank, candidates.base + ${WEIGHTS.text}::float8 * r.text_rank AS score
      FROM candidates CROSS JOIN LATERAL (
        SELECT CASE WHEN q.query IS NULL THEN 0 ELSE least(ts_rank(candidates."search", q.query) / 0.1, 1) END AS text_rank
      ) r
      ORDER BY score DESC, candidates."name", candidates."id"
      LIMIT q.lim
    ) m
    ORDER BY q.idx, m.score DESC, m."name", m."id"`;
  const result: Suggestion[][] = requests.map(() => []);
  for (const row of rows) {
    const request = requests[row.idx];
    if (!request) continue;
    result[row.idx]?.push({
      serviceId: row.id,
      score: Math.round(Number(row.score) * 1000) / 1000,
      reasons: reasonsFor(row, request.concern, wards[row.idx] ?? null),
    });
  }
  return result;
}
