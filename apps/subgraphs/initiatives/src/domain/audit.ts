import { actorLabel, actorOf } from '@civic/graphql-kit/actor';
import type { Identity } from '@civic/server-kit/identity';
import type { Prisma } from '../generated/prisma/client.ts';

export type AuditAction =
  | 'initiative.status'
  | 'initiative.update'
  | 'content.translation'
  | 'measure.create'
  | 'measure.update'
  | 'measure.delete'
  | 'measure.refresh'
  | 'observation.add'
  | 'observation.delete';

/** The acting user as the audit log, the status history and observations store it ("staff:ana"). */
export function actorName(identity: Identity): string {
  return actorLabel(actorOf(identity));
}

/** Written in the same transaction as the change it records. */
export function audit(
  tx: Prisma.TransactionClient,
  entry: {
    initiativeId: string;
    action: AuditAction;
    subjectId?: string;
    actor: string;
    details?: Prisma.InputJsonValue;
  },
) {
  return tx.auditEntry.create({
    data: {
      initiativeId: entry.initiativeId,
      action: entry.action,
      subjectId: entry.subjectId ?? null,
      actor: entry.actor,
      details: entry.details ?? {},
    },
  });
}

/** The fields of `data` that differ from `before`, as { field: [before, after] }. */
export function changedFields(before: Record<string, unknown>, data: Record<string, unknown>): Prisma.InputJsonValue {
  const out: Record<string, [unknown, unknown]> = {};
  for (const [field, after] of Object.entries(data)) {
    if (after === undefined) continue;
    const old = before[field];
    if (JSON.stringify(old) !== JSON.stringify(after)) out[field] = [old ?? null, after ?? null];
  }
  return JSON.parse(JSON.stringify(out)) as Prisma.InputJsonValue;
}
