import { LEXICON, stem, words } from '@civic/alignment/text';
import { NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';
import { badInput } from '@civic/server-kit/errors';
import type { ResourcesPrisma } from '../db.ts';
import { Prisma } from '../generated/prisma/client.ts';
import type { OrganizationKind, ServiceStatus } from '../generated/prisma/enums.ts';
import { refreshCoverage } from './matching-coverage.ts';
import { neighborhoodCoverageIndex } from './matching-neighborhoods.ts';

/** Directory filters; all optional, combined with AND. */
export interface DirectoryFilter {
  text?: string | null;
  themes?: readonly string[] | null;
  neighborhoodId?: string | null;
  ward?: number | null;
  language?: string | null;
  organizationKinds?: readonly OrganizationKind[] | null;
  internal?: boolean | null;
  statuses?: readonly ServiceStatus[] | null;
}

export interface DirectoryPage {
  ids: string[];
  totalCount: number;
}

/**
 * SQL that is true when service `s` covers the neighborhood by its stored coverage, computed by
 * geometry (all of the city, a drawn extent holding half the neighborhood or more, a ward it
 * overlaps, the neighborhood listed or named): the same coverage suggestions and the equity gap
 * report use. Callers refresh stale coverage first (`refreshStaleCoverage`).
 */
export function coversNeighborhoodSql(neighborhoodId: string): Prisma.Sql {
  return Prisma.sql`(s."coverageCitywide" OR ${neighborhoodId}::text = ANY(s."coverageNeighborhoodIds"))`;
}

/**
 * SQL that is true when service `s` serves part of the council ward by its stored coverage: all of
 * the city, the ward listed, or a neighborhood it covers that overlaps the ward by geometry (a
 * neighborhood astride two wards counts for both). A polygon area thus serves the wards its
 * neighborhoods lie in, as the neighborhoodId filter and the equity gap report read it. Callers
 * refresh stale coverage first (`refreshStaleCoverage`).
 */
export function coversWardSql(ward: number): Prisma.Sql {
  const inWard = neighborhoodCoverageIndex()
    .neighborhoods.filter((n) => n.wards.includes(ward))
    .map((n) => n.id);
  return Prisma.sql`(s."coverageCitywide" OR ${ward}::int = ANY(s."serviceWards") OR s."coverageNeighborhoodIds" && ${inWard}::text[])`;
}

/** Recomputes the coverage of services whose area changed (the trigger marks them) before it is read. */
export async function refreshStaleCoverage(prisma: ResourcesPrisma): Promise<void> {
  const [row] = await prisma.$queryRaw<{ stale: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM "Service" WHERE NOT "coverageComputed") AS stale`;
  if (row?.stale) await refreshCoverage(prisma, neighborhoodCoverageIndex());
}

/**
 * The English words of the civic concepts a query names in Spanish, from the alignment engine's
 * bilingual lexicon: "vivienda" → housing, home, apartment…, so Spanish words find services whose
 * text is in English only. A phrase counts when all its words are in the query.
 */
export function englishEquivalents(text: string): string[] {
  const queryStems = new Set(words(text).map((word) => stem(word, 'es')));
  const forms = new Set<string>();
  for (const entry of LEXICON) {
    const named = entry.es.some((form) => {
      const stems = words(form).map((word) => stem(word, 'es'));
      return stems.length > 0 && stems.every((s) => queryStems.has(s));
    });
    if (named) for (const form of entry.en) forms.add(form);
  }
  return [...forms];
}

/** What a text query matches, as one tsquery per way of matching (English text, concepts named in Spanish). */
function englishQueries(text: string): Prisma.Sql[] {
  const queries = [Prisma.sql`websearch_to_tsquery('english', ${text})`];
  const equivalents = englishEquivalents(text);
  if (equivalents.length) {
    queries.push(
      Prisma.join(
        equivalents.map((form) => Prisma.sql`plainto_tsquery('english', ${form})`),
        ' || ',
      ),
    );
  }
  return queries;
}

/**
 * The service's Spanish versions (staff's or the machine's) of its text fields, stemmed as Spanish: a
 * resident typing "reparaciones" finds the services whose Spanish text says so.
 */
function spanishMatchSql(text: string): Prisma.Sql {
  return Prisma.sql`EXISTS (SELECT 1 FROM "ContentTranslation" t
    WHERE t."entity" = 'SERVICE' AND t."entityId" = s."id" AND t."language" = 'es'
      AND to_tsvector('spanish'::regconfig, t."text") @@ websearch_to_tsquery('spanish', ${text}))`;
}

function spanishRankSql(text: string): Prisma.Sql {
  return Prisma.sql`coalesce((SELECT max(ts_rank(to_tsvector('spanish'::regconfig, t."text"), websearch_to_tsquery('spanish', ${text})))
    FROM "ContentTranslation" t WHERE t."entity" = 'SERVICE' AND t."entityId" = s."id" AND t."language" = 'es'), 0)`;
}

function conditions(filter: DirectoryFilter): Prisma.Sql[] {
  const where: Prisma.Sql[] = [];
  const text = filter.text?.trim();
  if (text) {
    const english = englishQueries(text).map((query) => Prisma.sql`s."search" @@ (${query})`);
    where.push(Prisma.sql`(${Prisma.join([...english, spanishMatchSql(text)], ' OR ')})`);
  }
  if (filter.themes?.length) where.push(Prisma.sql`s."themes" && ${[...filter.themes]}::text[]`);
  if (filter.neighborhoodId) {
    const neighborhood = NEIGHBORHOODS.find((n) => n.id === filter.neighborhoodId);
    if (!neighborhood) {
      throw badInput('Unknown neighborhood', [
        { field: 'neighborhoodId', message: `No neighborhood ${filter.neighborhoodId}` },
      ]);
    }
    where.push(coversNeighborhoodSql(neighborhood.id));
  }
  if (filter.ward !== null && filter.ward !== undefined) {
    if (![1, 2, 3].includes(filter.ward)) {
      throw badInput('Unknown ward', [{ field: 'ward', message: 'Durham has council wards 1, 2 and 3' }]);
    }
    where.push(coversWardSql(filter.ward));
  }
  if (filter.language) {
    const primary = filter.language.split('-')[0] ?? filter.language;
    where.push(
      Prisma.sql`EXISTS (SELECT 1 FROM unnest(s."languages") AS l WHERE l = ${filter.language} OR split_part(l, '-', 1) = ${primary})`,
    );
  }
  if (filter.organizationKinds?.length) {
    where.push(Prisma.sql`o."kind"::text = ANY(${[...filter.organizationKinds]}::text[])`);
  }
  if (filter.internal === true) where.push(Prisma.sql`o."kind" = 'CITY_DEPARTMENT'`);
  if (filter.internal === false) where.push(Prisma.sql`o."kind" <> 'CITY_DEPARTMENT'`);
  if (filter.statuses?.length) where.push(Prisma.sql`s."status"::text = ANY(${[...filter.statuses]}::text[])`);
  return where;
}

/**
 * One page of the directory: ids in order (text relevance first when searching by text, in English
 * or in the Spanish translations, then name) and the total number of matches, in one statement.
 */
export async function searchDirectory(
  prisma: ResourcesPrisma,
  filter: DirectoryFilter,
  page: { limit: number; offset: number },
): Promise<DirectoryPage> {
  const where = conditions(filter);
  if (filter.neighborhoodId || (filter.ward !== null && filter.ward !== undefined)) await refreshStaleCoverage(prisma);
  const text = filter.text?.trim();
  const whereSql = where.length ? Prisma.sql`WHERE ${Prisma.join(where, ' AND ')}` : Prisma.empty;
  const rank = text
    ? Prisma.sql`greatest(${Prisma.join(
        englishQueries(text).map((query) => Prisma.sql`ts_rank(s."search", ${query})`),
        ', ',
      )}, ${spanishRankSql(text)}) DESC,`
    : Prisma.empty;
  const rows = await prisma.$queryRaw<{ id: string; total: number }[]>`
    SELECT s."id", (count(*) OVER ())::int AS "total"
    FROM "Service" s JOIN "Organization" o ON o."id" = s."organizationId"
    ${whereSql}
    ORDER BY ${rank} s."name", s."id"
    LIMIT ${page.limit} OFFSET ${page.offset}`;
  if (rows.length === 0 && page.offset > 0) {
    const [count] = await prisma.$queryRaw<{ total: number }[]>`
      SELECT (count(*))::int AS "total" FROM "Service" s JOIN "Organization" o ON o."id" = s."organizationId" ${whereSql}`;
    return { ids: [], totalCount: count?.total ?? 0 };
  }
  return { ids: rows.map((r) => r.id), totalCount: rows[0]?.total ?? 0 };
}
