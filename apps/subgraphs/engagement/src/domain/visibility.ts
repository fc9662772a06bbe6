import type { Identity } from '@civic/server-kit/identity';
import type { Prisma } from '../generated/prisma/client.ts';

/** Staff and administrators see drafts, moderation queues, notes and residents' contact. */
export function isStaff(identity: Identity): boolean {
  return identity.role === 'STAFF' || identity.role === 'ADMIN';
}

/** Concerns a caller may see: everyone else sees only published, accepted ones. */
export function visibleConcerns(identity: Identity): Prisma.ConcernWhereInput {
  return isStaff(identity) ? {} : { published: true, moderation: 'ACCEPTED' };
}

export function isConcernVisible(identity: Identity, c: { published: boolean; moderation: string }): boolean {
  return isStaff(identity) || (c.published && c.moderation === 'ACCEPTED');
}

/** Conversations a caller may see: everyone else sees only published ones. */
export function visibleConversations(identity: Identity): Prisma.ConversationWhereInput {
  return isStaff(identity) ? {} : { status: 'PUBLISHED' };
}
