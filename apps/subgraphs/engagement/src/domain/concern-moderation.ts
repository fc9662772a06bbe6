import { actorOf } from '@civic/graphql-kit/actor';
import { inTransaction, parseInput } from '@civic/graphql-kit/write';
import { ErrorCode } from '@civic/server-kit/errors';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import type { Context } from '../context.ts';
import type { Concern } from '../generated/prisma/client.ts';
import { ModerationState } from '../schema/enums.ts';
import { audit } from './audit.ts';
import { id, inputTable, LIMITS, optionalText } from './input-rules.ts';

/** The most concerns one moderateConcerns request may name (a whole Polis export fits). */
export const MODERATION_BATCH_LIMIT = LIMITS.concernsPerWrite;

/** moderateConcerns' input. */
export const BULK_MODERATION_INPUT = inputTable({
  concernIds: {
    field: (t) => t.idList({ required: true, description: `The concerns (1–${MODERATION_BATCH_LIMIT}, each once).` }),
    schema: z
      .array(id)
      .min(1, 'at least one concern')
      .max(MODERATION_BATCH_LIMIT, `at most ${MODERATION_BATCH_LIMIT} concerns in one request`)
      .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a concern'),
  },
  moderation: {
    field: (t) =>
      t.field({ type: ModerationState, required: true, description: 'The new state of every one of them.' }),
    schema: z.enum(['PENDING', 'ACCEPTED', 'REJECTED']),
  },
  reason: {
    field: (t) => t.string({ required: false, description: 'Why (kept in the audit log of each).' }),
    schema: optionalText(LIMITS.publicNote),
  },
});
const bulkModerationInput = BULK_MODERATION_INPUT.schema;

function refusal(message: string, code: ErrorCode, concernId: string, reason: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, concernId, reason } });
}

/**
 * moderateConcerns(input): every concern takes the new moderation state, or none does. Each is
 * checked as moderateConcern checks one (it exists, it is not already in that state) before anything is
 * written; the first that fails refuses the whole request, named in `extensions.concernId`.
 */
export async function moderateConcerns(ctx: Context, rawInput: unknown): Promise<Concern[]> {
  const input = parseInput(bulkModerationInput, rawInput);
  const { prisma } = ctx;
  const found = await prisma.concern.findMany({ where: { id: { in: input.concernIds } } });
  const byId = new Map(found.map((c) => [c.id, c]));
  const before: Concern[] = [];
  for (const concernId of input.concernIds) {
    const concern = byId.get(concernId);
    if (!concern) {
      throw refusal(`Concern ${concernId} was not found`, ErrorCode.NOT_FOUND, concernId, 'NOT_FOUND');
    }
    if (concern.moderation === input.moderation) {
      throw refusal(
        `Concern ${concernId} is already ${input.moderation}`,
        ErrorCode.CONFLICT,
        concernId,
        'ALREADY_IN_STATE',
      );
    }
    before.push(concern);
  }
  return inTransaction(prisma, async (tx) => {
    const changed = await tx.concern.updateMany({
      where: { id: { in: input.concernIds }, moderation: { not: input.moderation } },
      data: { moderation: input.moderation },
    });
    // One moderated meanwhile by someone else refuses the whole request (the transaction rolls back).
    if (changed.count !== before.length) {
      throw new GraphQLError('A concern of the request was moderated by someone else meanwhile; nothing was changed', {
        extensions: { code: ErrorCode.CONFLICT, reason: 'CHANGED_MEANWHILE' },
      });
    }
    const after = new Map(
      (await tx.concern.findMany({ where: { id: { in: input.concernIds } } })).map((c) => [c.id, c]),
    );
    const ordered = input.concernIds.map((concernId) => after.get(concernId) as Concern);
    await audit(
      tx,
      actorOf(ctx.identity),
      before.map((concern, i) => ({
        action: 'concern.moderate',
        entity: 'Concern',
        entityId: concern.id,
        before: concern,
        after: { ...ordered[i], reason: input.reason, batchSize: before.length },
      })),
    );
    return ordered;
  });
}
