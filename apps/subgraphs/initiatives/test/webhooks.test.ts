import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyIdentity } from '@civic/server-kit/identity';
import { createLogger } from '@civic/server-kit/logger';
import { identities, startTestSubgraph, type TestSubgraph } from '@civic/test-stack/subgraph';
import { startWebhookForwarder, type WebhookForwarder } from '@civic/webhooks/forward';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InitiativesPrisma } from '../src/db.ts';
import { createInitiativesSubgraph } from '../src/subgraph.ts';
import { COMMS, ok } from './helpers.ts';

/**
 * The outbox that hands partner webhook events to engagement: a stand-in for engagement's internal
 * `recordWebhookEvent` over real HTTP, checking the shared-secret signature the way a subgraph does.
 */
const SECRET = 'webhook-forward-test-secret-0123456789abcdef';

interface Handed {
  identity: unknown;
  variables: { id: string; type: string; data: Record<string, unknown> };
}

let engagement: Server;
let subgraph: TestSubgraph<InitiativesPrisma>;
let forwarder: WebhookForwarder;
const handed: Handed[] = [];
let months: { month: string; published: number }[] = [];

beforeAll(async () => {
  engagement = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const verified = verifyIdentity(SECRET, (name) => req.headers[name] as string | undefined, body);
      if (verified.status !== 'valid') {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"errors":[{"message":"unsigned"}]}');
        return;
      }
      const { variables } = JSON.parse(body.toString('utf8'));
      handed.push({ identity: verified.identity, variables });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"recordWebhookEvent":true}}');
    });
  });
  await new Promise<void>((resolve) => engagement.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(engagement.address() as AddressInfo).port}/graphql`;
  subgraph = await startTestSubgraph(createInitiativesSubgraph({ conversationStats: async () => months }), {
    seed: true,
  });
  forwarder = await startWebhookForwarder(subgraph.prisma, subgraph.db, createLogger('initiatives', 'error'), {
    source: 'initiatives',
    schema: 'initiatives_webhooks',
    env: { ENGAGEMENT_URL: url, CIVIC_GATEWAY_SECRET: SECRET },
    pollingIntervalSeconds: 0.5,
  });
}, 120_000);

afterAll(async () => {
  await forwarder?.stop();
  await subgraph?.stop();
  await new Promise<void>((resolve) => engagement?.close(() => resolve()));
});

async function until<T>(what: string, check: () => T | undefined): Promise<T> {
  for (let i = 0; i < 480; i++) {
    const value = check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const ofType = (type: string) => handed.filter((h) => h.variables.type === type);

describe('initiatives hands its partner webhook events to engagement', () => {
  it('a status change is handed over signed as subgraph:initiatives', async () => {
    const staff = identities.staff(COMMS);
    const data = ok(
      await subgraph.execute<{ updateInitiativeStatus: { id: string; status: string } }>(
        `mutation { updateInitiativeStatus(input: { code: "3.13", status: ON_HOLD, note: "Paused." }) { id status } }`,
        {},
        staff,
      ),
    );
    const event = await until('the status event', () => ofType('INITIATIVE_STATUS_CHANGED')[0]);
    expect(event.identity).toMatchObject({ role: 'ADMIN', subject: 'subgraph:initiatives' });
    expect(event.variables.id).toMatch(/^msg_/);
    expect(event.variables.data).toMatchObject({
      initiativeId: data.updateInitiativeStatus.id,
      code: '3.13',
      toStatus: 'ON_HOLD',
    });
  }, 60_000);

  it('an automatic refresh announces only the months the series gains', async () => {
    const measure = await subgraph.prisma.measure.findFirstOrThrow({
      where: { initiative: { code: '3.13' }, name: 'Community Conversations Uploaded' },
    });
    const refresh = () =>
      subgraph.execute(
        `mutation ($id: ID!) { refreshMeasure(id: $id) { months } }`,
        { id: measure.id },
        identities.staff(COMMS),
      );
    months = [
      { month: '2026-10', published: 4 },
      { month: '2026-11', published: 7 },
    ];
    ok(await refresh());
    await until('two observation events', () => (ofType('MEASURE_OBSERVATION_ADDED').length >= 2 ? true : undefined));
    months = [...months, { month: '2026-12', published: 9 }];
    ok(await refresh());
    await until('the third observation event', () =>
      ofType('MEASURE_OBSERVATION_ADDED').length >= 3 ? true : undefined,
    );
    // The receiver records an event before it answers, so its job is still active for a moment after it arrives.
    for (let i = 0; (await forwarder.queue.pending()) > 0; i++) {
      if (i === 240) throw new Error('the forwarder still had jobs after 60 s');
      await new Promise((r) => setTimeout(r, 250));
    }
    // Nothing more was handed over once the queue was empty: each month announced once.
    const periods = ofType('MEASURE_OBSERVATION_ADDED').map((h) => h.variables.data.period);
    expect(periods.sort()).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(ofType('MEASURE_OBSERVATION_ADDED').every((h) => h.variables.data.automatic === true)).toBe(true);
  }, 60_000);
});
