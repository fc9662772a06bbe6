import { createLogger } from '@civic/server-kit/logger';
import { expect } from 'vitest';
import { type FollowRuntime, startFollowWorker } from '../src/domain/follow.ts';
import { type Engagement, publicCaller, staff, startEngagement } from './helpers.ts';
import { bodyText, type Received, startInbox, until } from './smtp.ts';

/** An engagement subgraph (PGlite or PostgreSQL), its follow worker, and a real SMTP server on loopback. */
export interface FollowFixture {
  sg: Engagement;
  worker: FollowRuntime;
  inbox: Awaited<ReturnType<typeof startInbox>>;
  stop(): Promise<void>;
}

export const BASE_URL = 'https://civic.example.org';

export async function startFollowFixture(env: Record<string, string> = {}): Promise<FollowFixture> {
  const inbox = await startInbox();
  Object.assign(process.env, { SMTP_URL: inbox.url, PUBLIC_BASE_URL: BASE_URL, ...env });
  const sg = await startEngagement(false);
  const worker = await startFollowWorker(sg.prisma, sg.db, createLogger('engagement', 'error'), {
    pollingIntervalSeconds: 0.5,
  });
  return {
    sg,
    worker,
    inbox,
    async stop() {
      await worker.stop();
      await sg.stop();
      await inbox.close();
      for (const key of ['SMTP_URL', 'PUBLIC_BASE_URL', ...Object.keys(env)]) delete process.env[key];
    },
  };
}

export const mailTo = (f: FollowFixture, address: string): Received[] =>
  f.inbox.mail.filter((m) => m.to.includes(address));

export function linkToken(raw: string, action: 'confirm' | 'unsubscribe' | 'dispute'): string {
  const match = bodyText(raw).match(new RegExp(`https://civic\\.example\\.org/follow/${action}\\?token=([^\\s>&]+)`));
  expect(match, `a ${action} link`).not.toBeNull();
  return decodeURIComponent(match?.[1] ?? '');
}

/** A published, accepted concern in a new conversation. */
export async function newConcern(f: FollowFixture, title: string): Promise<string> {
  const created = await f.sg.execute<{ createConversation: { id: string; concerns: { id: string }[] } }>(
    `mutation ($input: CreateConversationInput!) { createConversation(input: $input) { id concerns { id } } }`,
    {
      input: {
        title,
        heldOn: '2026-10-14T18:00:00.000Z',
        format: 'IN_PERSON',
        concerns: [{ summary: `Broken sidewalk on Main St. (${title})`, moderation: 'ACCEPTED' }],
      },
    },
    staff,
  );
  expect(created.errors).toBeUndefined();
  const published = await f.sg.execute(
    'mutation ($id: ID!) { publishConversation(id: $id) { id } }',
    { id: created.data?.createConversation.id },
    staff,
  );
  expect(published.errors).toBeUndefined();
  return created.data?.createConversation.concerns[0]?.id as string;
}

/** Follows and confirms through the link of the confirmation email; returns the confirmation message. */
export async function confirmedFollower(
  f: FollowFixture,
  targetId: string,
  email: string,
  language: 'en' | 'es',
  frequency: 'IMMEDIATE' | 'DAILY' = 'IMMEDIATE',
  targetKind: 'CONCERN' | 'NEIGHBORHOOD' = 'CONCERN',
): Promise<void> {
  const before = mailTo(f, email).length;
  const followed = await f.sg.execute(
    'mutation ($input: FollowInput!) { follow(input: $input) }',
    { input: { targetKind, targetId, email, language, frequency } },
    publicCaller,
  );
  expect(followed.errors).toBeUndefined();
  const confirmation = await until(`${email}’s confirmation`, () => mailTo(f, email)[before]);
  const confirmed = await f.sg.execute<{ confirmFollow: { outcome: string } }>(
    'mutation ($t: String!) { confirmFollow(token: $t) { outcome } }',
    { t: linkToken(confirmation.raw, 'confirm') },
    publicCaller,
  );
  expect(confirmed.data?.confirmFollow.outcome).toBe('CONFIRMED');
}

export const STATUS = `mutation ($id: ID!, $s: ConcernStatus!, $n: String!, $l: String, $tr: String, $on: DateTime) {
  changeConcernStatus(concernId: $id, status: $s, publicNote: $n, publicNoteLanguage: $l, publicNoteTranslation: $tr, evidenceActionOn: $on) { id status }
}`;

/** Waits until the follow worker has nothing left to do. */
export async function settled(f: FollowFixture): Promise<void> {
  await until('the follow queue to drain', async () => ((await f.worker.queue.pending()) === 0 ? true : undefined));
}
