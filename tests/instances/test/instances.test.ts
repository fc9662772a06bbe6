import { randomBytes } from 'node:crypto';
import { type Instances, type ServiceName, startInstances } from '@civic/test-stack/instances';
import { Redis } from 'ioredis';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Haproxy, missingPrerequisite, startHaproxy } from './haproxy.ts';
import { bodyText, gql, type Mail, signIn, sleep, startInbox, startReceiver, until } from './support.ts';

// Two gateways and two of each subgraph (issue 20, "Many instances"): each subgraph's pair on one
// PostgreSQL database, the gateways sharing Redis (rate limits, response cache) and their own
// database, all behind HAProxy on loopback. Every service reaches the others through HAProxy too.
const skipped = missingPrerequisite();
if (skipped) console.warn(`tests/instances skipped: ${skipped}`);

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const REDIS_PREFIX = `civic-test:instances:${randomBytes(6).toString('hex')}:`;
/** Operations per window for a PUBLIC address, or a signed-in subject or API key, across both gateways. */
const LIMIT = 20;

const CREATE_CONVERSATION = `mutation Record($input: CreateConversationInput!) {
  createConversation(input: $input) { id concerns { id } } }`;
const PUBLISH = 'mutation Publish($id: ID!) { publishConversation(id: $id) { id status } }';
const CONCERN_PAGE = `query ConcernPage($id: ID!) {
  concern(id: $id) { id summary status cityResponse followerCount } }`;
const CHANGE_STATUS = `mutation Status($id: ID!, $status: ConcernStatus!, $note: String!) {
  changeConcernStatus(concernId: $id, status: $status, publicNote: $note) { id status } }`;

const ALIGNMENT_STATUS = 'query Engine { alignmentStatus { pendingJobs pendingConcerns } }';

type ConcernPage = {
  concern: { id: string; status: string; cityResponse: string | null; followerCount: number | null };
};

let instances: Instances;
let haproxy: Haproxy | undefined;
let inbox: Awaited<ReturnType<typeof startInbox>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const front = () => instances.fronts.gateway;
const gateway = (index: number) => instances.of('gateway')[index]?.base as string;
const staff = () => signIn(instances.jwtSecret, 'STAFF');
const admin = () => signIn(instances.jwtSecret, 'ADMIN');
const servedBy = (answer: { headers: Record<string, unknown> }) => String(answer.headers['x-served-by']);

/**
 * Waits until the alignment engine has tagged what the test wrote: its tagging records an invalidation
 * of the concern, which would otherwise clear a cached answer between two of the test's reads.
 */
async function engineSettled(base: string): Promise<void> {
  const pending = async () => {
    const status = await gql<{ alignmentStatus: { pendingJobs: number; pendingConcerns: number } }>(
      base,
      ALIGNMENT_STATUS,
      {},
      staff(),
    );
    const s = status.body.data?.alignmentStatus;
    return s ? s.pendingJobs + s.pendingConcerns : -1;
  };
  await expect.poll(pending, { timeout: 120_000, interval: 250 }).toBe(0);
  // The gateways follow the subgraphs' invalidations every 500 ms.
  await sleep(1_500);
}

/** Until HAProxy sends requests to both gateways (each checked ready). */
async function bothGatewaysInRotation(): Promise<void> {
  const seen = new Set<string>();
  const deadline = Date.now() + 120_000;
  while (seen.size < 2) {
    if (Date.now() > deadline) throw new Error(`HAProxy kept sending requests to ${[...seen].join(', ') || 'nobody'}`);
    const answer = await fetch(`${front()}/health`).catch(() => undefined);
    const by = answer?.headers.get('x-served-by');
    if (answer?.ok && by) seen.add(by);
    else await sleep(250);
  }
}

/** A published concern (status NEW), written by STAFF through `base`. */
async function publicConcern(base: string, summary: string): Promise<string> {
  const created = await gql<{ createConversation: { id: string; concerns: { id: string }[] } }>(
    base,
    CREATE_CONVERSATION,
    {
      input: {
        title: `Instances: ${summary}`,
        heldOn: '2026-11-20T18:00:00.000Z',
        format: 'IN_PERSON',
        concerns: [{ summary, moderation: 'ACCEPTED' }],
      },
    },
    staff(),
  );
  expect(created.body.errors).toBeUndefined();
  const conversation = created.body.data?.createConversation;
  const published = await gql(base, PUBLISH, { id: conversation?.id }, staff());
  expect(published.body.errors).toBeUndefined();
  return conversation?.concerns[0]?.id as string;
}

describe.skipIf(skipped !== undefined)('two of each service behind HAProxy (PostgreSQL, Redis)', () => {
  beforeAll(async () => {
    [inbox, receiver] = await Promise.all([startInbox(), startReceiver()]);
    instances = await startInstances({
      production: true,
      seed: 'reference',
      env: {
        SMTP_URL: inbox.url,
        WEBHOOK_ALLOW_PRIVATE: '1',
        WEBHOOK_RETRY_DELAY_SECONDS: '1',
        LOG_LEVEL: 'error',
      },
      gatewayEnv: {
        REDIS_URL,
        TRUST_PROXY: '1',
        RATE_LIMIT_REDIS_PREFIX: `${REDIS_PREFIX}rate:`,
        RATE_LIMIT_PER_ADDRESS: String(LIMIT),
        RATE_LIMIT_PER_KEY: String(LIMIT),
        RATE_LIMIT_WINDOW_MS: '300000',
        RESPONSE_CACHE: 'on',
        RESPONSE_CACHE_REDIS_PREFIX: `${REDIS_PREFIX}cache:`,
        // Long enough that only invalidation, never expiry, can make a write visible.
        RESPONSE_CACHE_TTL_SECONDS: '600',
      },
      readyTimeoutMs: 240_000,
      balance: async (ports) => {
        haproxy = await startHaproxy(ports);
        return haproxy.fronts as Record<ServiceName, string>;
      },
    });
    await bothGatewaysInRotation();
  });

  afterAll(async () => {
    await instances?.destroy();
    await haproxy?.stop();
    await Promise.all([inbox?.close(), receiver?.close()]);
    const redis = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${REDIS_PREFIX}*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    redis.disconnect();
  });

  test('rate limits are shared: one address and one signed-in subject get LIMIT operations across both gateways', async () => {
    const address = '127.0.0.77';
    const subject = staff();
    for (const headers of [{}, subject]) {
      const answers = [];
      for (let i = 0; i < LIMIT + 6; i++) answers.push(await gql(front(), '{ __typename }', {}, headers, address));
      const allowed = answers.filter((a) => a.status === 200);
      const refused = answers.filter((a) => a.status === 429);
      expect(allowed).toHaveLength(LIMIT);
      expect(refused).toHaveLength(6);
      expect(answers.slice(0, LIMIT).every((a) => a.status === 200)).toBe(true);
      // Round robin: each gateway answered half, and each refused once the other had counted.
      expect(new Set(allowed.map(servedBy))).toEqual(new Set(['gateway-0', 'gateway-1']));
      expect(new Set(refused.map(servedBy))).toEqual(new Set(['gateway-0', 'gateway-1']));
      expect(allowed.map((a) => Number(a.headers['ratelimit-remaining']))).toEqual(
        Array.from({ length: LIMIT }, (_, i) => LIMIT - 1 - i),
      );
    }
    // Another address is not affected.
    expect((await gql(front(), '{ __typename }')).status).toBe(200);
  });

  test('a PUBLIC answer cached by both gateways is invalidated on both by a write through one', async () => {
    const id = await publicConcern(front(), 'the crosswalk signal on Fayetteville Street is too short');
    await engineSettled(front());
    const cacheOf = (answer: { headers: Record<string, unknown> }) => answer.headers['x-cache'];
    const first = await gql<ConcernPage>(gateway(0), CONCERN_PAGE, { id });
    expect(cacheOf(first)).toBe('miss');
    const onOther = await gql<ConcernPage>(gateway(1), CONCERN_PAGE, { id });
    expect(cacheOf(onOther)).toBe('hit');
    expect(onOther.body).toEqual(first.body);
    expect(first.body.data?.concern).toMatchObject({ status: 'NEW', followerCount: null });

    const changed = await gql(
      gateway(0),
      CHANGE_STATUS,
      { id, status: 'UNDER_REVIEW', note: 'Transportation is timing the signal.' },
      staff(),
    );
    expect(changed.body.errors).toBeUndefined();
    for (const base of [gateway(1), gateway(0), front(), front()]) {
      const after = await gql<ConcernPage>(base, CONCERN_PAGE, { id });
      expect(after.body.data?.concern).toMatchObject({
        status: 'UNDER_REVIEW',
        cityResponse: 'Transportation is timing the signal.',
        followerCount: null,
      });
    }
    // STAFF answers are computed for them, never taken from (or put in) the PUBLIC cache.
    const staffAnswer = await gql<ConcernPage>(front(), CONCERN_PAGE, { id }, staff());
    expect(cacheOf(staffAnswer)).toBe('bypass');
    expect(staffAnswer.body.data?.concern.followerCount).toBe(0);
    const publicAgain = await gql<ConcernPage>(gateway(1), CONCERN_PAGE, { id });
    expect(cacheOf(publicAgain)).toBe('hit');
    expect(publicAgain.body.data?.concern.followerCount).toBeNull();
  });

  test('webhooks and follower notifications are delivered exactly once with two of each worker', async () => {
    const endpoint = await gql<{ createWebhookEndpoint: { secret: string } }>(
      front(),
      `mutation ($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { secret } }`,
      { input: { url: receiver.url, events: ['CONCERN_STATUS_CHANGED', 'INITIATIVE_STATUS_CHANGED'] } },
      admin(),
    );
    expect(endpoint.body.errors).toBeUndefined();
    const signing = new Webhook(endpoint.body.data?.createWebhookEndpoint.secret as string);

    const followers = ['ana@example.org', 'luis@example.org'];
    const concerns = [
      await publicConcern(front(), 'the bus shelter roof on Holloway Street leaks'),
      await publicConcern(front(), 'the library on Roxboro Street closes too early'),
    ];
    const mailTo = (address: string): Mail[] => inbox.mail.filter((m) => m.to.includes(address));
    for (const [i, email] of followers.entries()) {
      const followed = await gql(front(), 'mutation ($input: FollowInput!) { follow(input: $input) }', {
        input: { targetKind: 'CONCERN', targetId: concerns[i], email, language: 'en' },
      });
      expect(followed.body).toEqual({ data: { follow: true } });
      const confirmation = await until(`${email}'s confirmation`, () => mailTo(email)[0]);
      const link = bodyText(confirmation.raw).match(/(http:\/\/127\.0\.0\.1:\d+\/follow\/confirm\?token=[^\s>]+)/)?.[1];
      expect(link?.startsWith(`${front()}/`), 'the link goes to the load balancer').toBe(true);
      expect((await fetch(link as string)).status).toBe(200);
    }

    // One status change through each gateway instance, and an initiative's through the front.
    const notes = ['Transit is replacing the roof.', 'Library services are reviewing the hours.'];
    for (const [i, id] of concerns.entries()) {
      const changed = await gql(gateway(i), CHANGE_STATUS, { id, status: 'UNDER_REVIEW', note: notes[i] }, staff());
      expect(changed.body.errors).toBeUndefined();
    }
    const plan = await gql<{ initiatives: { id: string; status: string }[] }>(front(), '{ initiatives { id status } }');
    const initiative = plan.body.data?.initiatives.find((x) => x.status !== 'ON_HOLD');
    expect(initiative).toBeDefined();
    const paused = await gql(
      front(),
      'mutation ($input: UpdateInitiativeStatusInput!) { updateInitiativeStatus(input: $input) { id } }',
      { input: { initiativeId: initiative?.id, status: 'ON_HOLD', note: 'Paused for the budget review.' } },
      admin(),
    );
    expect(paused.body.errors).toBeUndefined();

    const events = () =>
      receiver.received.map((d) => ({
        id: String(d.headers['webhook-id']),
        ...(signing.verify(d.body, d.headers as Record<string, string>) as {
          type: string;
          data: Record<string, unknown>;
        }),
      }));
    const concernEvents = (id: string) =>
      events().filter((e) => e.type === 'concern.status_changed' && e.data.concernId === id);
    const initiativeEvents = () =>
      events().filter((e) => e.type === 'initiative.status_changed' && e.data.initiativeId === initiative?.id);
    const updates = (i: number) =>
      mailTo(followers[i] as string).filter((m) => bodyText(m.raw).includes(notes[i] as string));
    await until('every delivery', () =>
      concerns.every((id) => concernEvents(id).length > 0) &&
      initiativeEvents().length > 0 &&
      updates(0).length > 0 &&
      updates(1).length > 0
        ? true
        : undefined,
    );
    // Long enough for a second worker's copy (retries every second here) to arrive if there were one.
    await sleep(8_000);
    for (const id of concerns) expect(concernEvents(id)).toHaveLength(1);
    expect(initiativeEvents()).toHaveLength(1);
    const ids = events().map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [i, email] of followers.entries()) {
      expect(updates(i)).toHaveLength(1);
      expect(mailTo(email), `${email}: a confirmation and one update`).toHaveLength(2);
    }
  });

  test('no acknowledged write is lost when one instance of each service is killed (SIGKILL) under load', async () => {
    type Attempt = { title: string; at: number; id?: string };
    const attempts: Attempt[] = [];
    let running = true;
    const writer = async (n: number) => {
      for (let i = 0; running; i++) {
        const title = `Instances load ${n}-${i}-${randomBytes(3).toString('hex')}`;
        const input = {
          title,
          heldOn: '2026-11-21T18:00:00.000Z',
          format: 'IN_PERSON',
          concerns: [{ summary: `${title}: first` }, { summary: `${title}: second` }],
        };
        const answer = await gql<{ createConversation: { id: string } }>(
          front(),
          CREATE_CONVERSATION,
          { input },
          staff(),
        ).catch(() => undefined);
        attempts.push({ title, at: Date.now(), id: answer?.body.data?.createConversation?.id });
      }
    };
    let reads = 0;
    const reader = async () => {
      while (running) {
        await gql(front(), '{ concerns(first: 20) { totalCount edges { node { id status } } } }', {}, staff())
          .then(() => reads++)
          .catch(() => {});
      }
    };
    const load = [writer(0), writer(1), writer(2), reader()];
    await sleep(6_000);
    const killedAt = Date.now();
    const victims = (['gateway', 'engagement', 'initiatives', 'resources'] as const).map(
      (s) => instances.of(s)[1] as NonNullable<ReturnType<Instances['of']>[number]>,
    );
    for (const victim of victims) victim.proc.child.kill('SIGKILL');
    await Promise.all(victims.map((v) => v.proc.exited));
    await sleep(12_000);
    running = false;
    await Promise.all(load);

    const acknowledged = attempts.filter((a) => a.id);
    const afterKill = acknowledged.filter((a) => a.at > killedAt + 2_000);
    console.info(
      `instances under load: ${attempts.length} writes, ${acknowledged.length} acknowledged ` +
        `(${afterKill.length} more than 2 s after the kill), ${reads} reads`,
    );
    expect(victims.every((v) => v.proc.child.signalCode === 'SIGKILL')).toBe(true);
    // The surviving instances carried on.
    expect(afterKill.length).toBeGreaterThan(3);
    const readBack = async (write: Attempt) => {
      const read = await gql<{ conversation: { id: string; title: string; concerns: { id: string }[] } | null }>(
        front(),
        'query ($id: ID!) { conversation(id: $id) { id title concerns { id } } }',
        { id: write.id },
        staff(),
      );
      expect(read.body.data?.conversation, `acknowledged write ${write.title}`).toMatchObject({
        id: write.id,
        title: write.title,
      });
      expect(read.body.data?.conversation?.concerns).toHaveLength(2);
    };
    for (let i = 0; i < acknowledged.length; i += 8) await Promise.all(acknowledged.slice(i, i + 8).map(readBack));
  });
});
