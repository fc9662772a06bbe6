import type { EngagementPrisma } from '../db.ts';
import { Prisma } from '../generated/prisma/client.ts';

/** Conditions of the same list filter that also narrow the full-text match (all are ANDed anyway). */
export interface ConcernSearchNarrowing {
  visibleToPublicOnly?: boolean;
  themes?: readonly string[];
  status?: readonly string[];
  ward?: number;
  neighborhoodId?: string;
  moderation?: string;
  equityPriority?: boolean;
}

function searchConditions(words: string, narrowing: ConcernSearchNarrowing): Prisma.Sql {
  const where = [Prisma.sql`c."search" @@ websearch_to_tsquery('english', ${words})`];
  // The facets (kept by a trigger) let one GIN index apply visibility, ward, neighborhood and themes
  // before rows are read. Visibility, ward and neighborhood are tested on the columns as well, so
  // privacy never rests on the trigger alone; themes only on the facets (with a second themes test
  // the planner chose the themes index over the text index and read twice the rows).
  const required: string[] = [];
  if (narrowing.visibleToPublicOnly) {
    required.push('visible:public');
    where.push(Prisma.sql`c."published" AND c."moderation" = 'ACCEPTED'`);
  }
  if (narrowing.moderation) where.push(Prisma.sql`c."moderation"::text = ${narrowing.moderation}`);
  if (narrowing.themes?.length) {
    where.push(Prisma.sql`c."facets" && ${narrowing.themes.map((t) => `theme:${t}`)}::text[]`);
  }
  if (narrowing.status?.length) where.push(Prisma.sql`c."status"::text = ANY(${[...narrowing.status]}::text[])`);
  if (narrowing.neighborhoodId) {
    required.push(`neighborhood:${narrowing.neighborhoodId}`);
    where.push(Prisma.sql`c."neighborhoodId" = ${narrowing.neighborhoodId}`);
  }
  if (narrowing.ward != null) {
    required.push(`ward:${narrowing.ward}`);
    where.push(
      Prisma.sql`c."neighborhoodId" IN (SELECT n."id" FROM "Neighborhood" n WHERE n."ward" = ${narrowing.ward})`,
    );
  }
  if (narrowing.equityPriority != null) {
    if (narrowing.equityPriority) required.push('equity:priority');
    where.push(
      Prisma.sql`c."neighborhoodId" IN (SELECT n."id" FROM "Neighborhood" n WHERE n."equityPriority" = ${narrowing.equityPriority})`,
    );
  }
  if (required.length) where.push(Prisma.sql`c."facets" @> ${required}::text[]`);
  return Prisma.join(where, ' AND ');
}

/**
 * Ids of rows whose generated "search" column matches the words (websearch syntax: quotes,
 * OR, -word). The text is a bound parameter, never spliced into the SQL. The other conditions of
 * the filter are applied here too, so the id list handed back to the list query holds only rows
 * that can be on it (a common word would otherwise return a large share of the table).
 */
export async function searchConcernIds(
  prisma: EngagementPrisma,
  words: string,
  narrowing: ConcernSearchNarrowing = {},
): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT c."id" FROM "Concern" c WHERE ${searchConditions(words, narrowing)}`;
  return rows.map((r) => r.id);
}

/** A page as Prisma's cursor pagination asks for it (negative `take` pages backwards from the cursor). */
export interface SearchPageRequest {
  order: 'NEWEST' | 'MOST_SUPPORTED';
  take: number;
  skip: number;
  cursorId?: string;
}

// Each order, forwards and backwards, with the rows at or past the cursor row in that direction.
const PAGE_ORDERS = {
  NEWEST: {
    forward: [
      Prisma.sql`m."createdAt" DESC, m."id" DESC`,
      Prisma.sql`(m."createdAt", m."id") <= (cur."createdAt", cur."id")`,
    ],
    backward: [
      Prisma.sql`m."createdAt" ASC, m."id" ASC`,
      Prisma.sql`(m."createdAt", m."id") >= (cur."createdAt", cur."id")`,
    ],
  },
  MOST_SUPPORTED: {
    forward: [
      Prisma.sql`m."supportCount" DESC, m."id" ASC`,
      Prisma.sql`(m."supportCount" < cur."supportCount" OR (m."supportCount" = cur."supportCount" AND m."id" >= cur."id"))`,
    ],
    backward: [
      Prisma.sql`m."supportCount" ASC, m."id" DESC`,
      Prisma.sql`(m."supportCount" > cur."supportCount" OR (m."supportCount" = cur."supportCount" AND m."id" <= cur."id"))`,
    ],
  },
} as const;

/**
 * A full-text search that is the whole filter, answered in one statement: the number of matches,
 * and the ids of only the rows Prisma's pagination can return (the cursor row and the `skip` +
 * `|take|` matches from it in the page's direction). Running the same pagination over those few
 * ids gives the same page as over every match, without sending thousands of ids back as an IN list.
 */
export async function searchConcernPage(
  prisma: EngagementPrisma,
  words: string,
  narrowing: ConcernSearchNarrowing,
  page: SearchPageRequest,
): Promise<{ ids: string[]; total: number }> {
  const [orderBy, atOrPastCursor] = PAGE_ORDERS[page.order][page.take < 0 ? 'backward' : 'forward'];
  const limit = page.skip + Math.abs(page.take);
  const fromCursor = page.cursorId
    ? Prisma.sql`JOIN (SELECT "id", "createdAt", "supportCount" FROM "Concern" WHERE "id" = ${page.cursorId}) cur ON ${atOrPastCursor}`
    : Prisma.empty;
  const [row] = await prisma.$queryRaw<{ total: number; ids: string[] }[]>`
    WITH m AS MATERIALIZED (
      SELECT c."id", c."createdAt", c."supportCount" FROM "Concern" c WHERE ${searchConditions(words, narrowing)}
    )
    SELECT (SELECT count(*) FROM m)::int AS total,
      ARRAY(SELECT m."id" FROM m ${fromCursor} ORDER BY ${orderBy} LIMIT ${limit}) AS ids`;
  return { ids: row?.ids ?? [], total: row?.total ?? 0 };
}

export async function searchConversationIds(prisma: EngagementPrisma, words: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Conversation" WHERE "search" @@ websearch_to_tsquery('english', ${words})`;
  return rows.map((r) => r.id);
}
