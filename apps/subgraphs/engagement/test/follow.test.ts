import type { AddressInfo } from 'node:net';
import { translatorAvailable } from '@civic/alignment/translate';
import type { Identity } from '@civic/server-kit/identity';
import { createLogger } from '@civic/server-kit/logger';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clientLimitKey,
  FOLLOWS_PER_CLIENT_PER_HOUR,
  type FollowRuntime,
  startFollowWorker,
} from '../src/domain/follow.ts';
import { type Engagement, errorCode, publicCaller, staff, startEngagement, tableCounts } from './helpers.ts';

interface Received {
  to: string[];
  raw: string;
}

let sg: Engagement;
let smtp: SMTPServer;
let worker: FollowRuntime;
const inbox: Received[] = [];

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        inbox.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
  process.env.PUBLIC_BASE_URL = 'https://civic.example.org';
  sg = await startEngagement(false);
  worker = await startFollowWorker(sg.prisma, sg.db, createLogger('engagement', 'error'), {
    pollingIntervalSeconds: 0.5,
  });
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await sg?.stop();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  delete process.env.SMTP_URL;
  delete process.env.PUBLIC_BASE_URL;
});

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let i = 0; i < 240; i++) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function mailTo(address: string): Received[] {
  return inbox.filter((m) => m.to.includes(address));
}

/** Quoted-printable soft breaks and escapes undone, enough to read links and text. */
function decoded(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

function utf8(raw: string): string {
  return Buffer.from(decoded(raw), 'latin1').toString('utf8');
}

function linkIn(raw: string, action: 'confirm' | 'unsubscribe'): string {
  const match = decoded(raw).match(new RegExp(`https://civic\\.example\\.org/follow/${action}\\?token=([^\\s>]+)`));
  expect(match, `a ${action} link`).not.toBeNull();
  return decodeURIComponent(match?.[1] ?? '');
}

const CREATE = `mutation ($input: CreateConversationInput!) {
  createConversation(input: $input) { id concerns { id summary } }
}`;

async function newConcern(title: string): Promise<string> {
  const result = await sg.execute<{ createConversation: { id: string; concerns: { id: string }[] } }>(
    CREATE,
    {
      input: {
        title,
        heldOn: '2026-10-14T18:00:00.000Z',
        format: 'IN_PERSON',
        concerns: [{ summary: `Broken streetlights on Main St. (${title})`, moderation: 'ACCEPTED' }],
      },
    },
    staff,
  );
  expect(result.errors).toBeUndefined();
  const conversation = result.data?.createConversation;
  const published = await sg.execute(
    'mutation ($id: ID!) { publishConversation(id: $id) { id } }',
    {
      id: conversation?.id,
    },
    staff,
  );
  expect(published.errors).toBeUndefined();
  return conversation?.concerns[0]?.id as string;
}

const FOLLOW = `mutation ($input: FollowInput!) { follow(input: $input) }`;
const CONFIRM = `mutation ($t: String!) { confirmFollow(token: $t) { outcome language } }`;
const UNSUBSCRIBE = `mutation ($t: String!) { unsubscribe(token: $t) { outcome language } }`;
const STATUS = `mutation ($id: ID!, $s: ConcernStatus!, $n: String!, $l: String, $tr: String, $on: DateTime) {
  changeConcernStatus(concernId: $id, status: $s, publicNote: $n, publicNoteLanguage: $l, publicNoteTranslation: $tr, evidenceActionOn: $on) {
    id status
    statusHistory { toStatus publicNoteLanguage en: publicNote(language: "en") es: publicNote(language: "es")
      mtEn: publicNoteMachineTranslated(language: "en") mtEs: publicNoteMachineTranslated(language: "es") }
  }
}`;
const ALIGN = `mutation ($input: AlignConcernInput!) { alignConcern(input: $input) { id } }`;

describe('following a concern by email', () => {
  it('mails a Spanish staff response to a confirmed Spanish follower, with a working one-click unsubscribe; an unconfirmed address gets only its confirmation', async () => {
    const id = await newConcern('Follow');
    const ana = 'ana@example.org';
    const bob = 'bob@example.org';
    const follow = await sg.execute<{ follow: boolean }>(
      FOLLOW,
      { input: { targetKind: 'CONCERN', targetId: id, email: ana, language: 'es' } },
      publicCaller,
    );
    expect(follow.errors).toBeUndefined();
    expect(follow.data?.follow).toBe(true);
    expect(
      (
        await sg.execute(
          FOLLOW,
          { input: { targetKind: 'CONCERN', targetId: id, email: bob, language: 'en' } },
          publicCaller,
        )
      ).errors,
    ).toBeUndefined();

    const confirmation = await until('Ana’s confirmation', () => mailTo(ana)[0]);
    expect(utf8(confirmation.raw)).toContain('Confirme que desea seguir');
    await until('Bob’s confirmation', () => mailTo(bob)[0]);
    const token = linkIn(confirmation.raw, 'confirm');
    const confirmed = await sg.execute<{ confirmFollow: { outcome: string; language: string } }>(
      CONFIRM,
      { t: token },
      publicCaller,
    );
    expect(confirmed.data?.confirmFollow).toEqual({ outcome: 'CONFIRMED', language: 'es' });
    const forged = await sg.execute<{ confirmFollow: { outcome: string } }>(
      CONFIRM,
      { t: `${token.slice(0, -2)}xx` },
      publicCaller,
    );
    expect(forged.data?.confirmFollow.outcome).toBe('INVALID');

    const counted = await sg.execute<{ concern: { followerCount: number | null } }>(
      'query ($id: ID!) { concern(id: $id) { followerCount } }',
      { id },
      staff,
    );
    expect(counted.data?.concern.followerCount).toBe(1);
    const hidden = await sg.execute<{ concern: { followerCount: number | null } }>(
      'query ($id: ID!) { concern(id: $id) { followerCount } }',
      { id },
      publicCaller,
    );
    expect(hidden.data?.concern.followerCount).toBeNull();

    const changed = await sg.execute(
      STATUS,
      {
        id,
        s: 'UNDER_REVIEW',
        n: 'El personal de obras públicas revisará las farolas esta semana.',
        l: 'es',
        tr: 'Public works staff will check the streetlights this week.',
      },
      staff,
    );
    expect(changed.errors).toBeUndefined();
    const update = await until('Ana’s update', () => mailTo(ana)[1]);
    const text = utf8(update.raw);
    expect(text).toContain('En revisión');
    expect(text).toContain('El personal de obras públicas revisará las farolas esta semana.');
    expect(text).not.toContain('traducción automática');
    const headers = update.raw.split(/\r?\n\r?\n/)[0]?.replace(/\r?\n[ \t]+/g, ' ') ?? '';
    expect(headers).toMatch(/^List-Unsubscribe: <https:\/\/civic\.example\.org\/follow\/unsubscribe\?token=/m);
    expect(headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    // Bob never confirmed: he got his confirmation and nothing else.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(mailTo(bob)).toHaveLength(1);

    const unsubscribed = await sg.execute<{ unsubscribe: { outcome: string; language: string } }>(
      UNSUBSCRIBE,
      { t: linkIn(update.raw, 'unsubscribe') },
      publicCaller,
    );
    expect(unsubscribed.data?.unsubscribe).toEqual({ outcome: 'UNSUBSCRIBED', language: 'es' });
    expect(await sg.prisma.follower.count({ where: { email: ana } })).toBe(0);
    // A confirmation link must not bring a deleted address back.
    const again = await sg.execute<{ confirmFollow: { outcome: string } }>(CONFIRM, { t: token }, publicCaller);
    expect(again.data?.confirmFollow.outcome).toBe('INVALID');
  }, 120_000);

  it('never returns or exposes an address, and refuses a bad address or language with BAD_USER_INPUT', async () => {
    const id = await newConcern('Follow badly');
    const bad = await sg.execute(
      FOLLOW,
      { input: { targetKind: 'CONCERN', targetId: id, email: 'not-an-address' } },
      publicCaller,
    );
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    const badLanguage = await sg.execute(
      FOLLOW,
      { input: { targetKind: 'CONCERN', targetId: id, email: 'x@example.org', language: 'fr' } },
      publicCaller,
    );
    expect(errorCode(badLanguage)).toBe('BAD_USER_INPUT');
    const unknown = await sg.execute(
      FOLLOW,
      { input: { targetKind: 'CONCERN', targetId: 'no-such-concern', email: 'x@example.org' } },
      publicCaller,
    );
    expect(errorCode(unknown)).toBe('NOT_FOUND');
  });

  it(`limits sign-ups per client (${FOLLOWS_PER_CLIENT_PER_HOUR} an hour, CONFLICT with reason RATE_LIMITED), stored only as a key`, async () => {
    const id = await newConcern('Follow in bulk');
    const client = 'address:203.0.113.77';
    const caller = { ...publicCaller, client };
    const signUp = (email: string, who: Identity = caller) =>
      sg.execute(FOLLOW, { input: { targetKind: 'CONCERN', targetId: id, email } }, who);
    for (let i = 0; i < FOLLOWS_PER_CLIENT_PER_HOUR; i++) {
      expect((await signUp(`bulk-${i}@example.org`)).errors, `sign-up ${i}`).toBeUndefined();
    }
    const before = await sg.prisma.follower.count({ where: { targetId: id } });
    const refused = await signUp('bulk-over@example.org');
    expect(errorCode(refused)).toBe('CONFLICT');
    expect(refused.errors?.[0]?.extensions?.reason).toBe('RATE_LIMITED');
    expect(await sg.prisma.follower.count({ where: { targetId: id } })).toBe(before);
    // Another client, and a call that did not come through the gateway (no client), are not held back.
    expect(
      (await signUp('bulk-over@example.org', { ...publicCaller, client: 'key:other-key' })).errors,
    ).toBeUndefined();
    expect((await signUp('bulk-none@example.org', publicCaller)).errors).toBeUndefined();
    const hits = await sg.prisma.clientLimitHit.findMany({ where: { clientKey: clientLimitKey(client) } });
    expect(hits).toHaveLength(FOLLOWS_PER_CLIENT_PER_HOUR);
    expect(JSON.stringify(await sg.prisma.clientLimitHit.findMany())).not.toContain('203.0.113.77');
  }, 120_000);
});

describe('answering rules', () => {
  it('refuses ADDRESSED without public evidence (EVIDENCE_REQUIRED), changing nothing; a dated action is evidence', async () => {
    const id = await newConcern('Evidence');
    for (const [s, n] of [
      ['UNDER_REVIEW', 'Reviewing.'],
      ['NOT_FEASIBLE', 'Out of our hands.'],
      ['UNDER_REVIEW', 'Reopened.'],
    ] as const) {
      expect((await sg.execute(STATUS, { id, s, n }, staff)).errors).toBeUndefined();
    }
    expect(
      (
        await sg.execute(
          ALIGN,
          { input: { concernId: id, initiativeId: 'initiative-3-13', rationale: 'Street lighting plan.' } },
          staff,
        )
      ).errors,
    ).toBeUndefined();
    for (const [s, n] of [
      ['ALIGNED', 'Part of the lighting plan.'],
      ['IN_PROGRESS', 'Crews are scheduled.'],
    ] as const) {
      expect((await sg.execute(STATUS, { id, s, n }, staff)).errors).toBeUndefined();
    }
    const before = await tableCounts(sg);
    const refused = await sg.execute(STATUS, { id, s: 'ADDRESSED', n: 'Fixed.' }, staff);
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
    expect(refused.errors?.[0]?.extensions?.reason).toBe('EVIDENCE_REQUIRED');
    expect(await tableCounts(sg)).toEqual(before);
    expect((await sg.prisma.concern.findUnique({ where: { id } }))?.status).toBe('IN_PROGRESS');

    const addressed = await sg.execute<{
      changeConcernStatus: { status: string; statusHistory: { en: string; es: string; mtEs: boolean }[] };
    }>(STATUS, { id, s: 'ADDRESSED', n: 'The streetlights were replaced.', on: '2026-11-20T00:00:00.000Z' }, staff);
    expect(addressed.errors).toBeUndefined();
    expect(addressed.data?.changeConcernStatus.status).toBe('ADDRESSED');
    const history = await sg.prisma.concernStatusChange.findMany({
      where: { concernId: id },
      orderBy: { changedAt: 'asc' },
    });
    expect(history.at(-1)?.evidenceActionOn?.toISOString().slice(0, 10)).toBe('2026-11-20');
  }, 60_000);

  it('moves a NEW concern to ALIGNED on its first alignment, recorded in the history and audited; unaligning is audited', async () => {
    const id = await newConcern('First alignment');
    const aligned = await sg.execute<{ alignConcern: { id: string } }>(
      ALIGN,
      { input: { concernId: id, serviceId: 'service-go-durham', rationale: 'GoDurham fixes stop lighting.' } },
      staff,
    );
    expect(aligned.errors).toBeUndefined();
    const concern = await sg.prisma.concern.findUnique({ where: { id }, include: { statusHistory: true } });
    expect(concern?.status).toBe('ALIGNED');
    expect(concern?.statusHistory.map((h) => [h.fromStatus, h.toStatus])).toEqual([
      [null, 'NEW'],
      ['NEW', 'ALIGNED'],
    ]);
    const audited = await sg.prisma.auditEntry.findMany({ where: { entityId: id, action: 'concern.status' } });
    expect(audited).toHaveLength(1);
    // A second alignment changes nothing more.
    await sg.execute(
      ALIGN,
      { input: { concernId: id, initiativeId: 'initiative-3-13', rationale: 'Lighting plan.' } },
      staff,
    );
    expect(await sg.prisma.concernStatusChange.count({ where: { concernId: id } })).toBe(2);
    const alignmentId = aligned.data?.alignConcern.id as string;
    expect(
      (await sg.execute('mutation ($id: ID!) { unalignConcern(alignmentId: $id) { id } }', { id: alignmentId }, staff))
        .errors,
    ).toBeUndefined();
    expect(await sg.prisma.auditEntry.count({ where: { entityId: alignmentId, action: 'alignment.delete' } })).toBe(1);
  });

  it('shows a public note in either language: staff’s translation, else apertium’s labelled as machine translation', async () => {
    const id = await newConcern('Bilingual');
    const result = await sg.execute<{
      changeConcernStatus: {
        statusHistory: { publicNoteLanguage: string | null; en: string; es: string; mtEs: boolean; mtEn: boolean }[];
      };
    }>(STATUS, { id, s: 'UNDER_REVIEW', n: 'The city is reviewing the streetlights.' }, staff);
    expect(result.errors).toBeUndefined();
    const last = result.data?.changeConcernStatus.statusHistory.at(-1);
    expect(last).toMatchObject({
      publicNoteLanguage: 'en',
      en: 'The city is reviewing the streetlights.',
      mtEn: false,
    });
    if (!(await translatorAvailable())) return;
    const change = await until('the machine translation', async () => {
      const row = await sg.prisma.concernStatusChange.findFirst({
        where: { concernId: id, toStatus: 'UNDER_REVIEW', publicNoteTranslation: { not: null } },
      });
      return row ?? undefined;
    });
    expect(change.publicNoteTranslationMachine).toBe(true);
    const read = await sg.execute<{ concern: { statusHistory: { es: string; mtEs: boolean; mtEn: boolean }[] } }>(
      `query ($id: ID!) { concern(id: $id) { statusHistory { es: publicNote(language: "es") mtEs: publicNoteMachineTranslated(language: "es") mtEn: publicNoteMachineTranslated(language: "en") } } }`,
      { id },
      publicCaller,
    );
    const note = read.data?.concern.statusHistory.at(-1);
    expect(note?.mtEs).toBe(true);
    expect(note?.mtEn).toBe(false);
    expect(note?.es).toMatch(/ciudad/i);
  }, 90_000);
});
