import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRAFT_NOTES } from '../src/seed/seed.ts';
import { admin, type Engagement, errorCode, partner, publicCaller, staff, startEngagement } from './helpers.ts';

let sg: Engagement;
let rejectedId: string;
let draftConcernId: string;
let draftConversationId: string;
let acceptedId: string;
beforeAll(async () => {
  sg = await startEngagement();
  const draft = await sg.prisma.conversation.findFirstOrThrow({ where: { status: 'DRAFT' } });
  draftConversationId = draft.id;
  draftConcernId = (
    await sg.prisma.concern.findFirstOrThrow({ where: { conversationId: draft.id, moderation: 'ACCEPTED' } })
  ).id;
  rejectedId = (await sg.prisma.concern.findFirstOrThrow({ where: { moderation: 'REJECTED', published: true } })).id;
  const accepted = await sg.prisma.concern.findFirstOrThrow({ where: { moderation: 'ACCEPTED', published: true } });
  acceptedId = accepted.id;
  await sg.prisma.concern.update({
    where: { id: acceptedId },
    data: { contactName: 'Pat Resident', contactEmail: 'pat@example.org', contactPhone: '919-555-0100' },
  });
  await sg.prisma.alignment.createMany({
    data: [
      { concernId: acceptedId, initiativeId: 'init-1', rationale: 'Public one', alignedBy: 'staff-bob' },
      { concernId: rejectedId, initiativeId: 'init-1', rationale: 'Hidden one', alignedBy: 'staff-bob' },
      { concernId: draftConcernId, serviceId: 'svc-1', rationale: 'Draft one', alignedBy: 'staff-bob' },
    ],
  });
});
afterAll(async () => {
  await sg?.stop();
});

const outsiders = [
  ['PUBLIC', publicCaller],
  ['PARTNER', partner],
] as const;

describe.each(outsiders)('a %s caller', (_role, caller) => {
  it('sees only published, accepted concerns in lists, by id and through _entities', async () => {
    const list = await sg.execute<{ concerns: { totalCount: number } }>(
      '{ concerns(filter: { moderation: REJECTED }) { totalCount } }',
      {},
      caller,
    );
    expect(list.data?.concerns.totalCount).toBe(0);
    for (const id of [rejectedId, draftConcernId]) {
      const byId = await sg.execute<{ concern: unknown }>(
        'query ($id: ID!) { concern(id: $id) { id } }',
        { id },
        caller,
      );
      expect(byId.data?.concern).toBeNull();
    }
    const entities = await sg.execute<{ _entities: ({ id: string } | null)[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Concern { id } } }',
      { r: [rejectedId, draftConcernId, acceptedId].map((id) => ({ __typename: 'Concern', id })) },
      caller,
    );
    expect(entities.data?._entities).toEqual([null, null, { id: acceptedId }]);
  });

  it('never sees residents’ contact, staff notes or who made a change', async () => {
    const result = await sg.execute<{
      concern: {
        contact: unknown;
        statusHistory: { changedBy: unknown }[];
        alignments: { alignedBy: unknown }[];
        conversation: { notes: unknown; transcript: unknown };
      };
    }>(
      'query ($id: ID!) { concern(id: $id) { contact { name email phone } statusHistory { changedBy } alignments { alignedBy } conversation { notes transcript } } }',
      { id: acceptedId },
      caller,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.concern.contact).toBeNull();
    expect(result.data?.concern.statusHistory.every((h) => h.changedBy === null)).toBe(true);
    expect(result.data?.concern.alignments).toEqual([{ alignedBy: null }]);
    expect(result.data?.concern.conversation).toEqual({ notes: null, transcript: null });
    const viaEntities = await sg.execute<{ _entities: { contact: unknown }[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Concern { contact { email } } } }',
      { r: [{ __typename: 'Concern', id: acceptedId }] },
      caller,
    );
    expect(viaEntities.data?._entities).toEqual([{ contact: null }]);
  });

  it('sees no draft conversations', async () => {
    const byId = await sg.execute<{ conversation: unknown }>(
      'query ($id: ID!) { conversation(id: $id) { id } }',
      { id: draftConversationId },
      caller,
    );
    expect(byId.data?.conversation).toBeNull();
    const list = await sg.execute<{ conversations: { totalCount: number; edges: { node: { status: string } }[] } }>(
      '{ conversations(first: 100, filter: { status: DRAFT }) { totalCount edges { node { status } } } }',
      {},
      caller,
    );
    expect(list.data?.conversations.totalCount).toBe(0);
  });

  it('gets only visible concerns on Initiative.concerns and Service.concerns', async () => {
    const result = await sg.execute<{ _entities: { concerns: { id: string }[] }[] }>(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Initiative { concerns { id } } ... on Service { concerns { id } } } }',
      {
        r: [
          { __typename: 'Initiative', id: 'init-1' },
          { __typename: 'Service', id: 'svc-1' },
        ],
      },
      caller,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?._entities).toEqual([{ concerns: [{ id: acceptedId }] }, { concerns: [] }]);
  });

  it('cannot read the audit log', async () => {
    const result = await sg.execute('{ auditLog { totalCount } }', {}, caller);
    expect(errorCode(result)).toBe('FORBIDDEN');
  });
});

describe.each([
  ['STAFF', staff],
  ['ADMIN', admin],
] as const)('a %s caller', (_role, caller) => {
  it('sees drafts, rejected concerns, contact and notes', async () => {
    const result = await sg.execute<{
      concern: { contact: { email: string; phone: string } };
      rejected: { id: string };
      draft: { notes: string; status: string };
      entities: ({ id: string } | null)[];
      links: { concerns: { id: string }[] }[];
    }>(
      `query ($a: ID!, $r: ID!, $d: ID!, $reps: [_Any!]!, $links: [_Any!]!) {
        concern(id: $a) { contact { email phone } }
        rejected: concern(id: $r) { id }
        draft: conversation(id: $d) { notes status }
        entities: _entities(representations: $reps) { ... on Concern { id } }
        links: _entities(representations: $links) { ... on Initiative { concerns { id } } }
      }`,
      {
        a: acceptedId,
        r: rejectedId,
        d: draftConversationId,
        reps: [{ __typename: 'Concern', id: draftConcernId }],
        links: [{ __typename: 'Initiative', id: 'init-1' }],
      },
      caller,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.concern.contact).toEqual({ email: 'pat@example.org', phone: '919-555-0100' });
    expect(result.data?.rejected).toEqual({ id: rejectedId });
    expect(result.data?.draft.status).toBe('DRAFT');
    expect(result.data?.draft.notes).toBe(DRAFT_NOTES);
    expect(result.data?.entities).toEqual([{ id: draftConcernId }]);
    expect(result.data?.links[0]?.concerns.map((c) => c.id).sort()).toEqual([acceptedId, rejectedId].sort());
  });
});
