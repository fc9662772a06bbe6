import { actorOf } from '@civic/graphql-kit/actor';
import { inTransaction, parseInput } from '@civic/graphql-kit/write';
import { conflict, notFound } from '@civic/server-kit/errors';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import type { Context } from '../context.ts';
import type { ConcernDispute } from '../generated/prisma/client.ts';
import { ModerationState } from '../schema/enums.ts';
import { audit } from './audit.ts';
import { countClientAction, FOLLOW_JOBS, followRuntime, recordStatusEvent, transactionExecutor } from './follow.ts';
import { verifyDisputeToken } from './follow-mail.ts';
import { argTable, id, inputTable, optionalText, text } from './input-rules.ts';
import { isPublicConcern } from './visibility.ts';
import { recordStatusChangeWebhook } from './webhook-delivery.ts';

/**
 * "Not fixed": a confirmed follower of an ADDRESSED concern (of the concern, or of its neighborhood)
 * disputes it through the signed link of a status email. The concern returns to UNDER_REVIEW at once
 * (a history entry, audited, followers told, partners' webhooks sent the status change without the note); staff are told (DISPUTE_NOTIFY_EMAIL, the pending list);
 * the note is resident text, PENDING until staff accept it, then public.
 */

export const DISPUTE_NOTE_LIMIT = 1_000;
/** Disputes one address may file in a day, over every concern. */
export const DISPUTES_PER_ADDRESS_PER_DAY = 3;

export const DISPUTE_INPUT = inputTable({
  token: {
    field: (t) => t.string({ required: true, description: 'The token of the "Not fixed? Tell us" link.' }),
    schema: z.string().min(1, 'must not be empty').max(500, 'At most 500 characters'),
  },
  note: {
    field: (t) =>
      t.string({
        required: true,
        description: `What is still wrong (≤ ${DISPUTE_NOTE_LIMIT} characters). Public once staff accept it.`,
      }),
    schema: text(DISPUTE_NOTE_LIMIT),
  },
  language: {
    field: (t) => t.string({ required: false, description: 'Language of the note: "en" (default) or "es".' }),
    schema: z
      .enum(['en', 'es'], { message: 'must be "en" or "es"' })
      .nullish()
      .transform((v) => v ?? 'en'),
  },
});
const disputeInput = DISPUTE_INPUT.schema;

export const DISPUTE_MODERATION_ARGS = argTable({
  disputeId: { field: (t) => t.id({ required: true, description: 'The dispute.' }), schema: id },
  moderation: {
    field: (t) =>
      t.field({ type: ModerationState, required: true, description: 'ACCEPTED (public) or REJECTED (hidden).' }),
    schema: z.enum(['PENDING', 'ACCEPTED', 'REJECTED']),
  },
  reason: {
    field: (t) => t.string({ required: false, description: 'Why (kept in the audit log).' }),
    schema: optionalText(2_000),
  },
});
const disputeModerationArgs = DISPUTE_MODERATION_ARGS.schema;

function invalidLink(): GraphQLError {
  return new GraphQLError('This link is not valid, or the address it was for no longer follows this concern', {
    extensions: { code: 'FORBIDDEN', reason: 'INVALID_LINK' },
  });
}

function tooMany(): GraphQLError {
  return new GraphQLError(`At most ${DISPUTES_PER_ADDRESS_PER_DAY} disputes a day from one address`, {
    extensions: { code: 'CONFLICT', reason: 'RATE_LIMITED' },
  });
}

export interface DisputeReceipt {
  disputeId: string;
  concernId: string;
  language: 'en' | 'es';
}

/** disputeConcern(input: { token, note, language }) — anyone holding a follower's dispute link. */
export async function disputeConcern(ctx: Context, rawInput: unknown): Promise<DisputeReceipt> {
  const input = parseInput(disputeInput, rawInput);
  const { prisma } = ctx;
  const runtime = followRuntime(prisma);
  if (!runtime) {
    throw new GraphQLError('Disputes are not available right now; try again shortly', {
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
  }
  const link = await verifyDisputeToken(prisma, input.token);
  if (!link) throw invalidLink();
  const [follower, concern] = await Promise.all([
    prisma.follower.findUnique({ where: { id: link.followerId } }),
    prisma.concern.findUnique({ where: { id: link.concernId } }),
  ]);
  if (!concern || !isPublicConcern(concern)) throw notFound('Concern', link.concernId);
  const follows =
    follower?.confirmedAt &&
    ((follower.targetKind === 'CONCERN' && follower.targetId === concern.id) ||
      (follower.targetKind === 'NEIGHBORHOOD' && follower.targetId === concern.neighborhoodId));
  if (!follower || !follows) throw invalidLink();
  if (concern.status !== 'ADDRESSED') {
    throw conflict(`Only an ADDRESSED concern can be disputed; this one is ${concern.status}`);
  }
  const recent = await prisma.concernDispute.count({
    where: { follower: { email: follower.email }, createdAt: { gt: new Date(Date.now() - 86_400_000) } },
  });
  if (recent >= DISPUTES_PER_ADDRESS_PER_DAY) throw tooMany();

  return inTransaction(prisma, async (tx) => {
    await countClientAction(tx, ctx.identity, 'DISPUTE');
    // Conditional, so two disputes at once reopen the concern once.
    const reopened = await tx.concern.updateMany({
      where: { id: concern.id, status: 'ADDRESSED' },
      data: { status: 'UNDER_REVIEW' },
    });
    if (reopened.count === 0) throw conflict('This concern was reopened meanwhile');
    const change = await tx.concernStatusChange.create({
      data: { concernId: concern.id, fromStatus: 'ADDRESSED', toStatus: 'UNDER_REVIEW', changedBy: 'resident-dispute' },
    });
    const dispute = await tx.concernDispute.create({
      data: {
        concernId: concern.id,
        followerId: follower.id,
        note: input.note,
        language: input.language,
        reopenedChangeId: change.id,
      },
    });
    await audit(tx, actorOf(ctx.identity), [
      {
        action: 'concern.dispute',
        entity: 'Concern',
        entityId: concern.id,
        before: { status: 'ADDRESSED' },
        after: { status: 'UNDER_REVIEW', disputeId: dispute.id, note: input.note, language: input.language },
      },
    ]);
    await recordStatusEvent(prisma, tx, [change.id]);
    await recordStatusChangeWebhook(prisma, tx, change);
    await runtime.queue.send(FOLLOW_JOBS.disputeNotice, { disputeId: dispute.id }, { db: transactionExecutor(tx) });
    return { disputeId: dispute.id, concernId: concern.id, language: input.language };
  });
}

/** moderateDispute(disputeId, moderation, reason) — staff. */
export async function moderateDispute(ctx: Context, args: unknown): Promise<ConcernDispute> {
  const input = parseInput(disputeModerationArgs, args, 'args');
  const { prisma, identity } = ctx;
  const before = await prisma.concernDispute.findUnique({ where: { id: input.disputeId } });
  if (!before) throw notFound('ConcernDispute', input.disputeId);
  if (before.moderation === input.moderation) throw conflict(`This dispute is already ${input.moderation}`);
  return inTransaction(prisma, async (tx) => {
    const after = await tx.concernDispute.update({
      where: { id: before.id },
      data: { moderation: input.moderation, moderatedBy: identity.subject, moderatedAt: new Date() },
    });
    const { followerId: _before, ...beforePublic } = before;
    const { followerId: _after, ...afterPublic } = after;
    await audit(tx, actorOf(identity), [
      {
        action: 'dispute.moderate',
        entity: 'ConcernDispute',
        entityId: before.id,
        before: beforePublic,
        after: { ...afterPublic, reason: input.reason },
      },
    ]);
    return after;
  });
}

/** Staff see every dispute; everyone else only accepted ones. */
export function visibleDispute(dispute: ConcernDispute, staff: boolean): boolean {
  return staff || dispute.moderation === 'ACCEPTED';
}
