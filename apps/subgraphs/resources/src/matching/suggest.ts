import { NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';
import { THEMES } from '@civic/taxonomy/themes';
import type { ResourcesPrisma } from '../db.ts';

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
 * A service is a candidate when it serves the concern's area (or the concern has none) and shares
 * a theme or words with it.
 */
export async function suggestForConcerns(
  prisma: ResourcesPrisma,
  requests: readonly { concern: ConcernForMatching; first: number }[],
): Promise<Suggestion[][]> {
  if (requests.length === 0) return [];
  const wards = requests.map((r) => wardOf(r.concern));
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
    ), q AS (
      SELECT c.*, string_to_array(nullif(c.themes_csv, ''), ',') AS themes,
        nullif(replace(plainto_tsquery('english', c.body)::text, '&', '|'), '') AS query_text
      FROM c
    )
    SELECT q.idx, m."id", m.matched_themes, m.serves_neighborhood, m.serves_ward, m.citywide,
      m.language_match, m.text_rank::float8 AS text_rank, m.score::float8 AS score
    FROM q CROSS JOIN LATERAL (
      SELECT x.*,
        ${WEIGHTS.theme}::float8 * cardinality(x.matched_themes)
        + CASE WHEN x.serves_neighborhood THEN ${WEIGHTS.neighborhood}::float8
               WHEN x.serves_ward THEN ${WEIGHTS.ward}::float8
               WHEN x.citywide THEN ${WEIGHTS.citywide}::float8 ELSE 0 END
        + CASE WHEN x.language_match THEN ${WEIGHTS.language}::float8 ELSE 0 END
        + ${WEIGHTS.text}::float8 * x.text_rank AS score
      FROM (
        SELECT s."id", s."name",
          ARRAY(SELECT t FROM unnest(s."themes") AS t WHERE t = ANY(coalesce(q.themes, '{}')) ORDER BY t) AS matched_themes,
          coalesce(q.neighborhood_id = ANY(s."serviceNeighborhoodIds"), false) AS serves_neighborhood,
          coalesce(q.ward = ANY(s."serviceWards"), false) AS serves_ward,
          s."servesCitywide" AS citywide,
          (q.language <> 'en' AND EXISTS (
            SELECT 1 FROM unnest(s."languages") AS l WHERE split_part(l, '-', 1) = split_part(q.language, '-', 1)
          )) AS language_match,
          CASE WHEN q.query_text IS NULL THEN 0
               ELSE least(ts_rank(s."search", q.query_text::tsquery) / 0.1, 1) END AS text_rank
        FROM "Service" s
        WHERE s."status" = 'ACTIVE'
          AND (s."servesCitywide"
               OR q.neighborhood_id = ANY(s."serviceNeighborhoodIds")
               OR q.ward = ANY(s."serviceWards")
               OR (q.ward IS NULL AND q.neighborhood_id IS NULL))
          AND (s."themes" && coalesce(q.themes, '{}')
               OR (q.query_text IS NOT NULL AND s."search" @@ q.query_text::tsquery))
      ) x
      ORDER BY score DESC, x."name", x."id"
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
