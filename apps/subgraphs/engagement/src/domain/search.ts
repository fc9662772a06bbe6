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
  const where = [Prisma.sql`c."search" @@ websearch_to_tsquery('english', ${words})`];
  if (narrowing.visibleToPublicOnly) where.push(Prisma.sql`c."published" AND c."moderation" = 'ACCEPTED'`);
  if (narrowing.moderation) where.push(Prisma.sql`c."moderation"::text = ${narrowing.moderation}`);
  if (narrowing.themes?.length) where.push(Prisma.sql`c."themes" && ${[...narrowing.themes]}::text[]`);
  if (narrowing.status?.length) where.push(Prisma.sql`c."status"::text = ANY(${[...narrowing.status]}::text[])`);
  if (narrowing.neighborhoodId) where.push(Prisma.sql`c."neighborhoodId" = ${narrowing.neighborhoodId}`);
  if (narrowing.ward != null) {
    where.push(
      Prisma.sql`c."neighborhoodId" IN (SELECT n."id" FROM "Neighborhood" n WHERE n."ward" = ${narrowing.ward})`,
    );
  }
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT c."id" FROM "Concern" c WHERE ${Prisma.join(where, ' AND ')}`;
  return rows.map((r) => r.id);
}

export async function searchConversationIds(prisma: EngagementPrisma, words: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Conversation" WHERE "search" @@ websearch_to_tsquery('english', ${words})`;
  return rows.map((r) => r.id);
}
