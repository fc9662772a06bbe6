import { DEPARTMENTS } from '@civic/reference-data/departments';
import { NEIGHBORHOODS } from '@civic/reference-data/neighborhoods';
import { gql } from '@civic/test-stack/graphql';
import type { Stack } from '@civic/test-stack/stack';
import { SignJWT } from 'jose';
import type { ExecutePublic } from '../src/types.ts';

/**
 * Test data on a demo stack for the open-data and Open311 tests: concerns written by staff with a
 * resident's contact (accepted and published, rejected, pending, and in a draft conversation), one
 * closed with a public note and aligned with an initiative; plus what staff see of every concern.
 */
export interface PrivacyFixture {
  /** Strings of residents' contacts that must never appear in anything public. */
  contactStrings: string[];
  /** Every concern the public should see (published and accepted), as staff see them. */
  publicIds: Set<string>;
  /** Concerns that exist but the public must not see. */
  hiddenIds: string[];
  /** The published, accepted concern with a contact (closed as NOT_FEASIBLE, aligned). */
  visibleWithContact: { id: string; note: string; initiativeId: string; leadDepartment: string | null };
  /**
   * A published, accepted concern given a point inside Southside / St. Teresa: `exact` as staff
   * stored it, `public` as everyone else may see it (3 decimals).
   */
  located: { id: string; exact: [number, number]; public: [number, number] };
  /** A published conversation and a draft one, from this fixture. */
  publishedConversationId: string;
  draftConversationId: string;
  staffToken: string;
  adminToken: string;
}

export async function token(stack: Stack, role: 'STAFF' | 'ADMIN', department?: string): Promise<string> {
  return new SignJWT({ role, ...(department ? { department } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(`open-data-test-${role.toLowerCase()}`)
    .setIssuer('civic-graph-dev')
    .setAudience('civic-graph')
    .setIssuedAt()
    .setExpirationTime('2h')
    .sign(new TextEncoder().encode(stack.jwtSecret));
}

/** Executes as an anonymous caller: a plain POST to the gateway without credentials. */
export function anonymous(stack: Stack): ExecutePublic {
  return async <T>(query: string, variables?: Record<string, unknown>): Promise<T> => {
    const result = await gql<T>(stack.gatewayUrl, query, variables ?? {});
    if (result.body.errors?.length || !result.body.data) {
      throw new Error(`GraphQL errors: ${JSON.stringify(result.body.errors)}`);
    }
    return result.body.data;
  };
}

async function call<T>(stack: Stack, bearer: string, query: string, variables: Record<string, unknown> = {}) {
  const result = await gql<T>(stack.gatewayUrl, query, variables, { authorization: `Bearer ${bearer}` });
  if (result.body.errors?.length || !result.body.data) {
    throw new Error(`fixture call failed: ${query.slice(0, 60)} ${JSON.stringify(result.body.errors)}`);
  }
  return result.body.data;
}

const CREATE = `mutation OpenDataFixture_Create($input: CreateConversationInput!) {
  createConversation(input: $input) { id concerns { id summary } }
}`;

/** `[longitude, latitude]` of a point in Southside / St. Teresa's published boundary, and as the public sees it. */
const LOCATED: [number, number] = [-78.906317, 35.982942];
const LOCATED_PUBLIC: [number, number] = [-78.906, 35.983];

export async function seedPrivacyFixture(stack: Stack, tag = 'od'): Promise<PrivacyFixture> {
  const department = (DEPARTMENTS[0] as (typeof DEPARTMENTS)[number]).id;
  const staffToken = await token(stack, 'STAFF', department);
  const adminToken = await token(stack, 'ADMIN');
  // Southside / St. Teresa, the published neighborhood around the historic Hayti district.
  const hayti = NEIGHBORHOODS.find((n) => n.slug === 'southside-st-teresa')?.id as string;
  const contacts = {
    accepted: { name: `Zephyrine Quillfeather ${tag}`, email: `zq.${tag}@resident.example`, phone: '+1 919 555 0142' },
    rejected: { name: `Barnaby Oxley-Thistle ${tag}`, email: `bot.${tag}@resident.example`, phone: '+1 919 555 0199' },
    pending: { name: `Perpetua Wainscott ${tag}`, email: `pw.${tag}@resident.example`, phone: '+1 919 555 0177' },
    draft: { name: `Ignatius Fernsby ${tag}`, email: `if.${tag}@resident.example`, phone: '+1 919 555 0163' },
  };
  const conversation = (title: string, concerns: Record<string, unknown>[]) => ({
    title,
    heldOn: '2026-10-01T18:00:00.000Z',
    format: 'IN_PERSON',
    host: 'Neighborhood Improvement Services',
    participantCount: 12,
    summary: 'Residents talked about street lights.',
    notes: `Facilitator notes ${tag}: call Zephyrine back.`,
    neighborhoodIds: [hayti],
    concerns,
  });
  const published = await call<{ createConversation: { id: string; concerns: { id: string; summary: string }[] } }>(
    stack,
    staffToken,
    CREATE,
    {
      input: conversation(`Open data fixture ${tag}`, [
        {
          summary: `Street lights out on Alston Avenue ${tag}`,
          themes: ['INFRASTRUCTURE', 'PUBLIC_SAFETY'],
          neighborhoodId: hayti,
          moderation: 'ACCEPTED',
          contact: contacts.accepted,
        },
        {
          summary: `Rejected concern ${tag}`,
          themes: ['HOUSING'],
          neighborhoodId: hayti,
          moderation: 'REJECTED',
          contact: contacts.rejected,
        },
        { summary: `Pending concern ${tag}`, themes: ['HOUSING'], neighborhoodId: hayti, contact: contacts.pending },
        {
          summary: `Broken bench at the bus stop ${tag}`,
          themes: ['TRANSPORTATION'],
          location: { latitude: LOCATED[1], longitude: LOCATED[0] },
          moderation: 'ACCEPTED',
        },
      ]),
    },
  );
  const draft = await call<{ createConversation: { id: string; concerns: { id: string }[] } }>(
    stack,
    staffToken,
    CREATE,
    {
      input: conversation(`Draft fixture ${tag}`, [
        {
          summary: `Draft concern ${tag}`,
          themes: ['HOUSING'],
          neighborhoodId: hayti,
          moderation: 'ACCEPTED',
          contact: contacts.draft,
        },
      ]),
    },
  );
  const publishedId = published.createConversation.id;
  await call(stack, staffToken, 'mutation ($id: ID!) { publishConversation(id: $id) { id } }', { id: publishedId });
  const visibleId = published.createConversation.concerns.find((c) => c.summary.startsWith('Street lights'))
    ?.id as string;
  const note = `Fixture note ${tag}: the lights are on the utility's list, not the city's.`;
  await call(
    stack,
    staffToken,
    'mutation ($id: ID!, $note: String!) { changeConcernStatus(concernId: $id, status: NOT_FEASIBLE, publicNote: $note) { id } }',
    { id: visibleId, note },
  );
  const plan = await call<{ initiatives: { id: string; leadDepartment: { name: string } | null }[] }>(
    stack,
    adminToken,
    '{ initiatives { id leadDepartment { name } } }',
  );
  const initiative =
    plan.initiatives.find((i) => i.leadDepartment) ?? (plan.initiatives[0] as (typeof plan.initiatives)[0]);
  await call(stack, adminToken, 'mutation ($input: AlignConcernInput!) { alignConcern(input: $input) { id } }', {
    input: { concernId: visibleId, initiativeId: initiative.id, rationale: 'Street lighting' },
  });

  // What staff see of every concern decides what the public must (and must not) see.
  const all: { id: string; published: boolean; moderation: string }[] = [];
  let after: string | null = null;
  for (;;) {
    const page: {
      concerns: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: { node: { id: string; published: boolean; moderation: string } }[];
      };
    } = await call(
      stack,
      staffToken,
      'query ($after: String) { concerns(first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id published moderation } } } }',
      { after },
    );
    all.push(...page.concerns.edges.map((e) => e.node));
    if (!page.concerns.pageInfo.hasNextPage) break;
    after = page.concerns.pageInfo.endCursor;
  }
  const isPublic = (c: { published: boolean; moderation: string }) => c.published && c.moderation === 'ACCEPTED';
  return {
    contactStrings: Object.values(contacts).flatMap((c) => [c.name, c.email, c.phone]),
    publicIds: new Set(all.filter(isPublic).map((c) => c.id)),
    hiddenIds: all.filter((c) => !isPublic(c)).map((c) => c.id),
    visibleWithContact: {
      id: visibleId,
      note,
      initiativeId: initiative.id,
      leadDepartment: initiative.leadDepartment?.name ?? null,
    },
    located: {
      id: published.createConversation.concerns.find((c) => c.summary.startsWith('Broken bench'))?.id as string,
      exact: LOCATED,
      public: LOCATED_PUBLIC,
    },
    publishedConversationId: publishedId,
    draftConversationId: draft.createConversation.id,
    staffToken,
    adminToken,
  };
}

/** The concerns.csv header as documented in the README. */
export const CONCERNS_HEADER = [
  'id',
  'summary',
  'detail',
  'themes',
  'language',
  'status',
  'support_count',
  'mention_count',
  'neighborhood_id',
  'neighborhood_name',
  'ward',
  'conversation_id',
  'conversation_title',
  'citywide_concern_id',
  'citywide_concern_title',
  'status_notes',
  'status_changed_at',
  'created_at',
  'updated_at',
  'location_basis',
  'longitude',
  'latitude',
];
