import type { Context } from '../context.ts';
import type { Prisma } from '../generated/prisma/client.ts';
import { actorName } from './permissions.ts';

/** One row of the HSDS metadata table, before it is stored. */
export interface Change {
  fieldName: string;
  previousValue: string | null;
  replacementValue: string | null;
}

/** The value as the HSDS metadata table stores it: text, JSON for lists and shapes. */
export function changeLogValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/** The fields of `after` whose stored text differs from `before`. */
export function changesBetween(before: Record<string, unknown>, after: Record<string, unknown>): Change[] {
  return Object.entries(after)
    .map(([fieldName, value]) => ({
      fieldName,
      previousValue: changeLogValue(before[fieldName]),
      replacementValue: changeLogValue(value),
    }))
    .filter((c) => c.previousValue !== c.replacementValue);
}

/** Stores the changes in the caller's transaction, so a change and its record commit together. */
export async function recordChanges(
  tx: Prisma.TransactionClient,
  ctx: Context,
  resource: { id: string; type: 'service' | 'organization' },
  action: 'create' | 'update' | 'delete',
  changes: Change[],
): Promise<void> {
  if (changes.length === 0) return;
  const now = new Date();
  await tx.changeRecord.createMany({
    data: changes.map((c) => ({
      ...c,
      resourceId: resource.id,
      resourceType: resource.type,
      lastActionType: action,
      lastActionDate: now,
      updatedBy: actorName(ctx.identity),
    })),
  });
}
