import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '@civic/server-kit/logger';
import { identities } from '@civic/test-stack/subgraph';
import { sourceIdentity } from '@civic/webhooks/forward';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookWorker, type WebhookRuntime } from '../src/domain/webhook-delivery.ts';
import { admin, type Engagement, errorCode, partner, publicCaller, staff, startEngagement } from './helpers.ts';

/**
 * Partner webhooks on the real stack: the engagement schema over a real database, the durable queue's
 * worker, and a real HTTP receiver on loopback. Signatures are checked with the independent
 * `standardwebhooks` package. The worker retries after 1 s, doubling, at most 3 attempts.
 */

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const otherPartner = identities.partner('org-other', 'key-other');
const RESIDENT_EMAIL = 'resident.private@example.org';

let sg: Engagement;
let worker: WebhookRuntime;
let receiver: Server;
let base: string;
const received: Received[] = [];
/** Status codes a path answers, in turn; 200 once its list is empty (`/down` always answers 500). */
const scripts = new Map<string, number[]>();

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const status = path === '/down' ? 500 : (scripts.get(path)?.shift() ?? 200);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(String(status));
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  process.env.WEBHOOK_ALLOW_PRIVATE = '1';
  sg = await startEngagement(false);
  worker = await startWebhookWorker(sg.prisma, sg.db, createLogger('engagement', 'error'), {
    pollingIntervalSeconds: 0.5,
    env: {
      WEBHOOK_ALLOW_PRIVATE: '1',
      WEBHOOK_MAX_ATTEMPTS: '3',
      WEBHOOK_RETRY_DELAY_SECONDS: '1',
      WEBHOOK_DISABLE_AFTER_FAILURES: '2',
    },
  });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await sg?.stop();
  await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  delete process.env.WEBHOOK_ALLOW_PRIVATE;
});

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let i = 0; i < 480; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const at = (path: string) => received.filter((r) => r.path === path);
const header = (r: Received, name: string) => String(r.headers[name] ?? '');

async function newConcern(title: string, publish = true): Promise<string> {
  const created = await sg.execute<{ createConversation: { id: string; concerns: { id: string }[] } }>(
    `mutation ($input: CreateConversationInput!) { createConversation(input: $input) { id concerns { id } } }`,
    {
      input: {
        title,
        heldOn: '2026-10-14T18:00:00.000Z',
        format: 'IN_PERSON',
        concerns: [
          {
            summary: `Broken streetlights on Main St. (${title})`,
            moderation: 'ACCEPTED',
            contact: { name: 'Pat Resident', email: RESIDENT_EMAIL },
          },
        ],
      },
    },
    staff,
  );
  expect(created.errors).toBeUndefined();
  const conversation = created.data?.createConversation;
  if (publish) {
    const published = await sg.execute(
      'mutation ($id: ID!) { publishConversation(id: $id) { id } }',
      { id: conversation?.id },
      staff,
    );
    expect(published.errors).toBeUndefined();
  }
  return conversation?.concerns[0]?.id as string;
}

const CREATE = `mutation ($input: WebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { secret endpoint { id url events ownerRole ownerSubject disabledAt } }
}`;
const DELIVERIES = `query ($id: ID!) {
  webhookDeliveries(endpointId: $id) {
    id messageId eventType payload status attempts lastStatusCode nextAttemptAt replayOf completedAt
    attemptLog { number statusCode error }
  }
}`;
const STATUS = `mutation ($id: ID!, $s: ConcernStatus!, $n: String!) {
  changeConcernStatus(concernId: $id, status: $s, publicNote: $n) { id status }
}`;

interface Created {
  createWebhookEndpoint: { secret: string; endpoint: { id: string; url: string; events: string[] } };
}
interface Delivery {
  id: string;
  messageId: string;
  eventType: string;
  payload: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  nextAttemptAt: string | null;
  replayOf: string | null;
  attemptLog: { number: number; statusCode: number | null; error: string | null }[];
}

async function createEndpoint(path: string, events: string[], who = partner) {
  const result = await sg.execute<Created>(CREATE, { input: { url: `${base}${path}`, events } }, who);
  expect(result.errors).toBeUndefined();
  return result.data?.createWebhookEndpoint as Created['createWebhookEndpoint'];
}

async function deliveries(endpointId: string, who = partner): Promise<Delivery[]> {
  const result = await sg.execute<{ webhookDeliveries: Delivery[] }>(DELIVERIES, { id: endpointId }, who);
  expect(result.errors).toBeUndefined();
  return result.data?.webhookDeliveries ?? [];
}

describe('who may register endpoints', () => {
  it('PUBLIC and STAFF callers are FORBIDDEN and nothing is stored', async () => {
    for (const who of [publicCaller, staff]) {
      const result = await sg.execute(CREATE, { input: { url: `${base}/x`, events: ['CONCERN_STATUS_CHANGED'] } }, who);
      expect(errorCode(result)).toBe('FORBIDDEN');
      expect(errorCode(await sg.execute('{ webhookEndpoints { id } }', {}, who))).toBe('FORBIDDEN');
    }
    expect(await sg.prisma.webhookEndpoint.count()).toBe(0);
  });

  it('refuses non-http URLs, private addresses unless WEBHOOK_ALLOW_PRIVATE=1, and empty event lists', async () => {
    const bad = await sg.execute(CREATE, { input: { url: 'ftp://partner.example.org/', events: [] } }, partner);
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    const problems = (bad.errors?.[0]?.extensions?.problems ?? []) as { field: string }[];
    expect(problems.map((p) => p.field).sort()).toEqual(['input.events', 'input.url']);
    delete process.env.WEBHOOK_ALLOW_PRIVATE;
    try {
      const loopback = await sg.execute(
        CREATE,
        { input: { url: `${base}/x`, events: ['ALIGNMENT_CREATED'] } },
        partner,
      );
      expect(errorCode(loopback)).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(loopback.errors)).toContain('loopback or private');
    } finally {
      process.env.WEBHOOK_ALLOW_PRIVATE = '1';
    }
    expect(await sg.prisma.webhookEndpoint.count()).toBe(0);
  });
});

describe('deliveries', () => {
  let flaky: Created['createWebhookEndpoint'];
  let concernId: string;

  it('a receiver that fails twice gets the status change on the third attempt, signed per Standard Webhooks', async () => {
    flaky = await createEndpoint('/flaky', ['CONCERN_STATUS_CHANGED']);
    expect(flaky.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    scripts.set('/flaky', [500, 500]);
    concernId = await newConcern('Webhook retries');
    const changed = await sg.execute(
      STATUS,
      { id: concernId, s: 'UNDER_REVIEW', n: 'Crews will look this week.' },
      staff,
    );
    expect(changed.errors).toBeUndefined();

    const [log] = await until('the delivery to succeed', async () => {
      const list = await deliveries(flaky.endpoint.id);
      return list[0]?.status === 'SUCCEEDED' ? list : undefined;
    });
    expect(log).toMatchObject({
      eventType: 'CONCERN_STATUS_CHANGED',
      attempts: 3,
      lastStatusCode: 200,
      nextAttemptAt: null,
    });
    expect(log?.attemptLog.map((a) => a.statusCode)).toEqual([500, 500, 200]);
    expect(log?.attemptLog[0]?.error).toBe('HTTP 500');

    const requests = at('/flaky');
    expect(requests).toHaveLength(3);
    // Every attempt carries the same message id; each is signed afresh and verifies.
    expect(new Set(requests.map((r) => header(r, 'webhook-id')))).toEqual(new Set([log?.messageId]));
    const verifier = new Webhook(flaky.secret);
    for (const request of requests) {
      expect(verifier.verify(request.body, request.headers as Record<string, string>)).toEqual(
        JSON.parse(request.body),
      );
    }
    const last = requests[2] as Received;
    expect(() =>
      new Webhook(flaky.secret).verify(
        last.body.replace('UNDER_REVIEW', 'ADDRESSED'),
        last.headers as Record<string, string>,
      ),
    ).toThrow();
    const payload = JSON.parse(last.body);
    expect(payload).toMatchObject({
      type: 'concern.status_changed',
      data: { concernId, fromStatus: 'NEW', toStatus: 'UNDER_REVIEW', publicNote: 'Crews will look this week.' },
    });
    expect(last.body).toBe(log?.payload);
    expect(last.body).not.toContain(RESIDENT_EMAIL);
    expect(last.body).not.toContain('Pat Resident');
  }, 120_000);

  it('replay sends the same message again as a new delivery; after a rotation both secrets sign until the overlap ends', async () => {
    const [original] = await deliveries(flaky.endpoint.id);
    const rotate = async (overlapHours?: number) => {
      const rotated = await sg.execute<{
        rotateWebhookSecret: { secret: string; endpoint: { previousSecretExpiresAt: string | null } };
      }>(
        'mutation ($id: ID!, $h: Int) { rotateWebhookSecret(id: $id, overlapHours: $h) { secret endpoint { previousSecretExpiresAt } } }',
        { id: flaky.endpoint.id, h: overlapHours },
        partner,
      );
      expect(rotated.errors).toBeUndefined();
      return rotated.data?.rotateWebhookSecret as {
        secret: string;
        endpoint: { previousSecretExpiresAt: string | null };
      };
    };
    const replay = async (): Promise<Received> => {
      const before = at('/flaky').length;
      const replayed = await sg.execute<{ replayWebhookDelivery: { id: string; replayOf: string; status: string } }>(
        'mutation ($id: ID!) { replayWebhookDelivery(id: $id) { id replayOf status } }',
        { id: original?.id },
        partner,
      );
      expect(replayed.errors).toBeUndefined();
      expect(replayed.data?.replayWebhookDelivery).toMatchObject({ replayOf: original?.id, status: 'PENDING' });
      const request = await until('the replay', () => at('/flaky')[before]);
      expect(header(request, 'webhook-id')).toBe(original?.messageId);
      expect(request.body).toBe(original?.payload);
      return request;
    };
    const verifies = (secret: string, r: Received) => {
      try {
        new Webhook(secret).verify(r.body, r.headers as Record<string, string>);
        return true;
      } catch {
        return false;
      }
    };

    const second = await rotate();
    expect(second.secret).not.toBe(flaky.secret);
    expect(second.endpoint.previousSecretExpiresAt).not.toBeNull();
    const during = await replay();
    expect(header(during, 'webhook-signature').split(' ')).toHaveLength(2);
    expect([verifies(second.secret, during), verifies(flaky.secret, during)]).toEqual([true, true]);

    const third = await rotate(0);
    expect(third.endpoint.previousSecretExpiresAt).toBeNull();
    const after = await replay();
    expect([verifies(third.secret, after), verifies(second.secret, after), verifies(flaky.secret, after)]).toEqual([
      true,
      false,
      false,
    ]);
    const log = await until('the replays to be logged', async () => {
      const list = await deliveries(flaky.endpoint.id);
      return list.filter((d) => d.replayOf === original?.id && d.status === 'SUCCEEDED').length === 2
        ? list
        : undefined;
    });
    expect(log).toHaveLength(3);
  }, 60_000);

  it('one key cannot see, replay or delete another key’s endpoints and deliveries; an administrator sees all', async () => {
    const [delivery] = await deliveries(flaky.endpoint.id);
    const mine = await sg.execute<{ webhookEndpoints: { id: string }[] }>(
      '{ webhookEndpoints { id } }',
      {},
      otherPartner,
    );
    expect(mine.errors).toBeUndefined();
    expect(mine.data?.webhookEndpoints).toEqual([]);
    expect(errorCode(await sg.execute(DELIVERIES, { id: flaky.endpoint.id }, otherPartner))).toBe('NOT_FOUND');
    expect(
      errorCode(
        await sg.execute(
          'mutation ($id: ID!) { replayWebhookDelivery(id: $id) { id } }',
          { id: delivery?.id },
          otherPartner,
        ),
      ),
    ).toBe('NOT_FOUND');
    for (const mutation of ['deleteWebhookEndpoint(id: $id) { id }', 'rotateWebhookSecret(id: $id) { secret }']) {
      expect(
        errorCode(await sg.execute(`mutation ($id: ID!) { ${mutation} }`, { id: flaky.endpoint.id }, otherPartner)),
      ).toBe('NOT_FOUND');
    }
    const all = await sg.execute<{ webhookEndpoints: { id: string; ownerSubject: string }[] }>(
      '{ webhookEndpoints { id ownerSubject } }',
      {},
      admin,
    );
    expect(all.data?.webhookEndpoints.map((e) => e.ownerSubject)).toContain('key-partner');
    expect(await deliveries(flaky.endpoint.id, admin)).toHaveLength(3);
  });

  it('alignments created and removed reach subscribers; a hidden concern’s events reach no one', async () => {
    const other = await createEndpoint('/alignments', ['ALIGNMENT_CREATED', 'ALIGNMENT_REMOVED'], otherPartner);
    const aligned = await sg.execute<{ alignConcern: { id: string } }>(
      'mutation ($input: AlignConcernInput!) { alignConcern(input: $input) { id } }',
      { input: { concernId, serviceId: 'svc-streetlights', rationale: 'Street lighting repairs.' } },
      staff,
    );
    expect(aligned.errors).toBeUndefined();
    const alignmentId = aligned.data?.alignConcern.id;
    const removed = await sg.execute(
      'mutation ($id: ID!) { unalignConcern(alignmentId: $id) { id } }',
      { id: alignmentId },
      staff,
    );
    expect(removed.errors).toBeUndefined();
    const got = await until('both alignment events', () =>
      at('/alignments').length >= 2 ? at('/alignments') : undefined,
    );
    const types = got.map((r) => JSON.parse(r.body).type).sort();
    expect(types).toEqual(['alignment.created', 'alignment.removed']);
    for (const r of got) {
      expect(JSON.parse(r.body).data).toMatchObject({ alignmentId, concernId, serviceId: 'svc-streetlights' });
      expect(new Webhook(other.secret).verify(r.body, r.headers as Record<string, string>)).toBeTruthy();
    }

    const hidden = await newConcern('Webhook hidden', false);
    const events = await sg.prisma.webhookEvent.count();
    const alignHidden = await sg.execute(
      'mutation ($input: AlignConcernInput!) { alignConcern(input: $input) { id } }',
      { input: { concernId: hidden, serviceId: 'svc-streetlights', rationale: 'Street lighting repairs.' } },
      staff,
    );
    expect(alignHidden.errors).toBeUndefined();
    expect(await sg.prisma.webhookEvent.count()).toBe(events);
  }, 60_000);

  it('an endpoint whose deliveries keep failing is disabled, says why, and gets nothing more until enabled', async () => {
    const down = await createEndpoint('/down', ['CONCERN_STATUS_CHANGED']);
    const first = await newConcern('Webhook down one');
    const second = await newConcern('Webhook down two');
    for (const id of [first, second]) {
      expect(
        (await sg.execute(STATUS, { id, s: 'UNDER_REVIEW', n: 'Looking into it.' }, staff)).errors,
      ).toBeUndefined();
    }
    const endpoint = await until('the endpoint to be disabled', async () => {
      const list = await sg.execute<{
        webhookEndpoints: {
          id: string;
          disabledAt: string | null;
          disabledReason: string | null;
          consecutiveFailures: number;
        }[];
      }>('{ webhookEndpoints { id disabledAt disabledReason consecutiveFailures } }', {}, partner);
      const found = list.data?.webhookEndpoints.find((e) => e.id === down.endpoint.id);
      return found?.disabledAt ? found : undefined;
    });
    expect(endpoint.disabledReason).toBe('2 deliveries in a row failed after every retry');
    const log = await deliveries(down.endpoint.id);
    expect(log.map((d) => d.status)).toEqual(['FAILED', 'FAILED']);
    expect(log.every((d) => d.attemptLog.length === 3)).toBe(true);
    expect(at('/down')).toHaveLength(6);

    // Disabled: a new event creates no delivery for it (the flaky endpoint still gets one).
    const third = await newConcern('Webhook down three');
    expect((await sg.execute(STATUS, { id: third, s: 'UNDER_REVIEW', n: 'Looking.' }, staff)).errors).toBeUndefined();
    expect(await deliveries(down.endpoint.id)).toHaveLength(2);
    expect(
      errorCode(
        await sg.execute('mutation ($id: ID!) { replayWebhookDelivery(id: $id) { id } }', { id: log[0]?.id }, partner),
      ),
    ).toBe('CONFLICT');

    const enabled = await sg.execute<{
      enableWebhookEndpoint: { disabledAt: string | null; consecutiveFailures: number };
    }>(
      'mutation ($id: ID!) { enableWebhookEndpoint(id: $id) { disabledAt consecutiveFailures } }',
      { id: down.endpoint.id },
      partner,
    );
    expect(enabled.data?.enableWebhookEndpoint).toEqual({ disabledAt: null, consecutiveFailures: 0 });
    const deleted = await sg.execute(
      'mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) { id } }',
      { id: down.endpoint.id },
      partner,
    );
    expect(deleted.errors).toBeUndefined();
    expect(await sg.prisma.webhookDelivery.count({ where: { endpointId: down.endpoint.id } })).toBe(0);
  }, 120_000);

  it('initiatives and resources hand over their events, once per id; no one else may', async () => {
    const planWatch = await createEndpoint('/plan', ['INITIATIVE_STATUS_CHANGED', 'SERVICE_CHANGED'], otherPartner);
    const RECORD = `mutation ($id: String!, $type: WebhookEventType!, $at: DateTime!, $data: JSON!) {
      recordWebhookEvent(id: $id, type: $type, occurredAt: $at, data: $data)
    }`;
    const event = {
      id: 'msg_initiative0001',
      type: 'INITIATIVE_STATUS_CHANGED',
      at: '2026-12-03T08:00:00.000Z',
      data: { initiativeId: 'init-1', code: 'SG1.1', fromStatus: 'ON_TRACK', toStatus: 'COMPLETE' },
    };
    for (const who of [partner, admin, staff, publicCaller, sourceIdentity('resources')]) {
      expect(errorCode(await sg.execute(RECORD, event, who))).toBe('FORBIDDEN');
    }
    const initiatives = sourceIdentity('initiatives');
    expect((await sg.execute(RECORD, event, initiatives)).errors).toBeUndefined();
    // A retried hand-over of the same event is recorded once.
    expect((await sg.execute(RECORD, event, initiatives)).errors).toBeUndefined();
    const request = await until('the initiative event', () => at('/plan')[0]);
    expect(header(request, 'webhook-id')).toBe('msg_initiative0001');
    expect(new Webhook(planWatch.secret).verify(request.body, request.headers as Record<string, string>)).toEqual({
      type: 'initiative.status_changed',
      timestamp: '2026-12-03T08:00:00.000Z',
      data: event.data,
    });
    await until('the delivery to finish', async () => {
      const [d] = await deliveries(planWatch.endpoint.id, otherPartner);
      return d?.status === 'SUCCEEDED' ? d : undefined;
    });
    expect(at('/plan')).toHaveLength(1);
    expect(await sg.prisma.webhookDelivery.count({ where: { eventId: 'msg_initiative0001' } })).toBe(1);
  }, 60_000);
});
