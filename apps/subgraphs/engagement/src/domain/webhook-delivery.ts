import type { Database } from '@civic/db/connect';
import { type JobQueue, type SqlExecutor, setUpOrStop, startJobQueue } from '@civic/jobs/queue';
import type { Logger } from '@civic/server-kit/logger';
import {
  deliveryRetryOptions,
  earliestRetryAt,
  payloadOf,
  postWebhook,
  type WebhookEventType,
  type WebhookSettings,
  webhookSettings,
} from '@civic/webhooks/delivery';
import { allowPrivateFromEnv } from '@civic/webhooks/endpoint-url';
import { generateMessageId } from '@civic/webhooks/signature';
import type { EngagementPrisma } from '../db.ts';
import type { Alignment, ConcernStatusChange, Prisma } from '../generated/prisma/client.ts';
import { isPublicConcern } from './visibility.ts';

/**
 * Webhook events are written in the transaction of the change they describe (an outbox): the event,
 * one delivery per enabled endpoint subscribed to its type, and one job per delivery on the durable
 * queue (pg-boss schema `engagement_webhooks`). The worker POSTs each delivery, records every attempt,
 * and fails the job so pg-boss retries it with a doubling delay until the attempts run out.
 */

export const DELIVERY_JOB = 'webhook-delivery';

export interface WebhookRuntime {
  queue: JobQueue;
  settings: WebhookSettings;
  stop(): Promise<void>;
}

const runtimes = new WeakMap<object, WebhookRuntime>();

export function webhookRuntime(prisma: object): WebhookRuntime | undefined {
  return runtimes.get(prisma);
}

function transactionExecutor(tx: Prisma.TransactionClient): SqlExecutor {
  return {
    async executeSql(text, values = []) {
      return { rows: await tx.$queryRawUnsafe<Record<string, unknown>[]>(text, ...values) };
    },
  };
}

export async function queueDelivery(
  runtime: WebhookRuntime,
  tx: Prisma.TransactionClient,
  deliveryId: string,
): Promise<void> {
  await runtime.queue.send(
    DELIVERY_JOB,
    { deliveryId },
    { ...deliveryRetryOptions(runtime.settings), db: transactionExecutor(tx) },
  );
}

/**
 * Records an event for the endpoints subscribed to it, in the caller's transaction. `data` holds ids
 * and public fields only. Without a running worker (a test that starts none) nothing is recorded.
 */
export async function recordWebhookEvent(
  prisma: EngagementPrisma,
  tx: Prisma.TransactionClient,
  type: WebhookEventType,
  data: Record<string, unknown>,
  given?: { id: string; occurredAt: Date },
): Promise<void> {
  const runtime = webhookRuntime(prisma);
  if (!runtime) return;
  // SQL: Prisma's `has` on an enum list is sent as an array literal the driver adapter rejects.
  const endpoints = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "WebhookEndpoint"
    WHERE "disabledAt" IS NULL AND ${type}::"WebhookEventType" = ANY("events")
    ORDER BY "createdAt", "id"`;
  if (endpoints.length === 0) return;
  const occurredAt = given?.occurredAt ?? new Date();
  const event = await tx.webhookEvent.create({
    data: { id: given?.id ?? generateMessageId(), type, payload: payloadOf(type, occurredAt, data), occurredAt },
  });
  for (const endpoint of endpoints) {
    const delivery = await tx.webhookDelivery.create({ data: { endpointId: endpoint.id, eventId: event.id } });
    await queueDelivery(runtime, tx, delivery.id);
  }
}

/** A concern's event, sent only while the concern is public (partners never hear of hidden ones). */
export async function recordConcernWebhookEvent(
  prisma: EngagementPrisma,
  tx: Prisma.TransactionClient,
  type: 'CONCERN_STATUS_CHANGED' | 'ALIGNMENT_CREATED' | 'ALIGNMENT_REMOVED',
  concernId: string,
  data: Record<string, unknown>,
): Promise<void> {
  if (!webhookRuntime(prisma)) return;
  const concern = await tx.concern.findUnique({
    where: { id: concernId },
    select: { published: true, moderation: true },
  });
  if (!concern || !isPublicConcern(concern)) return;
  await recordWebhookEvent(prisma, tx, type, { concernId, ...data });
}

export async function startWebhookWorker(
  prisma: EngagementPrisma,
  database: Database,
  logger: Logger,
  options: { pollingIntervalSeconds?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<WebhookRuntime> {
  const env = options.env ?? process.env;
  const settings = webhookSettings(env);
  const allowPrivate = allowPrivateFromEnv(env);
  const queue = await startJobQueue(database, {
    schema: 'engagement_webhooks',
    pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1,
    queues: { [DELIVERY_JOB]: { policy: 'standard', ...deliveryRetryOptions(settings) } },
  });
  return setUpOrStop(queue, async () => {
    await queue.work<{ deliveryId: string }>(DELIVERY_JOB, async (job) => {
      const delivery = await prisma.webhookDelivery.findUnique({
        where: { id: job.data.deliveryId },
        include: { endpoint: true, event: true },
      });
      // Deleted with its endpoint, or finished by an earlier run of this job.
      if (delivery?.status !== 'PENDING') return;
      const { endpoint } = delivery;
      if (endpoint.disabledAt) {
        await prisma.webhookDelivery.update({
          where: { id: delivery.id },
          data: {
            status: 'FAILED',
            lastError: `endpoint disabled: ${endpoint.disabledReason ?? ''}`.trim(),
            nextAttemptAt: null,
            completedAt: new Date(),
          },
        });
        return;
      }
      const number = delivery.attempts + 1;
      const outcome = await postWebhook({
        url: endpoint.url,
        secret:
          endpoint.previousSecret && endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt > new Date()
            ? [endpoint.secret, endpoint.previousSecret]
            : endpoint.secret,
        messageId: delivery.eventId,
        body: delivery.event.payload,
        timeoutMs: settings.timeoutMs,
        allowPrivate,
      });
      const now = new Date();
      const exhausted = !outcome.ok && number >= settings.maxAttempts;
      const disabledReason = await prisma.$transaction(async (tx) => {
        await tx.webhookAttempt.create({
          data: {
            deliveryId: delivery.id,
            number,
            statusCode: outcome.statusCode,
            error: outcome.error,
            durationMs: outcome.durationMs,
            attemptedAt: now,
          },
        });
        await tx.webhookDelivery.update({
          where: { id: delivery.id },
          data: {
            attempts: number,
            lastStatusCode: outcome.statusCode,
            lastError: outcome.error,
            lastAttemptAt: now,
            status: outcome.ok ? 'SUCCEEDED' : exhausted ? 'FAILED' : 'PENDING',
            nextAttemptAt: outcome.ok || exhausted ? null : earliestRetryAt(settings, number, now),
            completedAt: outcome.ok || exhausted ? now : null,
          },
        });
        if (outcome.ok) {
          await tx.webhookEndpoint.update({
            where: { id: endpoint.id },
            data: { consecutiveFailures: 0, failingSince: null },
          });
          return null;
        }
        const after = await tx.webhookEndpoint.update({
          where: { id: endpoint.id },
          data: {
            failingSince: endpoint.failingSince ?? now,
            ...(exhausted ? { consecutiveFailures: { increment: 1 } } : {}),
          },
        });
        const reason = disableReason(settings, after, now);
        if (reason && !after.disabledAt) {
          await tx.webhookEndpoint.update({
            where: { id: endpoint.id },
            data: { disabledAt: now, disabledReason: reason },
          });
          // The endpoint's waiting deliveries (this one included) end here, each saying why in the delivery log.
          await tx.webhookDelivery.updateMany({
            where: { endpointId: endpoint.id, status: 'PENDING' },
            data: {
              status: 'FAILED',
              lastError: `endpoint disabled: ${reason}`,
              nextAttemptAt: null,
              completedAt: now,
            },
          });
          return reason;
        }
        return null;
      });
      if (disabledReason) {
        // API keys carry no contact address to mail; the owner reads disabledAt and disabledReason on the endpoint.
        logger.warn('webhook endpoint disabled', { endpointId: endpoint.id, reason: disabledReason });
      }
      if (!outcome.ok && !exhausted && !disabledReason) {
        throw new Error(`webhook delivery ${delivery.id} attempt ${number} failed: ${outcome.error}`);
      }
    });

    const runtime: WebhookRuntime = {
      queue,
      settings,
      async stop() {
        runtimes.delete(prisma);
        await queue.stop();
      },
    };
    runtimes.set(prisma, runtime);
    logger.info('webhook worker started');
    return runtime;
  });
}

function disableReason(
  settings: WebhookSettings,
  endpoint: { consecutiveFailures: number; failingSince: Date | null },
  now: Date,
): string | null {
  if (endpoint.consecutiveFailures >= settings.disableAfterFailures) {
    return `${endpoint.consecutiveFailures} deliveries in a row failed after every retry`;
  }
  if (
    endpoint.failingSince &&
    now.getTime() - endpoint.failingSince.getTime() >= settings.disableAfterHours * 3_600_000
  ) {
    return `failing without a success since ${endpoint.failingSince.toISOString()}`;
  }
  return null;
}

export function recordStatusChangeWebhook(
  prisma: EngagementPrisma,
  tx: Prisma.TransactionClient,
  change: ConcernStatusChange,
): Promise<void> {
  return recordConcernWebhookEvent(prisma, tx, 'CONCERN_STATUS_CHANGED', change.concernId, {
    changeId: change.id,
    fromStatus: change.fromStatus,
    toStatus: change.toStatus,
    changedAt: change.changedAt.toISOString(),
    publicNote: change.publicNote,
    publicNoteLanguage: change.publicNote ? change.publicNoteLanguage : null,
    evidenceActionOn: change.evidenceActionOn ? change.evidenceActionOn.toISOString().slice(0, 10) : null,
  });
}

export function recordAlignmentWebhook(
  prisma: EngagementPrisma,
  tx: Prisma.TransactionClient,
  type: 'ALIGNMENT_CREATED' | 'ALIGNMENT_REMOVED',
  alignment: Alignment,
): Promise<void> {
  return recordConcernWebhookEvent(prisma, tx, type, alignment.concernId, {
    alignmentId: alignment.id,
    initiativeId: alignment.initiativeId,
    serviceId: alignment.serviceId,
    rationale: alignment.rationale,
    alignedAt: alignment.alignedAt.toISOString(),
    ...(type === 'ALIGNMENT_REMOVED' ? { removedAt: new Date().toISOString() } : {}),
  });
}
