import type { Identity } from '@civic/server-kit/identity';
import type { Prisma } from '../generated/prisma/client.ts';

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

/** Records writes in the audit log, inside the transaction that makes them. */
export async function audit(tx: Prisma.TransactionClient, identity: Identity, records: AuditRecord[]): Promise<void> {
  if (records.length === 0) return;
  await tx.auditEntry.createMany({
    data: records.map((r) => ({
      actorSubject: identity.subject ?? 'anonymous',
      actorRole: identity.role,
      action: r.action,
      entity: r.entity,
      entityId: r.entityId,
      before: snapshot(r.before),
      after: snapshot(r.after),
    })),
  });
}
