import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { gql } from '@civic/test-stack/graphql';
import { type Stack, startStack } from '@civic/test-stack/stack';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyText, type Received, until } from '../smtp.ts';

// The built processes on the demo data; mail to a real SMTP server on loopback that can refuse for a
// while (451, "try later"); the subgraph is killed with SIGKILL and restarted on the same database.
const STAFF_INBOX = 'desk@city.example.org';
let stack: Stack;
let smtp: SMTPServer;
let refusing = false;
const delivered: Received[] = [];
const refused: { to: string; at: number }[] = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (!refusing) return callback();
      refused.push({ to: address.address, at: Date.now() });
      callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        delivered.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  stack = await startStack({
    env: { SMTP_URL: `smtp://127.0.0.1:${port}`, DISPUTE_NOTIFY_EMAIL: STAFF_INBOX },
    readyTimeoutMs: 240_000,
  });
}, 300_000);
afterAll(async () => {
  await stack?.destroy();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
});

function staffToken(): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    role: 'STAFF',
    department: 'dept-neighborhood-improvement',
    sub: 'e2e-staff',
    iss: 'civic-graph-dev',
    aud: 'civic-graph',
    iat: now,
    exp: now + 3600,
  };
  const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${unsigned}.${createHmac('sha256', stack.jwtSecret).update(unsigned).digest('base64url')}`;
}

const mailTo = (address: string): Received[] => delivered.filter((m) => m.to.includes(address));
const base = () => stack.gatewayUrl.replace(/\/graphql$/, '');

function link(raw: string, action: 'confirm' | 'dispute'): string {
  const match = bodyText(raw).match(new RegExp(`(${base().replace(/[.]/g, '\\.')}/follow/${action}\\?token=[^\\s>]+)`));
  expect(match, `a ${action} link to the gateway`).not.toBeNull();
  return match?.[1] as string;
}

async function newConcerns(count: number): Promise<string[]> {
  const listed = await gql<{ concerns: { edges: { node: { id: string } }[] } }>(
    stack.gatewayUrl,
    'query ($n: Int!) { concerns(first: $n, filter: { status: [NEW] }) { edges { node { id } } } }',
    { n: count },
  );
  const ids = listed.body.data?.concerns.edges.map((e) => e.node.id) ?? [];
  expect(ids).toHaveLength(count);
  return ids;
}

async function follow(id: string, email: string, language: 'en' | 'es'): Promise<void> {
  const before = mailTo(email).length;
  const followed = await gql(stack.gatewayUrl, 'mutation ($input: FollowInput!) { follow(input: $input) }', {
    input: { targetKind: 'CONCERN', targetId: id, email, language },
  });
  expect(followed.body).toEqual({ data: { follow: true } });
  const confirmation = await until(`${email}’s confirmation`, () => mailTo(email)[before]);
  expect((await fetch(link(confirmation.raw, 'confirm'))).status).toBe(200);
}

async function staffCall(query: string, variables: Record<string, unknown>): Promise<void> {
  const result = await gql(stack.gatewayUrl, query, variables, { authorization: `Bearer ${staffToken()}` });
  expect(result.body.errors).toBeUndefined();
}

const STATUS = `mutation ($id: ID!, $s: ConcernStatus!, $n: String!, $tr: String) {
  changeConcernStatus(concernId: $id, status: $s, publicNote: $n, publicNoteTranslation: $tr) { status } }`;

describe('follower delivery on the real stack', () => {
  it('a dispute through the emailed link’s no-JavaScript form reopens the concern', async () => {
    const [id] = await newConcerns(1);
    const email = 'marta@example.org';
    await follow(id as string, email, 'es');
    await staffCall(
      `mutation ($id: ID!) { alignConcern(input: { concernId: $id, serviceId: "service-e2e-sidewalks", rationale: "Sidewalk repair." }) { id } }`,
      { id },
    );
    await staffCall(STATUS, { id, s: 'IN_PROGRESS', n: 'Crews are scheduled.', tr: 'Hay cuadrillas programadas.' });
    await staffCall(STATUS, { id, s: 'ADDRESSED', n: 'The sidewalk was repaired.', tr: 'La acera fue reparada.' });
    const addressed = await until('the ADDRESSED update', () =>
      mailTo(email).find((m) => bodyText(m.raw).includes('La acera fue reparada.')),
    );
    const disputeUrl = link(addressed.raw, 'dispute');
    const form = await fetch(disputeUrl);
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('¿No está resuelto?');
    expect(html).toContain('<textarea name="note"');
    expect(html).not.toContain('<script');
    const action = html.match(/<form method="post" action="([^"]+)"/)?.[1]?.replace(/&#38;/g, '&') as string;
    const posted = await fetch(new URL(action, base()), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ note: 'Sigue rota en la esquina.', language: 'es' }).toString(),
    });
    expect(posted.status).toBe(200);
    expect(await posted.text()).toContain('Gracias');
    const read = await gql<{ concern: { status: string; disputes: unknown[] } }>(
      stack.gatewayUrl,
      'query ($id: ID!) { concern(id: $id) { status disputes { note } } }',
      { id },
    );
    expect(read.body.data?.concern).toEqual({ status: 'UNDER_REVIEW', disputes: [] });
    const notice = await until('the staff notice', () => mailTo(STAFF_INBOX)[0]);
    expect(bodyText(notice.raw)).toContain('Sigue rota en la esquina.');
    // The same form again: already reopened.
    const again = await fetch(new URL(action, base()), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ note: 'Otra vez.', language: 'es' }).toString(),
    });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Ya reabierta');
  }, 240_000);

  it('a subgraph killed (SIGKILL) with follower mail pending delivers it after restart, none twice', async () => {
    const [x, y] = (await newConcerns(2)) as [string, string];
    const ana = 'ana.k@example.org';
    const ben = 'ben.k@example.org';
    for (const id of [x, y]) {
      await follow(id, ana, 'en');
      await follow(id, ben, 'en');
    }
    refusing = true;
    await staffCall(STATUS, { id: x, s: 'UNDER_REVIEW', n: 'Reviewing X (e2e).', tr: 'Revisando X (e2e).' });
    await staffCall(STATUS, { id: y, s: 'UNDER_REVIEW', n: 'Reviewing Y (e2e).', tr: 'Revisando Y (e2e).' });
    // Each of the four messages was tried and refused (so its job waits to be retried)…
    await until('four refused deliveries', () => (refused.length >= 4 ? true : undefined));
    // …and the kill falls between attempts, not during one.
    await until('a quiet moment', () => (Date.now() - (refused.at(-1)?.at ?? 0) > 700 ? true : undefined));
    expect(await stack.stopSubgraph('engagement', 'SIGKILL')).toBeNull();
    const deliveredBeforeRestart = delivered.length;
    refusing = false;
    await stack.startSubgraph('engagement');

    for (const [who, note] of [
      [ana, 'Reviewing X (e2e).'],
      [ana, 'Reviewing Y (e2e).'],
      [ben, 'Reviewing X (e2e).'],
      [ben, 'Reviewing Y (e2e).'],
    ] as const) {
      await until(`${who}: ${note}`, () => mailTo(who).find((m) => bodyText(m.raw).includes(note)));
    }
    expect(delivered.length - deliveredBeforeRestart).toBe(4);
    // Whatever is still queued would arrive within a retry's delay; nothing more does.
    await new Promise((r) => setTimeout(r, 5_000));
    for (const who of [ana, ben]) {
      const updates = mailTo(who).filter((m) => bodyText(m.raw).includes('(e2e).'));
      expect(updates).toHaveLength(2);
    }
  }, 300_000);
});
