import { actorLabel, actorOf } from '@civic/graphql-kit/actor';
import { isStaff } from '@civic/graphql-kit/roles';
import { forbidden, unauthenticated } from '@civic/server-kit/errors';
import type { Identity } from '@civic/server-kit/identity';
import type { OrganizationKind } from '../generated/prisma/enums.ts';

/**
 * Who may change an organization and its services: ADMIN any; STAFF only their own department
 * (a department id is its Organization id); PARTNER only the organization its key is bound to.
 */
export function canManage(identity: Identity, organization: { id: string; kind: OrganizationKind }): boolean {
  switch (identity.role) {
    case 'ADMIN':
      return true;
    case 'STAFF':
      return (
        organization.kind === 'CITY_DEPARTMENT' &&
        identity.department !== null &&
        identity.department === organization.id
      );
    case 'PARTNER':
      return identity.organization !== null && identity.organization === organization.id;
    default:
      return false;
  }
}

export function assertSignedIn(identity: Identity): void {
  if (identity.role === 'PUBLIC') throw unauthenticated('Sign in or use a partner API key to change resources');
}

export function assertCanManage(identity: Identity, organization: { id: string; kind: OrganizationKind }): void {
  assertSignedIn(identity);
  if (!canManage(identity, organization)) {
    throw forbidden(
      identity.role === 'PARTNER'
        ? "A partner key may only change its own organization's services"
        : "Staff may only change their own department's organization record and services",
    );
  }
}

/** Staff, administrators and the organization itself see its services' change log. */
export function assertMaySeeChanges(identity: Identity, organization: { id: string; kind: OrganizationKind }): void {
  if (isStaff(identity)) return;
  if (identity.role === 'PARTNER' && canManage(identity, organization)) return;
  throw forbidden('Only staff and the organization itself see the change log');
}

/** Who made a change, as the change log and link rows store it: the shared actor format, "staff:ana". */
export function actorName(identity: Identity): string {
  return actorLabel(actorOf(identity));
}
