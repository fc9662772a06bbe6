import type { Actor } from '@civic/graphql-kit/actor';
import type { Prisma } from '../generated/prisma/client.ts';
import { uuid7s } from './bulk-insert.ts';

export interface AuditRecord {
  action: string;
  entity: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/** A row as JSON: dates as ISO strings, so before/after compare the way they are shown. */
function snapshot(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined || value === null) return undefined;
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

/** Records writes in the audit log, inside the transaction that makes them, as `actorOf(ctx.identity)`. */
export async function audit(tx: Prisma.TransactionClient, actor: Actor, records: AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  const ids = uuid7s(records.length);
  // One JSON parameter rather than a createMany: an import audits hundreds of rows at once.
  const rows = JSON.stringify(
    records.map((r, i) => ({
      id: ids[i],
      action: r.action,
      entity: r.entity,
      entityId: r.entityId,
      before: snapshot(r.before) ?? null,
      after: snapshot(r.after) ?? null,
    })),
  );
  await tx.$executeRaw`
    INSERT INTO "AuditEntry" ("id", "actorSubject", "actorRole", "action", "entity", "entityId", "before", "after", "at")
    SELECT "id", ${actor.subject}, ${actor.role}, "action", "entity", "entityId", "before", "after",
      now() AT TIME ZONE 'UTC'
    FROM jsonb_to_recordset(${rows}::jsonb) AS x("id" text, "action" text, "entity" text, "entityId" text,
      "before" jsonb, "after" jsonb)`;
}
