import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gql } from '@civic/test-stack/graphql';
import { type Stack, startStack } from '@civic/test-stack/stack';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The built processes on the demo data, a partner API key through the gateway, and a real HTTP receiver
// on loopback; signatures checked with the independent `standardwebhooks` package.
interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

let stack: Stack;
let receiver: Server;
let hookUrl: string;
const received: Received[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/civic`;
  stack = await startStack({
    env: { WEBHOOK_ALLOW_PRIVATE: '1', WEBHOOK_RETRY_DELAY_SECONDS: '1', WEBHOOK_MAX_ATTEMPTS: '3' },
    readyTimeoutMs: 240_000,
  });
}, 300_000);

afterAll(async () => {
  await stack?.destroy();
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
});

async function until<T>(what: string, check: () => T | undefined, timeoutMs = 240_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function token(role: 'STAFF' | 'ADMIN'): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    role,
    department: 'dept-neighborhood-improvement',
    sub: `e2e-${role.toLowerCase()}`,
    iss: 'civic-graph-dev',
    aud: 'civic-graph',
    iat: now,
    exp: now + 3600,
  };
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${unsigned}.${createHmac('sha256', stack.jwtSecret).update(unsigned).digest('base64url')}`;
}

const events = (type: string) => received.filter((r) => JSON.parse(r.body).type === type);

describe('partner webhooks through the gateway', () => {
  let secret: string;
  let apiKey: string;

  it('a partner API key registers an endpoint; PUBLIC cannot', async () => {
    const orgs = await gql<{ organizations: { id: string; internal: boolean }[] }>(
      stack.gatewayUrl,
      '{ organizations { id internal } }',
    );
    const organizationId = orgs.body.data?.organizations.find((o) => !o.internal)?.id;
    expect(organizationId).toBeDefined();
    const created = await fetch(`${stack.gatewayUrl.replace(/\/graphql$/, '')}/admin/api-keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token('ADMIN')}` },
      body: JSON.stringify({ organizationId, label: 'webhooks e2e' }),
    });
    expect(created.status).toBe(201);
    apiKey = ((await created.json()) as { key: string }).key;

    const CREATE = `mutation ($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret endpoint { id ownerRole } } }`;
    const input = {
      url: hookUrl,
      events: ['CONCERN_STATUS_CHANGED', 'INITIATIVE_STATUS_CHANGED', 'MEASURE_OBSERVATION_ADDED', 'SERVICE_CHANGED'],
    };
    const refused = await gql(stack.gatewayUrl, CREATE, { input });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const answer = await gql<{ createWebhookEndpoint: { secret: string; endpoint: { ownerRole: string } } }>(
      stack.gatewayUrl,
      CREATE,
      { input },
      { 'x-api-key': apiKey },
    );
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data?.createWebhookEndpoint.endpoint.ownerRole).toBe('PARTNER');
    secret = answer.body.data?.createWebhookEndpoint.secret as string;
    expect(secret).toMatch(/^whsec_/);
    const internal = await gql(
      stack.gatewayUrl,
      'mutation { recordWebhookEvent(id: "msg_x", type: SERVICE_CHANGED, occurredAt: "2026-12-03T00:00:00Z", data: {}) }',
      {},
      { authorization: `Bearer ${token('ADMIN')}` },
    );
    expect(internal.body.errors?.length, 'the internal mutation is not in the public API').toBeGreaterThan(0);
  }, 60_000);

  it('a concern status change is delivered, signed', async () => {
    const listed = await gql<{ concerns: { edges: { node: { id: string; status: string } }[] } }>(
      stack.gatewayUrl,
      '{ concerns(first: 20) { edges { node { id status } } } }',
    );
    const concern = listed.body.data?.concerns.edges.find((e) => e.node.status === 'NEW')?.node;
    expect(concern).toBeDefined();
    const changed = await gql(
      stack.gatewayUrl,
      'mutation ($id: ID!) { changeConcernStatus(concernId: $id, status: UNDER_REVIEW, publicNote: "We are looking into it.") { status } }',
      { id: concern?.id },
      { authorization: `Bearer ${token('STAFF')}` },
    );
    expect(changed.body.errors).toBeUndefined();
    const delivery = await until('the concern event', () => events('concern.status_changed')[0]);
    const payload = new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>);
    expect(payload).toMatchObject({ data: { concernId: concern?.id, toStatus: 'UNDER_REVIEW' } });
  }, 300_000);

  it('an initiative status change made while engagement is down is delivered once it is back', async () => {
    const listed = await gql<{ initiatives: { id: string; code: string }[] }>(
      stack.gatewayUrl,
      '{ initiatives { id code } }',
    );
    const initiative = listed.body.data?.initiatives[0];
    expect(initiative).toBeDefined();
    await stack.stopSubgraph('engagement');
    const changed = await gql(
      stack.gatewayUrl,
      'mutation ($input: UpdateInitiativeStatusInput!) { updateInitiativeStatus(input: $input) { id } }',
      { input: { initiativeId: initiative?.id, status: 'ON_HOLD', note: 'Paused for the budget review.' } },
      { authorization: `Bearer ${token('ADMIN')}` },
    );
    expect(changed.body.errors).toBeUndefined();
    await stack.startSubgraph('engagement');
    const delivery = await until('the initiative event', () => events('initiative.status_changed')[0]);
    const payload = new Webhook(secret).verify(delivery.body, delivery.headers as Record<string, string>);
    expect(payload).toMatchObject({
      data: { initiativeId: initiative?.id, code: initiative?.code, toStatus: 'ON_HOLD' },
    });
    await new Promise((r) => setTimeout(r, 3000));
    expect(events('initiative.status_changed')).toHaveLength(1);
  }, 400_000);

  it('a measure observation and a service status change are delivered, signed', async () => {
    const admin = { authorization: `Bearer ${token('ADMIN')}` };
    const plan = await gql<{
      initiatives: { id: string; measures: { id: string; automaticSource: string | null; valueType: string }[] }[];
    }>(stack.gatewayUrl, '{ initiatives { id measures { id automaticSource valueType } } }');
    const measure = plan.body.data?.initiatives
      .flatMap((i) => i.measures)
      .find((m) => m.automaticSource === null && m.valueType === 'NUMBER');
    expect(measure).toBeDefined();
    const observed = await gql<{ addObservation: { id: string } }>(
      stack.gatewayUrl,
      'mutation ($input: AddObservationInput!) { addObservation(input: $input) { id } }',
      { input: { measureId: measure?.id, label: 'Webhook check', value: 7 } },
      admin,
    );
    expect(observed.body.errors).toBeUndefined();
    const services = await gql<{ services: { edges: { node: { id: string; status: string } }[] } }>(
      stack.gatewayUrl,
      '{ services(first: 1) { edges { node { id status } } } }',
    );
    const service = services.body.data?.services.edges[0]?.node;
    expect(service).toBeDefined();
    const status = service?.status === 'INACTIVE' ? 'ACTIVE' : 'INACTIVE';
    const changed = await gql(
      stack.gatewayUrl,
      'mutation ($id: ID!, $status: ServiceStatus!) { setServiceStatus(id: $id, status: $status) { id } }',
      { id: service?.id, status },
      admin,
    );
    expect(changed.body.errors).toBeUndefined();

    // Automatic measures refreshing meanwhile announce observations of their own: find this one's.
    const about = (key: string, id: unknown) => (event: { body: string }) =>
      (JSON.parse(event.body) as { data?: Record<string, unknown> }).data?.[key] === id;
    const observation = await until('the observation event', () =>
      events('measure.observation_added').find(about('observationId', observed.body.data?.addObservation.id)),
    );
    expect(new Webhook(secret).verify(observation.body, observation.headers as Record<string, string>)).toMatchObject({
      data: { observationId: observed.body.data?.addObservation.id, measureId: measure?.id, value: 7 },
    });
    const serviceEvent = await until('the service event', () =>
      events('service.changed').find(about('serviceId', service?.id)),
    );
    expect(new Webhook(secret).verify(serviceEvent.body, serviceEvent.headers as Record<string, string>)).toMatchObject(
      {
        data: { serviceId: service?.id, status, action: 'UPDATED', changedFields: ['status'] },
      },
    );
  }, 300_000);
});
