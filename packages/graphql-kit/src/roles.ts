import { forbidden } from '@civic/server-kit/errors';
import type { Identity } from '@civic/server-kit/identity';

type WithRole = Pick<Identity, 'role'>;

/** City staff and administrators: they see drafts, queues and the change history. */
export function isStaff(identity: WithRole): boolean {
  return identity.role === 'STAFF' || identity.role === 'ADMIN';
}

export function isAdmin(identity: WithRole): boolean {
  return identity.role === 'ADMIN';
}

export const STAFF_ONLY_MESSAGE = 'Only city staff may do this';
export const ADMIN_ONLY_MESSAGE = 'Only an administrator may do this';

/** Throws FORBIDDEN unless the caller is staff or an administrator. */
export function requireStaff(identity: WithRole, message = STAFF_ONLY_MESSAGE): void {
  if (!isStaff(identity)) throw forbidden(message);
}

/** Throws FORBIDDEN unless the caller is an administrator. */
export function requireAdmin(identity: WithRole, message = ADMIN_ONLY_MESSAGE): void {
  if (!isAdmin(identity)) throw forbidden(message);
}

/** The scope-auth scopes every subgraph declares. */
export type RoleScopes = {
  staff: boolean;
  admin: boolean;
};

export function roleScopes(identity: WithRole): RoleScopes {
  return { staff: isStaff(identity), admin: isAdmin(identity) };
}
