import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientLimitKey, DISPUTES_PER_CLIENT_PER_DAY } from '../src/domain/follow.ts';
import { signLinkToken } from '../src/domain/follow-mail.ts';
import {
  confirmedFollower,
  type FollowFixture,
  linkToken,
  mailTo,
  newConcern,
  STATUS,
  settled,
  startFollowFixture,
} from './follow-helpers.ts';
import { errorCode, publicCaller, staff } from './helpers.ts';
import { bodyText, until } from './smtp.ts';

const STAFF_INBOX = 'neighborhood-desk@city.example.org';
let f: FollowFixture;
beforeAll(async () => {
  f = await startFollowFixture({ DISPUTE_NOTIFY_EMAIL: STAFF_INBOX });
}, 120_000);
afterAll(async () => {
  await f?.stop();
});

const ALIGN = `mutation ($input: AlignConcernInput!) { alignConcern(input: $input) { id } }`;
const DISPUTE = `mutation ($input: DisputeConcernInput!) { disputeConcern(input: $input) { disputeId concernId language } }`;
const MODERATE = `mutation ($id: ID!, $m: ModerationState!) { moderateDispute(disputeId: $id, moderation: $m) { id moderation } }`;
const READ = `query ($id: ID!) { concern(id: $id) { status
  disputes { id note language moderation }
  statusHistory { fromStatus toStatus dispute { note } } } }`;

interface Read {
  concern: {
    status: string;
    disputes: { id: string; note: string; language: string; moderation: string }[];
    statusHistory: { fromStatus: string | null; toStatus: string; dispute: { note: string } | null }[];
  };
}

/** NEW → ALIGNED (an aligned service, which is also evidence) → IN_PROGRESS → ADDRESSED. */
async function address(id: string, aligned: boolean): Promise<void> {
  if (!aligned) {
    const done = await f.sg.execute(
      ALIGN,
      { input: { concernId: id, serviceId: 'service-sidewalk-repair', rationale: 'The city repairs sidewalks.' } },
      staff,
    );
    expect(done.errors).toBeUndefined();
  } else {
    expect(
      (await f.sg.execute(STATUS, { id, s: 'ALIGNED', n: 'Back on the repair list.' }, staff)).errors,
    ).toBeUndefined();
  }
  expect(
    (await f.sg.execute(STATUS, { id, s: 'IN_PROGRESS', n: 'Crews are scheduled.' }, staff)).errors,
  ).toBeUndefined();
  expect(
    (await f.sg.execute(STATUS, { id, s: 'ADDRESSED', n: 'The sidewalk was repaired.' }, staff)).errors,
  ).toBeUndefined();
}

describe('disputes', () => {
  it('a dispute reopens: ADDRESSED → UNDER_REVIEW at once, staff are told, the note is hidden until moderation accepts it, then public', async () => {
    const id = await newConcern(f, 'Dispute');
    const rosa = 'rosa@example.org';
    await confirmedFollower(f, id, rosa, 'es');
    await address(id, false);
    const addressedMail = await until('the ADDRESSED update', () =>
      mailTo(f, rosa).find((m) => bodyText(m.raw).includes('Atendida')),
    );
    expect(bodyText(addressedMail.raw)).toContain('¿No está resuelto? Díganoslo:');
    const token = linkToken(addressedMail.raw, 'dispute');
    // Earlier updates (not ADDRESSED) carried no dispute link.
    expect(mailTo(f, rosa).filter((m) => bodyText(m.raw).includes('/follow/dispute'))).toHaveLength(1);

    const forged = await f.sg.execute(
      DISPUTE,
      { input: { token: `${token.slice(0, -2)}xx`, note: 'No.' } },
      publicCaller,
    );
    expect(errorCode(forged)).toBe('FORBIDDEN');
    const empty = await f.sg.execute(DISPUTE, { input: { token, note: '   ' } }, publicCaller);
    expect(errorCode(empty)).toBe('BAD_USER_INPUT');
    expect((await f.sg.prisma.concern.findUnique({ where: { id } }))?.status).toBe('ADDRESSED');

    const note = 'La acera sigue rota frente al número 12.';
    const filed = await f.sg.execute<{ disputeConcern: { disputeId: string; concernId: string; language: string } }>(
      DISPUTE,
      { input: { token, note, language: 'es' } },
      publicCaller,
    );
    expect(filed.errors).toBeUndefined();
    expect(filed.data?.disputeConcern).toMatchObject({ concernId: id, language: 'es' });
    const disputeId = filed.data?.disputeConcern.disputeId as string;

    const hidden = await f.sg.execute<Read>(READ, { id }, publicCaller);
    expect(hidden.data?.concern.status).toBe('UNDER_REVIEW');
    expect(hidden.data?.concern.disputes).toEqual([]);
    expect(hidden.data?.concern.statusHistory.at(-1)).toEqual({
      fromStatus: 'ADDRESSED',
      toStatus: 'UNDER_REVIEW',
      dispute: null,
    });
    const seenByStaff = await f.sg.execute<Read>(READ, { id }, staff);
    expect(seenByStaff.data?.concern.disputes).toEqual([
      { id: disputeId, note, language: 'es', moderation: 'PENDING' },
    ]);
    const pending = await f.sg.execute<{ concernDisputes: { id: string }[] }>('{ concernDisputes { id } }', {}, staff);
    expect(pending.data?.concernDisputes.map((d) => d.id)).toContain(disputeId);
    expect(errorCode(await f.sg.execute('{ concernDisputes { id } }', {}, publicCaller))).toBe('FORBIDDEN');
    const audited = await f.sg.prisma.auditEntry.findMany({ where: { entityId: id, action: 'concern.dispute' } });
    expect(audited).toHaveLength(1);
    expect(JSON.stringify(audited)).not.toContain(rosa);

    // Staff are told by mail; the follower hears that the concern is under review again.
    const notice = await until('the staff notice', () => mailTo(f, STAFF_INBOX)[0]);
    expect(bodyText(notice.raw)).toContain(note);
    expect(bodyText(notice.raw)).not.toContain(rosa);
    await until('the reopened update', () =>
      mailTo(f, rosa).find((m) => bodyText(m.raw).includes('ahora está: En revisión') && m !== addressedMail),
    );

    // The same link again: the concern is no longer ADDRESSED.
    expect(errorCode(await f.sg.execute(DISPUTE, { input: { token, note: 'Again.' } }, publicCaller))).toBe('CONFLICT');

    expect(errorCode(await f.sg.execute(MODERATE, { id: disputeId, m: 'ACCEPTED' }, publicCaller))).toBe('FORBIDDEN');
    const accepted = await f.sg.execute(MODERATE, { id: disputeId, m: 'ACCEPTED' }, staff);
    expect(accepted.errors).toBeUndefined();
    const shown = await f.sg.execute<Read>(READ, { id }, publicCaller);
    expect(shown.data?.concern.disputes).toEqual([{ id: disputeId, note, language: 'es', moderation: 'ACCEPTED' }]);
    expect(shown.data?.concern.statusHistory.at(-1)?.dispute).toEqual({ note });
    await settled(f);
  }, 180_000);

  it('only a confirmed follower of that concern may dispute, at most 3 times a day per address', async () => {
    const id = await newConcern(f, 'Dispute limits');
    const other = await newConcern(f, 'Dispute elsewhere');
    const tom = 'tom@example.org';
    await confirmedFollower(f, id, tom, 'en');
    await confirmedFollower(f, other, tom, 'en');
    const [followsId, followsOther] = await Promise.all([
      f.sg.prisma.follower.findFirstOrThrow({ where: { email: tom, targetId: id } }),
      f.sg.prisma.follower.findFirstOrThrow({ where: { email: tom, targetId: other } }),
    ]);
    // An unconfirmed address, with a correctly signed link.
    await f.sg.execute(
      'mutation ($input: FollowInput!) { follow(input: $input) }',
      { input: { targetKind: 'CONCERN', targetId: id, email: 'una@example.org' } },
      publicCaller,
    );
    const unconfirmed = await f.sg.prisma.follower.findFirstOrThrow({ where: { email: 'una@example.org' } });

    await address(id, false);
    const unconfirmedToken = await signLinkToken(f.sg.prisma, 'dispute', unconfirmed.id, id);
    expect(
      errorCode(await f.sg.execute(DISPUTE, { input: { token: unconfirmedToken, note: 'x' } }, publicCaller)),
    ).toBe('FORBIDDEN');
    // A link of Tom's for another concern names that concern: it cannot dispute this one.
    const wrongConcern = await signLinkToken(f.sg.prisma, 'dispute', followsOther.id, id);
    expect(errorCode(await f.sg.execute(DISPUTE, { input: { token: wrongConcern, note: 'x' } }, publicCaller))).toBe(
      'FORBIDDEN',
    );

    const token = await signLinkToken(f.sg.prisma, 'dispute', followsId.id, id);
    for (let round = 1; round <= 3; round++) {
      if (round > 1) await address(id, true);
      const filed = await f.sg.execute(DISPUTE, { input: { token, note: `Still broken (${round}).` } }, publicCaller);
      expect(filed.errors).toBeUndefined();
    }
    await address(id, true);
    const limited = await f.sg.execute(DISPUTE, { input: { token, note: 'Still broken (4).' } }, publicCaller);
    expect(errorCode(limited)).toBe('CONFLICT');
    expect(limited.errors?.[0]?.extensions?.reason).toBe('RATE_LIMITED');
    expect((await f.sg.prisma.concern.findUnique({ where: { id } }))?.status).toBe('ADDRESSED');
    await settled(f);
  }, 240_000);

  it(`at most ${DISPUTES_PER_CLIENT_PER_DAY} disputes a day from one client (caller address or API key), whoever the followers are`, async () => {
    const id = await newConcern(f, 'Dispute from a shared address');
    const pia = 'pia@example.org';
    await confirmedFollower(f, id, pia, 'en');
    const follower = await f.sg.prisma.follower.findFirstOrThrow({ where: { email: pia, targetId: id } });
    const token = await signLinkToken(f.sg.prisma, 'dispute', follower.id, id);
    const client = 'address:198.51.100.23';
    // The client's earlier disputes today (other followers' links, counted as the API counts them).
    await f.sg.prisma.clientLimitHit.createMany({
      data: Array.from({ length: DISPUTES_PER_CLIENT_PER_DAY - 1 }, () => ({
        clientKey: clientLimitKey(client),
        action: 'DISPUTE',
      })),
    });
    await address(id, false);
    const last = await f.sg.execute(DISPUTE, { input: { token, note: 'Still broken.' } }, { ...publicCaller, client });
    expect(last.errors).toBeUndefined();
    await address(id, true);
    const over = await f.sg.execute(DISPUTE, { input: { token, note: 'Still broken!' } }, { ...publicCaller, client });
    expect(errorCode(over)).toBe('CONFLICT');
    expect(over.errors?.[0]?.extensions?.reason).toBe('RATE_LIMITED');
    expect((await f.sg.prisma.concern.findUnique({ where: { id } }))?.status).toBe('ADDRESSED');
    expect(await f.sg.prisma.concernDispute.count({ where: { concernId: id } })).toBe(1);
    const elsewhere = await f.sg.execute(
      DISPUTE,
      { input: { token, note: 'Still broken!' } },
      { ...publicCaller, client: 'address:198.51.100.24' },
    );
    expect(elsewhere.errors).toBeUndefined();
    expect((await f.sg.prisma.concern.findUnique({ where: { id } }))?.status).toBe('UNDER_REVIEW');
    await settled(f);
  }, 240_000);
});
