import { LEGACY_NEIGHBORHOODS, NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  admin,
  type Engagement,
  errorCode,
  partner,
  publicCaller,
  staff,
  startEngagement,
  tableCounts,
} from './helpers.ts';

let sg: Engagement;
beforeAll(async () => {
  sg = await startEngagement();
});
afterAll(async () => {
  await sg?.stop();
});

const hayti = NEIGHBORHOODS.find((n) => n.slug === 'southside-st-teresa')?.id as string;
const walltown = NEIGHBORHOODS.find((n) => n.slug === 'walltown')?.id as string;
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

const CREATE = `mutation ($input: CreateConversationInput!) {
  createConversation(input: $input) {
    id title status notes neighborhoods { id }
    concerns { id summary themes status moderation published supportCount contact { email } statusHistory { toStatus } }
  }
}`;

function conversationInput(overrides: Record<string, unknown> = {}) {
  return {
    title: 'Hayti listening session',
    heldOn: '2026-10-14T18:00:00.000Z',
    format: 'IN_PERSON',
    host: 'Neighborhood Improvement Services',
    languages: ['en', 'es'],
    participantCount: 34,
    summary: 'Residents talked about rents and bus service.',
    notes: 'Room was too small; follow up with the church.',
    neighborhoodIds: [hayti],
    concerns: [
      {
        summary: 'Rents are rising faster than wages',
        themes: ['HOUSING'],
        neighborhoodId: hayti,
        supportCount: 12,
        moderation: 'ACCEPTED',
        contact: { name: 'Resident R.', email: 'r@example.org' },
      },
      { summary: 'Buses on Fayetteville St. come every hour', themes: ['TRANSPORTATION'], neighborhoodId: hayti },
    ],
    ...overrides,
  };
}

type Created = {
  createConversation: {
    id: string;
    status: string;
    notes: string | null;
    concerns: {
      id: string;
      summary: string;
      moderation: string;
      published: boolean;
      contact: { email: string } | null;
    }[];
  };
};

async function expectRefused(
  query: string,
  variables: Record<string, unknown>,
  code: string,
  identity = staff,
): Promise<{ errors?: { message: string; extensions?: Record<string, unknown> }[] }> {
  const before = await tableCounts(sg);
  const result = await sg.execute(query, variables, identity);
  expect(errorCode(result)).toBe(code);
  expect(result.data?.[Object.keys(result.data ?? {})[0] ?? ''] ?? null).toBeNull();
  expect(await tableCounts(sg)).toEqual(before);
  return result;
}

describe('createConversation', () => {
  it('stores a draft conversation with its concerns and history in one go, and audits it', async () => {
    const result = await sg.execute<Created>(CREATE, { input: conversationInput() }, staff);
    expect(result.errors).toBeUndefined();
    const created = result.data?.createConversation;
    expect(created?.status).toBe('DRAFT');
    expect(created?.notes).toContain('Room was too small');
    expect(created?.concerns).toHaveLength(2);
    expect(created?.concerns.every((c) => !c.published)).toBe(true);
    const rents = created?.concerns.find((c) => c.summary.startsWith('Rents'));
    expect(rents?.contact?.email).toBe('r@example.org');
    const audit = await sg.prisma.auditEntry.findMany({
      where: { entityId: { in: [created?.id ?? '', rents?.id ?? ''] } },
    });
    expect(audit.map((a) => a.action).sort()).toEqual(['concern.create', 'conversation.create']);
    expect(audit.every((a) => a.actorSubject === 'staff-alice' && a.actorRole === 'STAFF')).toBe(true);
    expect(audit.find((a) => a.action === 'conversation.create')?.before).toBeNull();
    expect(audit.find((a) => a.action === 'conversation.create')?.after).toMatchObject({
      title: 'Hayti listening session',
    });
  });

  it('refuses a duplicate submission (same title and date) with CONFLICT', async () => {
    await expectRefused(CREATE, { input: conversationInput() }, 'CONFLICT');
  });

  it('refuses a second import of the same source id with CONFLICT', async () => {
    const source = { kind: 'CSV', externalId: 'sheet-7', license: 'CC0' };
    const first = await sg.execute(
      CREATE,
      { input: conversationInput({ title: 'Sheet 7', source, concerns: [] }) },
      staff,
    );
    expect(first.errors).toBeUndefined();
    await expectRefused(
      CREATE,
      { input: conversationInput({ title: 'Sheet 7 again', source, concerns: [] }) },
      'CONFLICT',
    );
  });

  it('refuses missing fields, wrong enum values, oversized text and bad values, storing nothing', async () => {
    const { title: _t, ...noTitle } = conversationInput({ title: 'x' });
    await expectRefused(CREATE, { input: noTitle }, 'BAD_USER_INPUT');
    await expectRefused(CREATE, { input: conversationInput({ format: 'CARRIER_PIGEON' }) }, 'BAD_USER_INPUT');
    await expectRefused(
      CREATE,
      { input: conversationInput({ title: 'Themes', concerns: [{ summary: 'x', themes: ['NOT_A_THEME'] }] }) },
      'BAD_USER_INPUT',
    );
    const oversized = await expectRefused(
      CREATE,
      { input: conversationInput({ title: 'Big', concerns: [{ summary: 'a'.repeat(501) }] }) },
      'BAD_USER_INPUT',
    );
    expect(oversized.errors?.[0]?.extensions?.problems).toEqual([
      { field: 'input.concerns.0.summary', message: 'must be at most 500 characters' },
    ]);
    await expectRefused(CREATE, { input: conversationInput({ title: 'a'.repeat(201) }) }, 'BAD_USER_INPUT');
    await expectRefused(CREATE, { input: conversationInput({ title: '   ' }) }, 'BAD_USER_INPUT');
    await expectRefused(CREATE, { input: conversationInput({ title: 'Neg', participantCount: -1 }) }, 'BAD_USER_INPUT');
    await expectRefused(
      CREATE,
      { input: conversationInput({ title: 'Lang', languages: ['english!'] }) },
      'BAD_USER_INPUT',
    );
    await expectRefused(
      CREATE,
      { input: conversationInput({ title: 'Future', heldOn: '2030-01-01T00:00:00Z' }) },
      'BAD_USER_INPUT',
    );
    await expectRefused(
      CREATE,
      { input: conversationInput({ title: 'Mail', concerns: [{ summary: 'x', contact: { email: 'not-an-email' } }] }) },
      'BAD_USER_INPUT',
    );
    await expectRefused(
      CREATE,
      { input: conversationInput({ title: 'Twice', concerns: [{ summary: 'Same' }, { summary: 'same' }] }) },
      'BAD_USER_INPUT',
    );
  });

  it('lets only one of two identical submissions sent at once through (CONFLICT for the other)', async () => {
    const input = conversationInput({ title: 'Sent twice at once' });
    const before = await tableCounts(sg);
    const results = await Promise.all([sg.execute(CREATE, { input }, staff), sg.execute(CREATE, { input }, staff)]);
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    expect(results.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.code)).toEqual(['CONFLICT']);
    const after = await tableCounts(sg);
    expect(after.conversations).toBe((before.conversations ?? 0) + 1);
    expect(after.concerns).toBe((before.concerns ?? 0) + 2);
  });

  it('refuses unknown neighborhood ids with NOT_FOUND, storing nothing', async () => {
    await expectRefused(
      CREATE,
      { input: conversationInput({ title: 'Nowhere', neighborhoodIds: [UNKNOWN] }) },
      'NOT_FOUND',
    );
    await expectRefused(
      CREATE,
      { input: conversationInput({ title: 'Nowhere 2', concerns: [{ summary: 'x', neighborhoodId: UNKNOWN }] }) },
      'NOT_FOUND',
    );
  });

  it('files demo-era neighborhood ids under the published neighborhoods they stand for', async () => {
    const legacy = (slug: string) => LEGACY_NEIGHBORHOODS.find((n) => n.slug === slug)?.id as string;
    const result = await sg.execute<Created & { createConversation: { neighborhoods: { id: string }[] } }>(
      CREATE,
      {
        input: conversationInput({
          title: 'Old ids',
          // Hayti and Southside both stand for Southside / St. Teresa: one link, not two.
          neighborhoodIds: [legacy('hayti'), legacy('southside'), legacy('few-gardens')],
          concerns: [{ summary: 'Old id concern', neighborhoodId: legacy('hayti') }],
        }),
      },
      staff,
    );
    expect(result.errors).toBeUndefined();
    const eastway = NEIGHBORHOODS.find((n) => n.slug === 'eastway-village')?.id as string;
    expect(result.data?.createConversation.neighborhoods.map((n) => n.id).sort()).toEqual([hayti, eastway].sort());
    const stored = await sg.prisma.concern.findFirstOrThrow({ where: { summary: 'Old id concern' } });
    expect(stored.neighborhoodId).toBe(hayti);
  });

  it('is for staff only', async () => {
    await expectRefused(CREATE, { input: conversationInput({ title: 'Public try' }) }, 'FORBIDDEN', publicCaller);
    await expectRefused(CREATE, { input: conversationInput({ title: 'Partner try' }) }, 'FORBIDDEN', partner);
  });
});

async function newConversation(title: string) {
  const result = await sg.execute<Created>(CREATE, { input: conversationInput({ title }) }, staff);
  expect(result.errors).toBeUndefined();
  return result.data?.createConversation as Created['createConversation'];
}

const UPDATE = `mutation ($id: ID!, $input: UpdateConversationInput!) {
  updateConversation(id: $id, input: $input) { id title participantCount neighborhoods { id } concerns { id summary supportCount } }
}`;

describe('updateConversation', () => {
  it('changes the conversation, adds and changes concerns in one transaction, and audits before/after', async () => {
    const conv = await newConversation('Update me');
    const concernId = conv.concerns[0]?.id as string;
    const result = await sg.execute<{
      updateConversation: {
        title: string;
        neighborhoods: { id: string }[];
        concerns: { id: string; summary: string; supportCount: number }[];
      };
    }>(
      UPDATE,
      {
        id: conv.id,
        input: {
          title: 'Updated',
          neighborhoodIds: [hayti, walltown],
          addConcerns: [{ summary: 'Streetlights are out on Lawson St.', themes: ['INFRASTRUCTURE'] }],
          updateConcerns: [{ id: concernId, supportCount: 40 }],
        },
      },
      admin,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.updateConversation.title).toBe('Updated');
    expect(result.data?.updateConversation.neighborhoods.map((n) => n.id).sort()).toEqual([hayti, walltown].sort());
    expect(result.data?.updateConversation.concerns).toHaveLength(3);
    expect(result.data?.updateConversation.concerns.find((c) => c.id === concernId)?.supportCount).toBe(40);
    const entry = await sg.prisma.auditEntry.findFirst({ where: { entityId: conv.id, action: 'conversation.update' } });
    expect(entry?.before).toMatchObject({ title: 'Update me', neighborhoodIds: [hayti] });
    expect(entry?.after).toMatchObject({ title: 'Updated' });
    expect(entry?.actorRole).toBe('ADMIN');
    const concernEntry = await sg.prisma.auditEntry.findFirst({
      where: { entityId: concernId, action: 'concern.update' },
    });
    expect(concernEntry?.before).toMatchObject({ supportCount: 12 });
    expect(concernEntry?.after).toMatchObject({ supportCount: 40 });
  });

  it('can clear the neighborhoods and a concern’s resident contact', async () => {
    const conv = await newConversation('Clear me');
    const withContact = conv.concerns.find((c) => c.contact)?.id;
    const result = await sg.execute<{ updateConversation: { neighborhoods: unknown[] } }>(
      UPDATE,
      { id: conv.id, input: { neighborhoodIds: [], updateConcerns: [{ id: withContact, contact: null }] } },
      staff,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.updateConversation.neighborhoods).toEqual([]);
    const row = await sg.prisma.concern.findUniqueOrThrow({ where: { id: withContact } });
    expect([row.contactName, row.contactEmail, row.contactPhone]).toEqual([null, null, null]);
  });

  it('refuses bad input, unknown ids and a clash with another conversation, changing nothing', async () => {
    const conv = await newConversation('Guarded');
    const other = await newConversation('Other one');
    await expectRefused(UPDATE, { id: UNKNOWN, input: { title: 'x' } }, 'NOT_FOUND');
    await expectRefused(
      UPDATE,
      { id: conv.id, input: { updateConcerns: [{ id: UNKNOWN, supportCount: 1 }] } },
      'NOT_FOUND',
    );
    // A concern of another conversation cannot be changed through this one.
    await expectRefused(
      UPDATE,
      { id: conv.id, input: { updateConcerns: [{ id: other.concerns[0]?.id, supportCount: 1 }] } },
      'NOT_FOUND',
    );
    await expectRefused(UPDATE, { id: conv.id, input: { neighborhoodIds: [UNKNOWN] } }, 'NOT_FOUND');
    await expectRefused(UPDATE, { id: conv.id, input: {} }, 'BAD_USER_INPUT');
    await expectRefused(UPDATE, { id: conv.id, input: { notes: 'n'.repeat(20_001) } }, 'BAD_USER_INPUT');
    // The valid part (title) must not be stored when a later part (a concern) is invalid.
    await expectRefused(
      UPDATE,
      { id: conv.id, input: { title: 'Half', addConcerns: [{ summary: 's'.repeat(600) }] } },
      'BAD_USER_INPUT',
    );
    await expectRefused(UPDATE, { id: conv.id, input: { title: 'Other one' } }, 'CONFLICT');
    expect((await sg.prisma.conversation.findUnique({ where: { id: conv.id } }))?.title).toBe('Guarded');
  });
});

const PUBLISH = 'mutation ($id: ID!) { publishConversation(id: $id) { id status publishedAt concerns { published } } }';

describe('publishConversation', () => {
  it('publishes the conversation and its concerns; only accepted ones become public', async () => {
    const conv = await newConversation('Publish me');
    const result = await sg.execute<{ publishConversation: { status: string; concerns: { published: boolean }[] } }>(
      PUBLISH,
      { id: conv.id },
      staff,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.publishConversation.status).toBe('PUBLISHED');
    expect(result.data?.publishConversation.concerns.every((c) => c.published)).toBe(true);
    const seen = await sg.execute<{ conversation: { concerns: { summary: string; contact: unknown }[] } }>(
      'query ($id: ID!) { conversation(id: $id) { concerns { summary contact { email } } } }',
      { id: conv.id },
      publicCaller,
    );
    expect(seen.data?.conversation.concerns).toEqual([
      { summary: 'Rents are rising faster than wages', contact: null },
    ]);
    expect(await sg.prisma.auditEntry.count({ where: { entityId: conv.id, action: 'conversation.publish' } })).toBe(1);
  });

  it('refuses to publish twice (CONFLICT) or an unknown conversation (NOT_FOUND)', async () => {
    const conv = await newConversation('Publish twice');
    expect((await sg.execute(PUBLISH, { id: conv.id }, staff)).errors).toBeUndefined();
    await expectRefused(PUBLISH, { id: conv.id }, 'CONFLICT');
    await expectRefused(PUBLISH, { id: UNKNOWN }, 'NOT_FOUND');
    await expectRefused(PUBLISH, {}, 'BAD_USER_INPUT');
    await expectRefused(PUBLISH, { id: conv.id }, 'FORBIDDEN', partner);
  });
});

const MODERATE =
  'mutation ($id: ID!, $m: ModerationState!, $r: String) { moderateConcern(concernId: $id, moderation: $m, reason: $r) { id moderation } }';
const STATUS =
  'mutation ($id: ID!, $s: ConcernStatus!, $n: String!) { changeConcernStatus(concernId: $id, status: $s, publicNote: $n) { id status statusHistory { fromStatus toStatus publicNote changedBy } } }';
const ALIGN =
  'mutation ($input: AlignConcernInput!) { alignConcern(input: $input) { id rationale alignedBy initiative { id } resource { id } concern { id } } }';
const UNALIGN = 'mutation ($id: ID!) { unalignConcern(alignmentId: $id) { id } }';

describe('moderateConcern', () => {
  it('changes the moderation state and records the reason in the audit log', async () => {
    const conv = await newConversation('Moderate');
    const id = conv.concerns.find((c) => c.moderation === 'PENDING')?.id as string;
    const result = await sg.execute(MODERATE, { id, m: 'REJECTED', r: 'Names a private person' }, staff);
    expect(result.errors).toBeUndefined();
    const entry = await sg.prisma.auditEntry.findFirst({ where: { entityId: id, action: 'concern.moderate' } });
    expect(entry?.before).toMatchObject({ moderation: 'PENDING' });
    expect(entry?.after).toMatchObject({ moderation: 'REJECTED', reason: 'Names a private person' });
    await expectRefused(MODERATE, { id, m: 'REJECTED' }, 'CONFLICT');
    await expectRefused(MODERATE, { id, m: 'MAYBE' }, 'BAD_USER_INPUT');
    await expectRefused(MODERATE, { id }, 'BAD_USER_INPUT');
    await expectRefused(MODERATE, { id: UNKNOWN, m: 'ACCEPTED' }, 'NOT_FOUND');
    await expectRefused(MODERATE, { id, m: 'ACCEPTED', r: 'r'.repeat(2_001) }, 'BAD_USER_INPUT');
  });
});

const MODERATE_MANY = 'mutation ($input: ModerateConcernsInput!) { moderateConcerns(input: $input) { id moderation } }';

describe('moderateConcerns', () => {
  const moderationOf = async (ids: string[]) =>
    (await sg.prisma.concern.findMany({ where: { id: { in: ids } }, orderBy: { id: 'asc' } })).map((c) => [
      c.id,
      c.moderation,
    ]);

  it('moderates every concern in one transaction, each audited as moderateConcern', async () => {
    const a = await newConversation('Bulk moderate A');
    const b = await newConversation('Bulk moderate B');
    const ids = [...a.concerns, ...b.concerns].filter((c) => c.moderation === 'PENDING').map((c) => c.id);
    expect(ids).toHaveLength(2);
    const result = await sg.execute<{ moderateConcerns: { id: string; moderation: string }[] }>(
      MODERATE_MANY,
      { input: { concernIds: ids, moderation: 'ACCEPTED', reason: 'Reviewed at the ward meeting' } },
      staff,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.moderateConcerns).toEqual(ids.map((id) => ({ id, moderation: 'ACCEPTED' })));
    const entries = await sg.prisma.auditEntry.findMany({
      where: { entityId: { in: ids }, action: 'concern.moderate' },
    });
    expect(entries).toHaveLength(2);
    for (const entry of entries) {
      expect(entry.before).toMatchObject({ moderation: 'PENDING' });
      expect(entry.after).toMatchObject({ moderation: 'ACCEPTED', reason: 'Reviewed at the ward meeting' });
    }
  });

  it('stores nothing when one id is unknown or not allowed, naming it; caps and checks the list; staff only', async () => {
    const conv = await newConversation('Bulk moderate refused');
    const ids = conv.concerns.map((c) => c.id);
    const pending = conv.concerns.filter((c) => c.moderation === 'PENDING').map((c) => c.id);
    const before = await moderationOf(ids);
    const missing = await expectRefused(
      MODERATE_MANY,
      { input: { concernIds: [...pending, UNKNOWN], moderation: 'ACCEPTED' } },
      'NOT_FOUND',
    );
    expect(missing.errors?.[0]?.extensions?.concernId).toBe(UNKNOWN);
    // The first concern was created ACCEPTED: accepting it again is not allowed, so the pending one stays pending.
    const accepted = conv.concerns.find((c) => c.moderation === 'ACCEPTED')?.id as string;
    const notAllowed = await expectRefused(
      MODERATE_MANY,
      { input: { concernIds: [...pending, accepted], moderation: 'ACCEPTED' } },
      'CONFLICT',
    );
    expect(notAllowed.errors?.[0]?.extensions?.concernId).toBe(accepted);
    expect(await moderationOf(ids)).toEqual(before);
    await expectRefused(MODERATE_MANY, { input: { concernIds: [], moderation: 'ACCEPTED' } }, 'BAD_USER_INPUT');
    await expectRefused(
      MODERATE_MANY,
      { input: { concernIds: [...pending, ...pending], moderation: 'ACCEPTED' } },
      'BAD_USER_INPUT',
    );
    const tooMany = Array.from({ length: 2_001 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const capped = await expectRefused(
      MODERATE_MANY,
      { input: { concernIds: tooMany, moderation: 'ACCEPTED' } },
      'BAD_USER_INPUT',
    );
    expect(JSON.stringify(capped.errors?.[0]?.extensions?.problems)).toContain('at most 2000');
    await expectRefused(MODERATE_MANY, { input: { concernIds: pending, moderation: 'MAYBE' } }, 'BAD_USER_INPUT');
    await expectRefused(
      MODERATE_MANY,
      { input: { concernIds: pending, moderation: 'ACCEPTED' } },
      'FORBIDDEN',
      partner,
    );
    await expectRefused(
      MODERATE_MANY,
      { input: { concernIds: pending, moderation: 'ACCEPTED' } },
      'FORBIDDEN',
      publicCaller,
    );
    expect(await moderationOf(ids)).toEqual(before);
  });
});

describe('the queue of concerns waiting for an answer', () => {
  it('lists concerns oldest first with orderBy OLDEST, paging forwards and backwards', async () => {
    const conv = await newConversation('Oldest first');
    const filter = { conversationId: conv.id };
    const page = async (args: string, variables: Record<string, unknown> = {}) => {
      const result = await sg.execute<{
        concerns: { edges: { cursor: string; node: { id: string; createdAt: string } }[] };
      }>(
        `query ($filter: ConcernFilter${variables.after ? ', $after: String' : ''}${variables.before ? ', $before: String' : ''}) { concerns(filter: $filter, orderBy: OLDEST, ${args}) { edges { cursor node { id createdAt } } } }`,
        { filter, ...variables },
        staff,
      );
      expect(result.errors).toBeUndefined();
      return result.data?.concerns.edges ?? [];
    };
    const all = await page('first: 10');
    const stored = await sg.prisma.concern.findMany({
      where: { conversationId: conv.id },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    expect(all.map((e) => e.node.id)).toEqual(stored.map((c) => c.id));
    const second = await page('first: 1, after: $after', { after: all[0]?.cursor });
    expect(second.map((e) => e.node.id)).toEqual([stored[1]?.id]);
    const first = await page('last: 1, before: $before', { before: all[1]?.cursor });
    expect(first.map((e) => e.node.id)).toEqual([stored[0]?.id]);
  });
});

describe('changeConcernStatus', () => {
  it('moves a concern along its lifecycle with public notes, the city’s response', async () => {
    const conv = await newConversation('Lifecycle');
    const id = conv.concerns[0]?.id as string;
    expect(
      (await sg.execute(STATUS, { id, s: 'UNDER_REVIEW', n: 'Housing staff are reviewing this.' }, staff)).errors,
    ).toBeUndefined();
    // ALIGNED needs an alignment first.
    await expectRefused(STATUS, { id, s: 'ALIGNED', n: 'Aligned.' }, 'CONFLICT');
    const aligned = await sg.execute(
      ALIGN,
      { input: { concernId: id, initiativeId: 'initiative-3-13', rationale: 'Affordable housing initiative.' } },
      staff,
    );
    expect(aligned.errors).toBeUndefined();
    const result = await sg.execute<{
      changeConcernStatus: {
        status: string;
        statusHistory: { fromStatus: string | null; toStatus: string; publicNote: string | null; changedBy: string }[];
      };
    }>(STATUS, { id, s: 'ALIGNED', n: 'This is part of initiative 3.13.' }, staff);
    expect(result.errors).toBeUndefined();
    expect(result.data?.changeConcernStatus.statusHistory.map((h) => [h.fromStatus, h.toStatus])).toEqual([
      [null, 'NEW'],
      ['NEW', 'UNDER_REVIEW'],
      ['UNDER_REVIEW', 'ALIGNED'],
    ]);
    const response = await sg.execute<{ concern: { cityResponse: string } }>(
      'query ($id: ID!) { concern(id: $id) { cityResponse } }',
      { id },
      staff,
    );
    expect(response.data?.concern.cityResponse).toBe('This is part of initiative 3.13.');
    expect(result.data?.changeConcernStatus.statusHistory.at(-1)).toMatchObject({
      publicNote: 'This is part of initiative 3.13.',
      changedBy: 'staff-alice',
    });
    const entries = await sg.prisma.auditEntry.findMany({
      where: { entityId: id, action: 'concern.status' },
      orderBy: { at: 'asc' },
    });
    expect(entries.map((e) => (e.after as { status: string }).status)).toEqual(['UNDER_REVIEW', 'ALIGNED']);
  });

  it('refuses skipped steps (CONFLICT), a missing or oversized note, unknown status values and ids', async () => {
    const conv = await newConversation('Bad lifecycle');
    const id = conv.concerns[0]?.id as string;
    await expectRefused(STATUS, { id, s: 'ADDRESSED', n: 'Done.' }, 'CONFLICT');
    await expectRefused(STATUS, { id, s: 'UNDER_REVIEW', n: '  ' }, 'BAD_USER_INPUT');
    await expectRefused(STATUS, { id, s: 'UNDER_REVIEW', n: 'n'.repeat(2_001) }, 'BAD_USER_INPUT');
    await expectRefused(STATUS, { id, s: 'DONE', n: 'x' }, 'BAD_USER_INPUT');
    await expectRefused(STATUS, { id, s: 'UNDER_REVIEW' }, 'BAD_USER_INPUT');
    await expectRefused(STATUS, { id: UNKNOWN, s: 'UNDER_REVIEW', n: 'x' }, 'NOT_FOUND');
    await expectRefused(STATUS, { id, s: 'UNDER_REVIEW', n: 'x' }, 'FORBIDDEN', publicCaller);
  });
});

describe('alignConcern and unalignConcern', () => {
  it('aligns with a resource, refuses a duplicate, and unaligns, auditing both', async () => {
    const conv = await newConversation('Align');
    const id = conv.concerns[1]?.id as string;
    const input = { concernId: id, serviceId: 'service-go-durham', rationale: 'GoDurham runs route 5.' };
    const result = await sg.execute<{
      alignConcern: { id: string; resource: { id: string }; initiative: null; alignedBy: string };
    }>(ALIGN, { input }, staff);
    expect(result.errors).toBeUndefined();
    expect(result.data?.alignConcern).toMatchObject({
      resource: { id: 'service-go-durham' },
      initiative: null,
      alignedBy: 'staff-alice',
    });
    await expectRefused(ALIGN, { input }, 'CONFLICT');
    const alignmentId = result.data?.alignConcern.id as string;
    expect((await sg.execute(UNALIGN, { id: alignmentId }, staff)).errors).toBeUndefined();
    expect(await sg.prisma.alignment.count({ where: { id: alignmentId } })).toBe(0);
    const actions = (await sg.prisma.auditEntry.findMany({ where: { entityId: alignmentId } }))
      .map((e) => e.action)
      .sort();
    expect(actions).toEqual(['alignment.create', 'alignment.delete']);
    await expectRefused(UNALIGN, { id: alignmentId }, 'NOT_FOUND');
    await expectRefused(UNALIGN, {}, 'BAD_USER_INPUT');
  });

  it('refuses both or neither target, a missing rationale and unknown concerns', async () => {
    const conv = await newConversation('Align badly');
    const id = conv.concerns[0]?.id as string;
    await expectRefused(ALIGN, { input: { concernId: id, rationale: 'Why' } }, 'BAD_USER_INPUT');
    await expectRefused(
      ALIGN,
      { input: { concernId: id, initiativeId: 'i', serviceId: 's', rationale: 'Why' } },
      'BAD_USER_INPUT',
    );
    await expectRefused(ALIGN, { input: { concernId: id, initiativeId: 'i' } }, 'BAD_USER_INPUT');
    await expectRefused(
      ALIGN,
      { input: { concernId: id, initiativeId: 'i', rationale: 'r'.repeat(2_001) } },
      'BAD_USER_INPUT',
    );
    await expectRefused(ALIGN, { input: { concernId: UNKNOWN, initiativeId: 'i', rationale: 'Why' } }, 'NOT_FOUND');
    await expectRefused(ALIGN, { input: { concernId: id, initiativeId: 'i', rationale: 'Why' } }, 'FORBIDDEN', partner);
  });
});

const MERGE =
  'mutation ($input: MergeIntoCitywideConcernInput!) { mergeIntoCitywideConcern(input: $input) { id title themes concernCount concerns { id } } }';

describe('mergeIntoCitywideConcern', () => {
  it('groups concerns from several conversations into a new, then an existing, citywide concern', async () => {
    const a = await newConversation('Merge A');
    const b = await newConversation('Merge B');
    const first = await sg.execute<{ mergeIntoCitywideConcern: { id: string; concernCount: number } }>(
      MERGE,
      {
        input: {
          concernIds: [a.concerns[0]?.id],
          newCitywideConcern: { title: 'Housing costs', summary: 'Rents outpace wages.', themes: ['HOUSING'] },
        },
      },
      staff,
    );
    expect(first.errors).toBeUndefined();
    const citywideId = first.data?.mergeIntoCitywideConcern.id as string;
    const second = await sg.execute<{ mergeIntoCitywideConcern: { concernCount: number } }>(
      MERGE,
      { input: { concernIds: [b.concerns[0]?.id], citywideConcernId: citywideId } },
      staff,
    );
    expect(second.errors).toBeUndefined();
    expect(second.data?.mergeIntoCitywideConcern.concernCount).toBe(2);
    expect(
      await sg.prisma.auditEntry.count({
        where: { action: 'concern.merge', after: { equals: { citywideConcernId: citywideId } } },
      }),
    ).toBe(2);
    expect(await sg.prisma.auditEntry.count({ where: { action: 'citywide.create', entityId: citywideId } })).toBe(1);

    await expectRefused(
      MERGE,
      { input: { concernIds: [a.concerns[0]?.id], citywideConcernId: citywideId } },
      'CONFLICT',
    );
    await expectRefused(
      MERGE,
      { input: { concernIds: [a.concerns[1]?.id], newCitywideConcern: { title: 'Housing costs' } } },
      'CONFLICT',
    );
    await expectRefused(MERGE, { input: { concernIds: [a.concerns[1]?.id] } }, 'BAD_USER_INPUT');
    await expectRefused(MERGE, { input: { concernIds: [], citywideConcernId: citywideId } }, 'BAD_USER_INPUT');
    await expectRefused(
      MERGE,
      { input: { concernIds: [a.concerns[1]?.id, a.concerns[1]?.id], citywideConcernId: citywideId } },
      'BAD_USER_INPUT',
    );
    await expectRefused(
      MERGE,
      { input: { concernIds: [a.concerns[1]?.id, UNKNOWN], citywideConcernId: citywideId } },
      'NOT_FOUND',
    );
    await expectRefused(MERGE, { input: { concernIds: [a.concerns[1]?.id], citywideConcernId: UNKNOWN } }, 'NOT_FOUND');
    await expectRefused(
      MERGE,
      { input: { concernIds: [a.concerns[1]?.id], newCitywideConcern: { title: 't'.repeat(201) } } },
      'BAD_USER_INPUT',
    );
  });
});

describe('the audit log', () => {
  it('is readable by staff and administrators, newest first, filtered by record', async () => {
    const conv = await newConversation('Audited');
    const result = await sg.execute<{
      auditLog: {
        totalCount: number;
        edges: { node: { action: string; actorSubject: string; before: unknown; after: { title: string } } }[];
      };
    }>(
      'query ($id: ID!) { auditLog(entity: "Conversation", entityId: $id) { totalCount edges { node { action actorSubject before after } } } }',
      { id: conv.id },
      admin,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.auditLog.totalCount).toBe(1);
    expect(result.data?.auditLog.edges[0]?.node).toMatchObject({
      action: 'conversation.create',
      actorSubject: 'staff-alice',
      before: null,
      after: { title: 'Audited' },
    });
  });
});

describe('a unique-constraint race inside a write', () => {
  it('becomes CONFLICT and rolls back everything the transaction wrote', async () => {
    const { inTransaction } = await import('@civic/graphql-kit/write');
    await sg.prisma.citywideConcern.create({ data: { title: 'Raced title', createdBy: 's' } });
    const before = await tableCounts(sg);
    const attempt = inTransaction(sg.prisma, async (tx) => {
      await tx.auditEntry.create({
        data: { actorSubject: 's', actorRole: 'STAFF', action: 'x', entity: 'CitywideConcern', entityId: 'x' },
      });
      return tx.citywideConcern.create({ data: { title: 'Raced title', createdBy: 's' } });
    });
    await expect(attempt).rejects.toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(await tableCounts(sg)).toEqual(before);
  });
});

describe('importing a whole Polis export through createConversation', () => {
  it('stores all statements in one write, and refuses the same export twice', async () => {
    const { parse } = await import('csv-parse/sync');
    const { referenceFile } = await import('../src/seed/reference.ts');
    const rows = parse(referenceFile('polis/american-assembly.bowling-green/comments.csv'), {
      columns: true,
      skip_empty_lines: true,
    }) as Record<string, string>[];
    const moderation = { '1': 'ACCEPTED', '-1': 'REJECTED', '0': 'PENDING' } as Record<string, string>;
    const input = conversationInput({
      title: 'Bowling Green Polis (import test)',
      heldOn: '2018-02-13T00:00:00.000Z',
      format: 'ONLINE',
      neighborhoodIds: [],
      source: { kind: 'POLIS', externalId: 'american-assembly.bowling-green', license: 'CC BY 4.0' },
      concerns: rows.map((r) => ({
        summary: r['comment-body'],
        supportCount: Number(r.agrees),
        moderation: moderation[r.moderated ?? '0'],
      })),
    });
    const before = await tableCounts(sg);
    const result = await sg.execute(
      'mutation ($input: CreateConversationInput!) { createConversation(input: $input) { id } }',
      { input },
      staff,
    );
    expect(result.errors).toBeUndefined();
    const after = await tableCounts(sg);
    expect(after.concerns).toBe((before.concerns ?? 0) + rows.length);
    expect(after.audit).toBe((before.audit ?? 0) + rows.length + 1);
    await expectRefused(CREATE, { input: { ...input, title: 'Same export, new title' } }, 'CONFLICT');
  });
});
