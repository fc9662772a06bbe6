import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FOLLOW_JOBS } from '../src/domain/follow.ts';
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
import { errorCode, staff, tableCounts } from './helpers.ts';
import { bodyText, headerText, until } from './smtp.ts';

let f: FollowFixture;
beforeAll(async () => {
  f = await startFollowFixture();
}, 120_000);
afterAll(async () => {
  await f?.stop();
});

async function runDigest(): Promise<void> {
  expect(await f.worker.queue.send(FOLLOW_JOBS.digest, {})).toBeTruthy();
  await settled(f);
}

describe('daily digest', () => {
  it('is scheduled with pg-boss cron on the subgraph’s own database', async () => {
    const rows = await f.sg.prisma.$queryRawUnsafe<{ name: string; cron: string; timezone: string }[]>(
      'SELECT name, cron, timezone FROM engagement_notify.schedule',
    );
    expect(rows).toContainEqual({ name: FOLLOW_JOBS.digest, cron: '0 18 * * *', timezone: 'America/New_York' });
  });

  it('a second status change reaches the digest follower once: two changes, one digest listing both; running the digest again sends nothing', async () => {
    const id = await newConcern(f, 'Digest');
    const daily = 'diana@example.org';
    const immediate = 'ivan@example.org';
    await confirmedFollower(f, id, daily, 'es', 'DAILY');
    await confirmedFollower(f, id, immediate, 'en');

    for (const [s, n, tr] of [
      ['UNDER_REVIEW', 'Obras públicas revisará la acera.', 'Public works will check the sidewalk.'],
      ['NOT_FEASIBLE', 'La acera es de propiedad privada.', 'The sidewalk is private property.'],
    ] as const) {
      expect((await f.sg.execute(STATUS, { id, s, n, l: 'es', tr }, staff)).errors).toBeUndefined();
    }
    await until('both immediate updates', () => mailTo(f, immediate)[2]);
    await settled(f);
    // The daily follower had only the confirmation so far.
    expect(mailTo(f, daily)).toHaveLength(1);
    expect(await f.sg.prisma.followerDigestItem.count({ where: { digestId: null } })).toBe(2);

    await runDigest();
    const digest = await until('the digest', () => mailTo(f, daily)[1]);
    const text = bodyText(digest.raw);
    expect(text).toContain('Novedades desde su último resumen diario (2)');
    expect(text).toContain('En revisión');
    expect(text).toContain('Obras públicas revisará la acera.');
    expect(text).toContain('No viable');
    expect(text).toContain('La acera es de propiedad privada.');
    expect(text.indexOf('En revisión')).toBeLessThan(text.indexOf('No viable'));
    const headers = headerText(digest.raw);
    expect(headers).toMatch(/^Subject: .*Resumen diario/m);
    expect(headers).toMatch(/^List-Unsubscribe: <https:\/\/civic\.example\.org\/follow\/unsubscribe\?token=/m);
    expect(headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    expect(linkToken(digest.raw, 'unsubscribe')).toMatch(/^u\./);

    // The job again, and the digest's own mail job again (as a retry would): nothing more is sent.
    await runDigest();
    const [sent] = await f.sg.prisma.followerDigest.findMany({ where: { follower: { email: daily } } });
    expect(sent?.sentAt).toBeInstanceOf(Date);
    await f.worker.queue.send(FOLLOW_JOBS.digestMail, { digestId: sent?.id });
    await settled(f);
    expect(mailTo(f, daily)).toHaveLength(2);
    expect(await f.sg.prisma.followerDigest.count()).toBe(1);

    // Nothing changed since: no digest at all.
    await runDigest();
    expect(mailTo(f, daily)).toHaveLength(2);
    expect(mailTo(f, immediate)).toHaveLength(3);
  }, 180_000);

  it('a DAILY follower who unsubscribed gets no digest, and their waiting changes go with the address', async () => {
    const id = await newConcern(f, 'Digest gone');
    const gone = 'gus@example.org';
    await confirmedFollower(f, id, gone, 'en', 'DAILY');
    expect((await f.sg.execute(STATUS, { id, s: 'UNDER_REVIEW', n: 'Checking.' }, staff)).errors).toBeUndefined();
    await until('the waiting change', async () =>
      (await f.sg.prisma.followerDigestItem.count({ where: { follower: { email: gone } } })) === 1 ? true : undefined,
    );
    await f.sg.prisma.follower.deleteMany({ where: { email: gone } });
    expect(await f.sg.prisma.followerDigestItem.count({ where: { follower: { email: gone } } })).toBe(0);
    await runDigest();
    expect(mailTo(f, gone)).toHaveLength(1);
  }, 120_000);
});

const MERGE = `mutation ($input: MergeIntoCitywideConcernInput!) { mergeIntoCitywideConcern(input: $input) { id } }`;
const ANSWER = `mutation ($id: ID!, $s: ConcernStatus!, $n: String!, $l: String, $tr: String) {
  answerCitywideConcern(citywideConcernId: $id, status: $s, publicNote: $n, publicNoteLanguage: $l, publicNoteTranslation: $tr) {
    id concerns { id status statusHistory { toStatus en: publicNote(language: "en") es: publicNote(language: "es") } }
  }
}`;

describe('answering a citywide group once', () => {
  it('answers every member in one transaction, each with the note in its history; a follower of several members is told once; a member that cannot move refuses it all', async () => {
    const a = await newConcern(f, 'Group A');
    const b = await newConcern(f, 'Group B');
    const merged = await f.sg.execute<{ mergeIntoCitywideConcern: { id: string } }>(
      MERGE,
      { input: { concernIds: [a, b], newCitywideConcern: { title: 'Sidewalks citywide (test)' } } },
      staff,
    );
    expect(merged.errors).toBeUndefined();
    const group = merged.data?.mergeIntoCitywideConcern.id as string;
    const both = 'bea@example.org';
    await confirmedFollower(f, a, both, 'en');
    await confirmedFollower(f, b, both, 'en');
    const dailyB = 'dora@example.org';
    await confirmedFollower(f, b, dailyB, 'es', 'DAILY');

    const before = await tableCounts(f.sg);
    const reviewing = await f.sg.execute(ANSWER, { id: group, s: 'UNDER_REVIEW', n: 'Staff are reviewing.' }, staff);
    expect(reviewing.errors).toBeUndefined();
    // UNDER_REVIEW cannot go straight to IN_PROGRESS: refused for the first member, nothing written for any.
    const refusedAligned = await f.sg.execute(ANSWER, { id: group, s: 'IN_PROGRESS', n: 'Crews are out.' }, staff);
    expect(errorCode(refusedAligned)).toBe('CONFLICT');
    expect(refusedAligned.errors?.[0]?.extensions?.concernId).toBeTruthy();
    expect((await tableCounts(f.sg)).history).toBe((before.history ?? 0) + 2);

    const answered = await f.sg.execute<{
      answerCitywideConcern: {
        concerns: { id: string; status: string; statusHistory: { toStatus: string; en: string; es: string }[] }[];
      };
    }>(
      ANSWER,
      {
        id: group,
        s: 'NOT_FEASIBLE',
        n: 'Sidewalks on private land are the owners’ to repair.',
        l: 'en',
        tr: 'Las aceras en terreno privado las reparan sus dueños.',
      },
      staff,
    );
    expect(answered.errors).toBeUndefined();
    const members = answered.data?.answerCitywideConcern.concerns ?? [];
    expect(members.map((m) => m.status)).toEqual(['NOT_FEASIBLE', 'NOT_FEASIBLE']);
    for (const m of members) {
      expect(m.statusHistory.at(-1)).toEqual({
        toStatus: 'NOT_FEASIBLE',
        en: 'Sidewalks on private land are the owners’ to repair.',
        es: 'Las aceras en terreno privado las reparan sus dueños.',
      });
    }
    expect(await f.sg.prisma.auditEntry.count({ where: { entityId: group, action: 'citywide.answer' } })).toBe(2);

    await settled(f);
    // Confirmations (2), the first answer (one message for both), the second (one message for both).
    const mails = mailTo(f, both);
    expect(mails).toHaveLength(4);
    const last = bodyText(mails[3]?.raw ?? '');
    expect(last).toContain('The city answered 2 concerns you follow at once');
    expect(last).toContain('(Group A)');
    expect(last).toContain('(Group B)');
    expect(last).toContain('Sidewalks on private land');
    // The DAILY follower of B: both answers wait for one digest.
    await runDigest();
    const digest = await until('B’s digest', () => mailTo(f, dailyB)[1]);
    expect(bodyText(digest.raw)).toContain('Las aceras en terreno privado las reparan sus dueños.');
    expect(mailTo(f, dailyB)).toHaveLength(2);
  }, 180_000);
});
