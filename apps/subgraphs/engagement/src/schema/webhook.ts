import { builder } from '../builder.ts';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  type EndpointWithSecret,
  enableWebhookEndpoint,
  recordForwardedWebhookEvent,
  replayWebhookDelivery,
  rotateWebhookSecret,
  WEBHOOK_ENDPOINT_INPUT,
  webhookDeliveries,
  webhookEndpoints,
} from '../domain/webhook.ts';
import { WebhookEventTypeEnum } from './enums.ts';

const WebhookDeliveryStatus = builder.enumType('WebhookDeliveryStatus', {
  description: 'Where a delivery stands.',
  values: {
    PENDING: { description: 'Not delivered yet: waiting for its first attempt or a retry.' },
    SUCCEEDED: { description: 'The endpoint answered 2xx.' },
    FAILED: { description: 'Every attempt failed, or the endpoint was disabled.' },
  } as const,
});

const WebhookEndpoint = builder.prismaObject('WebhookEndpoint', {
  description:
    'A partner’s webhook endpoint. Deliveries are signed in the Standard Webhooks format with its secret (shown only when created or rotated).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Endpoint id.' }),
    url: t.exposeString('url', { description: 'Where deliveries are POSTed.' }),
    description: t.exposeString('description', { nullable: true, description: 'What it is for.' }),
    events: t.field({
      type: [WebhookEventTypeEnum],
      description: 'The event types it receives.',
      resolve: (e) => e.events,
    }),
    ownerRole: t.exposeString('ownerRole', { description: 'PARTNER (an API key) or ADMIN.' }),
    ownerSubject: t.exposeString('ownerSubject', { description: 'The API key id or administrator that owns it.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was registered.' }),
    previousSecretExpiresAt: t.expose('previousSecretExpiresAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Until when deliveries also carry a signature with the secret before the last rotation.',
    }),
    secretRotatedAt: t.expose('secretRotatedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When its secret was last replaced.',
    }),
    disabledAt: t.expose('disabledAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was disabled for failing (null while enabled); nothing is sent to it until re-enabled.',
    }),
    disabledReason: t.exposeString('disabledReason', { nullable: true, description: 'Why it was disabled.' }),
    consecutiveFailures: t.exposeInt('consecutiveFailures', {
      description: 'Deliveries in a row that failed after every retry.',
    }),
    failingSince: t.expose('failingSince', {
      type: 'DateTime',
      nullable: true,
      description: 'First failed attempt since its last success.',
    }),
  }),
});

builder.prismaObject('WebhookAttempt', {
  description: 'One POST of a delivery.',
  fields: (t) => ({
    number: t.exposeInt('number', { description: '1 for the first attempt.' }),
    statusCode: t.exposeInt('statusCode', { nullable: true, description: 'HTTP status answered (null: no answer).' }),
    error: t.exposeString('error', { nullable: true, description: 'Why it failed (null when it succeeded).' }),
    durationMs: t.exposeInt('durationMs', { description: 'How long it took.' }),
    attemptedAt: t.expose('attemptedAt', { type: 'DateTime', description: 'When.' }),
  }),
});

const WebhookDelivery = builder.prismaObject('WebhookDelivery', {
  description: 'One event sent to one endpoint, with its attempts.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Delivery id.' }),
    endpointId: t.exposeID('endpointId', { description: 'The endpoint.' }),
    messageId: t.exposeString('eventId', {
      description: 'The `webhook-id` header: the same for every attempt and replay of one event.',
    }),
    eventType: t.field({
      type: WebhookEventTypeEnum,
      description: 'The event type.',
      select: { event: { select: { type: true } } },
      resolve: (d) => d.event.type,
    }),
    payload: t.string({
      description: 'The exact JSON body sent.',
      select: { event: { select: { payload: true } } },
      resolve: (d) => d.event.payload,
    }),
    status: t.field({ type: WebhookDeliveryStatus, description: 'Where it stands.', resolve: (d) => d.status }),
    attempts: t.exposeInt('attempts', { description: 'Attempts made.' }),
    lastStatusCode: t.exposeInt('lastStatusCode', { nullable: true, description: 'Status of the last attempt.' }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'Why the last attempt failed.' }),
    lastAttemptAt: t.expose('lastAttemptAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was last tried.',
    }),
    nextAttemptAt: t.expose('nextAttemptAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Earliest time of the next retry (the queue adds up to as much delay again); null once finished.',
    }),
    replayOf: t.exposeID('replayOfId', { nullable: true, description: 'The delivery this one replays.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was queued.' }),
    completedAt: t.expose('completedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it succeeded or finally failed.',
    }),
    attemptLog: t.relation('attemptLog', {
      description: 'Every attempt, first first.',
      query: { orderBy: { number: 'asc' } },
    }),
  }),
});

const WebhookEndpointSecret = builder.objectRef<EndpointWithSecret>('WebhookEndpointSecret').implement({
  description: 'An endpoint with its signing secret: returned only by createWebhookEndpoint and rotateWebhookSecret.',
  fields: (t) => ({
    endpoint: t.field({ type: WebhookEndpoint, description: 'The endpoint.', resolve: (r) => r.endpoint }),
    secret: t.exposeString('secret', {
      description:
        'The signing secret (`whsec_` + base64; the HMAC key is the base64-decoded part). Store it now: it is never shown again.',
    }),
  }),
});

const WebhookEndpointInput = builder.inputType('WebhookEndpointInput', {
  description: 'A webhook endpoint to register.',
  fields: (t) => WEBHOOK_ENDPOINT_INPUT.fields(t),
});

builder.queryFields((t) => ({
  webhookEndpoints: t.field({
    type: [WebhookEndpoint],
    description:
      'Webhook endpoints: a partner’s own API key’s, or all for an administrator (FORBIDDEN for anyone else).',
    resolve: (_root, _args, ctx) => webhookEndpoints(ctx),
  }),
  webhookDeliveries: t.field({
    type: [WebhookDelivery],
    description: 'The delivery log of one of the caller’s endpoints, newest first.',
    args: {
      endpointId: t.arg.id({ required: true, description: 'The endpoint.' }),
      first: t.arg.int({ required: false, description: 'How many (1–200, default 50).' }),
    },
    resolve: (_root, args, ctx) => webhookDeliveries(ctx, { endpointId: String(args.endpointId), first: args.first }),
  }),
}));

builder.mutationFields((t) => ({
  createWebhookEndpoint: t.field({
    type: WebhookEndpointSecret,
    description:
      'Registers a webhook endpoint (a partner API key or an administrator). Its secret is returned only here.',
    args: { input: t.arg({ type: WebhookEndpointInput, required: true, description: 'The endpoint.' }) },
    resolve: (_root, args, ctx) => createWebhookEndpoint(ctx, args.input),
  }),
  deleteWebhookEndpoint: t.field({
    type: WebhookEndpoint,
    description: 'Deletes one of the caller’s endpoints and its delivery log; returns it as it was.',
    args: { id: t.arg.id({ required: true, description: 'The endpoint.' }) },
    resolve: (_root, args, ctx) => deleteWebhookEndpoint(ctx, args),
  }),
  rotateWebhookSecret: t.field({
    type: WebhookEndpointSecret,
    description:
      'Replaces an endpoint’s signing secret (returned only here). Later attempts are signed with the new one and, for overlapHours, with the old one too.',
    args: {
      id: t.arg.id({ required: true, description: 'The endpoint.' }),
      overlapHours: t.arg.int({
        required: false,
        description: 'Hours the old secret keeps signing as well (0–168, default 24; 0 ends it at once).',
      }),
    },
    resolve: (_root, args, ctx) => rotateWebhookSecret(ctx, args),
  }),
  enableWebhookEndpoint: t.field({
    type: WebhookEndpoint,
    description: 'Re-enables an endpoint that was disabled for failing.',
    args: { id: t.arg.id({ required: true, description: 'The endpoint.' }) },
    resolve: (_root, args, ctx) => enableWebhookEndpoint(ctx, args),
  }),
  recordWebhookEvent: t.boolean({
    inaccessible: true,
    description:
      'Internal (not in the public API): the initiatives and resources subgraphs hand over their events here, signed as subgraph:<name>.',
    args: {
      id: t.arg.string({ required: true, description: 'The event’s message id (msg_…), fixed by its outbox.' }),
      type: t.arg({ type: WebhookEventTypeEnum, required: true, description: 'The event type.' }),
      occurredAt: t.arg({ type: 'DateTime', required: true, description: 'When the change was made.' }),
      data: t.arg({ type: 'JSON', required: true, description: 'Ids and public fields of what changed.' }),
    },
    resolve: (_root, args, ctx) => recordForwardedWebhookEvent(ctx, args),
  }),
  replayWebhookDelivery: t.field({
    type: WebhookDelivery,
    description: 'Sends a delivery’s event again (same webhook-id), as a new delivery in the log.',
    args: { id: t.arg.id({ required: true, description: 'The delivery to replay.' }) },
    resolve: (_root, args, ctx) => replayWebhookDelivery(ctx, args),
  }),
}));
