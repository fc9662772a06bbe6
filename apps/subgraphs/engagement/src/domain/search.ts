import type { EngagementPrisma } from '../db.ts';

/**
 * Ids of rows whose generated "search" column matches the words (websearch syntax: quotes,
 * OR, -word). The text is a bound parameter, never spliced into the SQL.
 */
export async function searchConcernIds(prisma: EngagementPrisma, words: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Concern" WHERE "search" @@ websearch_to_tsquery('english', ${words})`;
  return rows.map((r) => r.id);
}

export async function searchConversationIds(prisma: EngagementPrisma, words: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Conversation" WHERE "search" @@ websearch_to_tsquery('english', ${words})`;
  return rows.map((r) => r.id);
}
