import { randomBytes } from 'node:crypto';
import type { Concern, Prisma } from '../generated/prisma/client.ts';

/** Time-ordered UUID v7 ids (what Prisma's uuid(7) default gives), ascending in the order asked for. */
export function uuid7s(count: number, now = Date.now()): string[] {
  return Array.from({ length: count }, (_, i) => {
    const bytes = randomBytes(16);
    bytes.writeUIntBE(now + Math.floor(i / 4096), 0, 6);
    bytes[6] = 0x70 | ((i % 4096) >> 8);
    bytes[7] = (i % 4096) & 0xff;
    bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f);
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  });
}

type ConcernRow = Prisma.ConcernCreateManyInput & { conversationId: string; themes: string[] };

/**
 * Inserts concerns, each with its first status-history entry, and returns them. The rows pass as
 * one JSON parameter: a createMany of a whole Polis export binds some 15,000 values, which takes
 * seconds on PGlite, where this takes a fraction of one.
 */
export async function insertConcerns(
  tx: Prisma.TransactionClient,
  rows: ConcernRow[],
  actor: string | null,
): Promise<Concern[]> {
  // A row may bring its own id (the demo seed's stable ids); the others get new ones.
  const fresh = uuid7s(rows.length);
  const ids = rows.map((r, i) => r.id ?? (fresh[i] as string));
  const json = JSON.stringify(
    rows.map((r, i) => ({ ...r, id: ids[i], themes: `{${r.themes.map((t) => `"${t}"`).join(',')}}` })),
  );
  await tx.$executeRaw`
    INSERT INTO "Concern" ("id", "summary", "detail", "themes", "language", "moderation", "published", "supportCount",
      "mentionCount", "neighborhoodId", "conversationId", "sourceExternalId", "contactName", "contactEmail",
      "contactPhone", "latitude", "longitude", "createdAt", "updatedAt")
    SELECT "id", "summary", "detail", "themes"::text[], coalesce("language", 'en'),
      coalesce("moderation", 'PENDING')::"ModerationState", coalesce("published", false), coalesce("supportCount", 0),
      coalesce("mentionCount", 1), "neighborhoodId", "conversationId", "sourceExternalId", "contactName",
      "contactEmail", "contactPhone", "latitude", "longitude", coalesce("createdAt", now() AT TIME ZONE 'UTC'), now() AT TIME ZONE 'UTC'
    FROM jsonb_to_recordset(${json}::jsonb) AS x("id" text, "summary" text, "detail" text, "themes" text,
      "language" text, "moderation" text, "published" boolean, "supportCount" int, "mentionCount" int,
      "neighborhoodId" text, "conversationId" text, "sourceExternalId" text, "contactName" text,
      "contactEmail" text, "contactPhone" text, "latitude" double precision, "longitude" double precision,
      "createdAt" timestamp(3))`;
  await tx.$executeRaw`
    INSERT INTO "ConcernStatusChange" ("id", "concernId", "fromStatus", "toStatus", "changedBy", "changedAt")
    SELECT gen_random_uuid()::text, "id", NULL, "status", ${actor}, now() AT TIME ZONE 'UTC'
    FROM "Concern" WHERE "id" = ANY(${ids}::text[])`;
  return tx.concern.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } });
}
