import type { Database } from '@civic/db/connect';
import { type JobQueue, type SqlExecutor, startJobQueue } from '@civic/jobs/queue';
import { type Identity, signIdentity } from '@civic/server-kit/identity';
import type { Logger } from '@civic/server-kit/logger';
import { PORTS } from '@civic/server-kit/ports';
import type { WebhookEventType } from './delivery.ts';
import { generateMessageId } from './signature.ts';

/**
 * Events of the initiatives and resources subgraphs reach partners through engagement, which owns the
 * endpoint registry. Each event is a job written in the transaction of its change (an outbox) on the
 * subgraph's own durable queue; the worker hands it to engagement's internal `recordWebhookEvent`
 * mutation (left out of the public API) signed with CIVIC_GATEWAY_SECRET as the identity
 * `subgraph:<name>`, the way the gateway signs its requests. The event id is fixed when the job is
 * written, so a retried hand-over records the event once.
 */

export const FORWARD_JOB = 'webhook-forward';
export type WebhookSource = 'initiatives' | 'resources';

/** The event types each subgraph may hand over. */
export const SOURCE_EVENTS: Record<WebhookSource, readonly WebhookEventType[]> = {
  initiatives: ['INITIATIVE_STATUS_CHANGED', 'MEASURE_OBSERVATION_ADDED'],
  resources: ['SERVICE_CHANGED'],
};

export function sourceIdentity(source: WebhookSource): Identity {
  return { role: 'ADMIN', subject: `subgraph:${source}`, department: null, organization: null };
}

/** The source a signed identity stands for, when it is one of the subgraphs' own. */
export function sourceOf(identity: Identity): WebhookSource | null {
  if (identity.role !== 'ADMIN') return null;
  if (identity.subject === 'subgraph:initiatives') return 'initiatives';
  if (identity.subject === 'subgraph:resources') return 'resources';
  return null;
}

export interface ForwardedEvent {
  id: string;
  type: WebhookEventType;
  occurredAt: string;
  data: Record<string, unknown>;
}

export interface WebhookForwarder {
  queue: JobQueue;
  stop(): Promise<void>;
}

const forwarders = new WeakMap<object, WebhookForwarder>();

const RECORD = `mutation ($id: String!, $type: WebhookEventType!, $occurredAt: DateTime!, $data: JSON!) {
  recordWebhookEvent(id: $id, type: $type, occurredAt: $occurredAt, data: $data)
}`;

/**
 * Queues an event in the caller's transaction (`db`: its executor). Without a running forwarder
 * (a test or seed that starts none) nothing is recorded.
 */
export async function forwardWebhookEvent(
  owner: object,
  db: SqlExecutor,
  type: WebhookEventType,
  data: Record<string, unknown>,
): Promise<void> {
  const forwarder = forwarders.get(owner);
  if (!forwarder) return;
  const event: ForwardedEvent = { id: generateMessageId(), type, occurredAt: new Date().toISOString(), data };
  await forwarder.queue.send(FORWARD_JOB, event, { db });
}

/** `owner` is the object hooks pass to forwardWebhookEvent (the subgraph's Prisma client). */
export async function startWebhookForwarder(
  owner: object,
  database: Database,
  logger: Logger,
  options: {
    source: WebhookSource;
    /** The pg-boss schema (one per service). */
    schema: string;
    env?: NodeJS.ProcessEnv;
    pollingIntervalSeconds?: number;
  },
): Promise<WebhookForwarder> {
  const env = options.env ?? process.env;
  const engagementUrl = env.ENGAGEMENT_URL ?? `http://127.0.0.1:${PORTS.engagement}/graphql`;
  const secret = env.CIVIC_GATEWAY_SECRET;
  const queue = await startJobQueue(database, {
    schema: options.schema,
    pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
    // Engagement may be restarting: keep trying for hours (5 s doubling, 12 retries).
    queues: { [FORWARD_JOB]: { policy: 'standard', retryLimit: 12, retryDelay: 5, retryBackoff: true } },
  });
  await queue.work<ForwardedEvent>(FORWARD_JOB, async (job) => {
    const body = JSON.stringify({ query: RECORD, variables: job.data });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret) Object.assign(headers, signIdentity(secret, sourceIdentity(options.source), body));
    const response = await fetch(engagementUrl, { method: 'POST', headers, body, signal: AbortSignal.timeout(15_000) });
    const result = (await response.json().catch(() => null)) as { errors?: { message: string }[] } | null;
    if (!response.ok || !result || result.errors?.length) {
      const reason = result?.errors?.[0]?.message ?? `HTTP ${response.status}`;
      throw new Error(`engagement did not record webhook event ${job.data.id}: ${reason}`);
    }
  });
  if (!secret) logger.warn('CIVIC_GATEWAY_SECRET is not set: webhook events cannot be handed to engagement');
  const forwarder: WebhookForwarder = {
    queue,
    async stop() {
      forwarders.delete(owner);
      await queue.stop();
    },
  };
  forwarders.set(owner, forwarder);
  return forwarder;
}

/** A Prisma interactive transaction as pg-boss's executor: the job commits or rolls back with it. */
export function prismaExecutor(tx: {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}): SqlExecutor {
  return {
    async executeSql(text, values = []) {
      return { rows: await tx.$queryRawUnsafe<Record<string, unknown>[]>(text, ...values) };
    },
  };
}
