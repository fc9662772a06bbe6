import { createHmac } from 'node:crypto';
import { gql } from '@civic/test-stack/graphql';
import { type Stack, startStack } from '@civic/test-stack/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyText, headerText, type Received, startInbox, until } from '../smtp.ts';

// The built processes on the demo data, mail to a real SMTP server on loopback; links followed over HTTP.
let stack: Stack;
let inbox: Awaited<ReturnType<typeof startInbox>>;
beforeAll(async () => {
  inbox = await startInbox();
  stack = await startStack({ env: { SMTP_URL: inbox.url }, readyTimeoutMs: 240_000 });
}, 300_000);
afterAll(async () => {
  await stack?.destroy();
  await inbox?.close();
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

const mailTo = (address: string): Received[] => inbox.mail.filter((m) => m.to.includes(address));

function link(raw: string, action: 'confirm' | 'unsubscribe'): string {
  const base = stack.gatewayUrl.replace(/\/graphql$/, '');
  const match = bodyText(raw).match(new RegExp(`(${base.replace(/[.]/g, '\\.')}/follow/${action}\\?token=[^\\s>]+)`));
  expect(match, `a ${action} link to the gateway`).not.toBeNull();
  return match?.[1] as string;
}

describe('following a concern through the gateway', () => {
  it('a Spanish follower confirms by GET, receives the Spanish response by SMTP, and unsubscribes in one click', async () => {
    const listed = await gql<{ concerns: { edges: { node: { id: string } }[] } }>(
      stack.gatewayUrl,
      '{ concerns(first: 1) { edges { node { id } } } }',
    );
    const id = listed.body.data?.concerns.edges[0]?.node.id as string;
    expect(id).toBeTruthy();
    const email = 'lucia@example.org';
    const followed = await gql(stack.gatewayUrl, 'mutation ($input: FollowInput!) { follow(input: $input) }', {
      input: { targetKind: 'CONCERN', targetId: id, email, language: 'es' },
    });
    expect(followed.body).toEqual({ data: { follow: true } });
    const unconfirmed = 'pedro@example.org';
    await gql(stack.gatewayUrl, 'mutation ($input: FollowInput!) { follow(input: $input) }', {
      input: { targetKind: 'CONCERN', targetId: id, email: unconfirmed, language: 'es' },
    });

    const confirmation = await until('the confirmation', () => mailTo(email)[0]);
    const confirmPage = await fetch(link(confirmation.raw, 'confirm'));
    expect(confirmPage.status).toBe(200);
    expect(confirmPage.headers.get('content-type')).toContain('text/html');
    expect(await confirmPage.text()).toContain('Ya está siguiendo');
    await until('the unconfirmed address’s confirmation', () => mailTo(unconfirmed)[0]);

    const staff = { authorization: `Bearer ${staffToken()}` };
    const changed = await gql(
      stack.gatewayUrl,
      `mutation ($id: ID!) { changeConcernStatus(concernId: $id, status: NOT_FEASIBLE, publicNote: "La ciudad no es dueña de este terreno.", publicNoteLanguage: "es", publicNoteTranslation: "The city does not own this land.") { status } }`,
      { id },
      staff,
    );
    expect(changed.body.errors).toBeUndefined();
    const update = await until('the Spanish update', () => mailTo(email)[1]);
    expect(bodyText(update.raw)).toContain('La ciudad no es dueña de este terreno.');
    expect(bodyText(update.raw)).toContain('No viable');
    const headers = headerText(update.raw);
    expect(headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    const unsubscribeUrl = link(update.raw, 'unsubscribe');
    expect(headers).toContain(`List-Unsubscribe: <${unsubscribeUrl}>`);

    const ask = await fetch(unsubscribeUrl);
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain('<form method="post"');
    const counted = async () =>
      (
        await gql<{ concern: { followerCount: number } }>(
          stack.gatewayUrl,
          'query ($id: ID!) { concern(id: $id) { followerCount } }',
          { id },
          staff,
        )
      ).body.data?.concern.followerCount;
    expect(await counted()).toBe(1);
    const oneClick = await fetch(unsubscribeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await oneClick.text()).toContain('Suscripción cancelada');
    expect(await counted()).toBe(0);
    // The unconfirmed address received its confirmation and nothing else.
    expect(mailTo(unconfirmed)).toHaveLength(1);
  }, 180_000);
});
