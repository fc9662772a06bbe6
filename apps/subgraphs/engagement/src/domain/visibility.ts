import { isStaff } from '@civic/graphql-kit/roles';
import type { Identity } from '@civic/server-kit/identity';
import { Prisma } from '../generated/prisma/client.ts';

/**
 * THE visibility rule for concerns: everyone who is not staff sees a concern only when its
 * conversation is published and moderation accepted it. Every path reads it from here: the Prisma
 * filter (lists, counts, loaders, `_entities`), the SQL fragment (full-text search, reports, similar
 * concerns), and the row check. The `concern_facets` trigger (migration
 * 20261202141200_equity_priority_facets) writes the facet `visible:public` under this same
 * condition; test/visibility.test.ts holds every path to it, trigger included.
 */
export const PUBLIC_CONCERN = { published: true, moderation: 'ACCEPTED' } as const satisfies Prisma.ConcernWhereInput;

/** The facet the trigger gives a concern that is public under PUBLIC_CONCERN. */
export const PUBLIC_FACET = 'visible:public';

/** PUBLIC_CONCERN as SQL over the "Concern" row named `alias`. */
export function publicConcernSql(alias: string): Prisma.Sql {
  const row = Prisma.raw(`"${alias}"`);
  return Prisma.sql`${row}."published" = ${Prisma.raw(String(PUBLIC_CONCERN.published))} AND ${row}."moderation" = ${Prisma.raw(`'${PUBLIC_CONCERN.moderation}'`)}`;
}

export function isPublicConcern(c: { published: boolean; moderation: string }): boolean {
  return c.published === PUBLIC_CONCERN.published && c.moderation === PUBLIC_CONCERN.moderation;
}

/** Concerns a caller may see: staff see all, everyone else the public ones. */
export function visibleConcerns(identity: Identity): Prisma.ConcernWhereInput {
  return isStaff(identity) ? {} : { ...PUBLIC_CONCERN };
}

export function isConcernVisible(identity: Identity, c: { published: boolean; moderation: string }): boolean {
  return isStaff(identity) || isPublicConcern(c);
}

/** Conversations a caller may see: everyone else sees only published ones. */
export function visibleConversations(identity: Identity): Prisma.ConversationWhereInput {
  return isStaff(identity) ? {} : { status: 'PUBLISHED' };
}
