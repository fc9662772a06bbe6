import { actorOf } from '@civic/graphql-kit/actor';
import { inTransaction, parseInput } from '@civic/graphql-kit/write';
import { badInput, conflict, forbidden, notFound } from '@civic/server-kit/errors';
import type { Identity } from '@civic/server-kit/identity';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@civic/webhooks/delivery';
import { allowPrivateFromEnv, endpointUrlProblems, MAX_URL_LENGTH } from '@civic/webhooks/endpoint-url';
import { SOURCE_EVENTS, sourceOf } from '@civic/webhooks/forward';
import { generateSecret } from '@civic/webhooks/signature';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import type { Context } from '../context.ts';
import type { Prisma, WebhookDelivery, WebhookEndpoint } from '../generated/prisma/client.ts';
import { WebhookEventTypeEnum } from '../schema/enums.ts';
import { audit } from './audit.ts';
import { id, inputTable, optionalText } from './input-rules.ts';
import { queueDelivery, recordWebhookEvent, webhookRuntime } from './webhook-delivery.ts';

/**
 * Partner webhook endpoints: an API key (PARTNER) or an administrator registers URLs for event types.
 * A partner sees and changes only its own key's endpoints and their deliveries; an administrator sees all.
 * Anyone else is FORBIDDEN. Another key's endpoint is NOT_FOUND, as if it did not exist.
 */

export const MAX_ENDPOINTS_PER_OWNER = 20;

const EVENT_TYPES = Object.keys(WEBHOOK_EVENT_TYPES) as [WebhookEventType, ...WebhookEventType[]];

export const WEBHOOK_ENDPOINT_INPUT = inputTable({
  url: {
    field: (t) =>
      t.string({
        required: true,
        description: `Where deliveries are POSTed: an http or https URL (at most ${MAX_URL_LENGTH} characters) outside loopback and private networks.`,
      }),
    schema: z
      .string()
      .trim()
      .superRefine((url, ctx) => {
        for (const message of endpointUrlProblems(url, allowPrivateFromEnv()))
          ctx.addIssue({ code: 'custom', message });
      }),
  },
  events: {
    field: (t) =>
      t.field({
        type: [WebhookEventTypeEnum],
        required: true,
        description: 'The event types to receive (at least one).',
      }),
    schema: z
      .array(z.enum(EVENT_TYPES))
      .min(1, 'choose at least one event type')
      .refine((list) => new Set(list).size === list.length, 'must not repeat an event type'),
  },
  description: {
    field: (t) => t.string({ required: false, description: 'What the endpoint is for (at most 500 characters).' }),
    schema: optionalText(500),
  },
});
const endpointInput = WEBHOOK_ENDPOINT_INPUT.schema;

/**
 * PARTNER callers with an API key subject, and administrators with a user id: returns that subject,
 * the endpoint's owner (`ownerSubject` is never empty: nobody without one may own an endpoint).
 */
export function requireWebhookOwner(identity: Identity): string {
  if ((identity.role === 'ADMIN' || identity.role === 'PARTNER') && identity.subject) return identity.subject;
  throw forbidden('Only a partner API key or an administrator may manage webhooks');
}

function ownedBy(identity: Identity): Prisma.WebhookEndpointWhereInput {
  const subject = requireWebhookOwner(identity);
  return identity.role === 'ADMIN' ? {} : { ownerRole: 'PARTNER', ownerSubject: subject };
}

export function webhookEndpoints(ctx: Context): Promise<WebhookEndpoint[]> {
  return ctx.prisma.webhookEndpoint.findMany({
    where: ownedBy(ctx.identity),
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
}

async function ownEndpoint(ctx: Context, endpointId: string): Promise<WebhookEndpoint> {
  const endpoint = await ctx.prisma.webhookEndpoint.findFirst({ where: { id: endpointId, ...ownedBy(ctx.identity) } });
  if (!endpoint) throw notFound('WebhookEndpoint', endpointId);
  return endpoint;
}

export async function webhookDeliveries(
  ctx: Context,
  args: { endpointId: string; first?: number | null },
): Promise<WebhookDelivery[]> {
  const endpoint = await ownEndpoint(ctx, args.endpointId);
  const first = args.first ?? 50;
  if (first < 1 || first > 200)
    throw badInput('first must be 1 to 200', [{ field: 'first', message: 'Between 1 and 200' }]);
  return ctx.prisma.webhookDelivery.findMany({
    where: { endpointId: endpoint.id },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: first,
  });
}

/** What the owner sees of an endpoint in the audit log: never its secret. */
function withoutSecret(endpoint: WebhookEndpoint): Omit<WebhookEndpoint, 'secret' | 'previousSecret'> {
  const { secret: _secret, previousSecret: _previous, ...rest } = endpoint;
  return rest;
}

export interface EndpointWithSecret {
  endpoint: WebhookEndpoint;
  secret: string;
}

export async function createWebhookEndpoint(ctx: Context, rawInput: unknown): Promise<EndpointWithSecret> {
  const ownerSubject = requireWebhookOwner(ctx.identity);
  const input = parseInput(endpointInput, rawInput);
  const { prisma, identity } = ctx;
  const owner = { ownerRole: identity.role, ownerSubject };
  if ((await prisma.webhookEndpoint.count({ where: owner })) >= MAX_ENDPOINTS_PER_OWNER) {
    throw conflict(`At most ${MAX_ENDPOINTS_PER_OWNER} webhook endpoints per API key; delete one first`);
  }
  const secret = generateSecret();
  const endpoint = await inTransaction(prisma, async (tx) => {
    const created = await tx.webhookEndpoint.create({
      data: {
        ...owner,
        organizationId: identity.organization,
        url: input.url,
        description: input.description,
        events: input.events,
        secret,
      },
    });
    await audit(tx, actorOf(identity), [
      { action: 'webhook.create', entity: 'WebhookEndpoint', entityId: created.id, after: withoutSecret(created) },
    ]);
    return created;
  });
  return { endpoint, secret };
}

const endpointIdArgs = z.object({ id });
const MAX_SECRET_OVERLAP_HOURS = 7 * 24;
const rotateArgs = z.object({
  id,
  overlapHours: z
    .number()
    .int()
    .min(0, 'must not be negative')
    .max(MAX_SECRET_OVERLAP_HOURS, `must be at most ${MAX_SECRET_OVERLAP_HOURS}`)
    .nullish()
    .transform((v) => v ?? 24),
});

export async function deleteWebhookEndpoint(ctx: Context, args: unknown): Promise<WebhookEndpoint> {
  const { id: endpointId } = parseInput(endpointIdArgs, args, null);
  const before = await ownEndpoint(ctx, endpointId);
  return inTransaction(ctx.prisma, async (tx) => {
    await tx.webhookEndpoint.delete({ where: { id: before.id } });
    await audit(tx, actorOf(ctx.identity), [
      { action: 'webhook.delete', entity: 'WebhookEndpoint', entityId: before.id, before: withoutSecret(before) },
    ]);
    return before;
  });
}

/**
 * A new secret for every later attempt. For `overlapHours` (default 24, 0 to end it at once) each
 * attempt is also signed with the old secret, so a receiver can switch without missing a delivery.
 */
export async function rotateWebhookSecret(ctx: Context, args: unknown): Promise<EndpointWithSecret> {
  const { id: endpointId, overlapHours } = parseInput(rotateArgs, args, null);
  const before = await ownEndpoint(ctx, endpointId);
  const secret = generateSecret();
  const now = new Date();
  const endpoint = await inTransaction(ctx.prisma, async (tx) => {
    const after = await tx.webhookEndpoint.update({
      where: { id: before.id },
      data: {
        secret,
        secretRotatedAt: now,
        previousSecret: overlapHours > 0 ? before.secret : null,
        previousSecretExpiresAt: overlapHours > 0 ? new Date(now.getTime() + overlapHours * 3_600_000) : null,
      },
    });
    await audit(tx, actorOf(ctx.identity), [
      { action: 'webhook.rotate-secret', entity: 'WebhookEndpoint', entityId: before.id, after: { overlapHours } },
    ]);
    return after;
  });
  return { endpoint, secret };
}

/** Turns a disabled endpoint back on (its failure count starts again). */
export async function enableWebhookEndpoint(ctx: Context, args: unknown): Promise<WebhookEndpoint> {
  const { id: endpointId } = parseInput(endpointIdArgs, args, null);
  const before = await ownEndpoint(ctx, endpointId);
  if (!before.disabledAt) throw conflict('This webhook endpoint is not disabled');
  return inTransaction(ctx.prisma, async (tx) => {
    const after = await tx.webhookEndpoint.update({
      where: { id: before.id },
      data: { disabledAt: null, disabledReason: null, consecutiveFailures: 0, failingSince: null },
    });
    await audit(tx, actorOf(ctx.identity), [
      {
        action: 'webhook.enable',
        entity: 'WebhookEndpoint',
        entityId: before.id,
        before: withoutSecret(before),
        after: withoutSecret(after),
      },
    ]);
    return after;
  });
}

/** Sends a delivery's event again, as a new delivery with its own attempts (same message id). */
export async function replayWebhookDelivery(ctx: Context, args: unknown): Promise<WebhookDelivery> {
  const { id: deliveryId } = parseInput(endpointIdArgs, args, null);
  const { prisma } = ctx;
  const original = await prisma.webhookDelivery.findFirst({
    where: { id: deliveryId, endpoint: ownedBy(ctx.identity) },
    include: { endpoint: true },
  });
  if (!original) throw notFound('WebhookDelivery', deliveryId);
  if (original.endpoint.disabledAt) throw conflict('This webhook endpoint is disabled; enable it before replaying');
  const runtime = webhookRuntime(prisma);
  if (!runtime) throw conflict('Webhook delivery is not running right now; try again shortly');
  return inTransaction(prisma, async (tx) => {
    const replay = await tx.webhookDelivery.create({
      data: { endpointId: original.endpointId, eventId: original.eventId, replayOfId: original.id },
    });
    await audit(tx, actorOf(ctx.identity), [
      { action: 'webhook.replay', entity: 'WebhookDelivery', entityId: replay.id, after: replay },
    ]);
    await queueDelivery(runtime, tx, replay.id);
    return replay;
  });
}

const MAX_FORWARDED_DATA_BYTES = 10_000;

const forwardedEvent = z.object({
  id: z.string().regex(/^msg_[A-Za-z0-9]{1,64}$/, 'must be a message id (msg_…)'),
  type: z.enum(EVENT_TYPES),
  occurredAt: z.date(),
  data: z
    .record(z.string(), z.unknown())
    .refine((d) => JSON.stringify(d).length <= MAX_FORWARDED_DATA_BYTES, `at most ${MAX_FORWARDED_DATA_BYTES} bytes`),
});

/**
 * An event handed over by the initiatives or resources subgraph (signed with the shared secret as
 * `subgraph:<name>`), fanned out to the subscribed endpoints. Recorded once per event id.
 */
export async function recordForwardedWebhookEvent(ctx: Context, args: unknown): Promise<boolean> {
  const source = sourceOf(ctx.identity);
  if (!source) throw forbidden('Only the initiatives and resources subgraphs may record webhook events');
  const event = parseInput(forwardedEvent, args, null);
  if (!SOURCE_EVENTS[source].includes(event.type))
    throw forbidden(`The ${source} subgraph does not send ${event.type}`);
  const { prisma } = ctx;
  if (!webhookRuntime(prisma)) {
    throw new GraphQLError('Webhook delivery is not running right now; try again shortly', {
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
  }
  if (await prisma.webhookEvent.findUnique({ where: { id: event.id }, select: { id: true } })) return true;
  await inTransaction(prisma, (tx) =>
    recordWebhookEvent(prisma, tx, event.type, event.data, { id: event.id, occurredAt: event.occurredAt }),
  );
  return true;
}
