import { forbidden, unauthenticated } from '@civic/server-kit/errors';
import type { Identity } from '@civic/server-kit/identity';

/** ADMIN, or STAFF of the department that leads the initiative. */
export function canEditInitiative(identity: Identity, initiative: { leadDepartmentId: string | null }): boolean {
  if (identity.role === 'ADMIN') return true;
  return (
    identity.role === 'STAFF' && identity.department !== null && identity.department === initiative.leadDepartmentId
  );
}

export function assertCanEditInitiative(
  identity: Identity,
  initiative: { code: string; leadDepartmentId: string | null },
): void {
  if (identity.role === 'PUBLIC') throw unauthenticated('Sign in as city staff to change an initiative');
  if (!canEditInitiative(identity, initiative)) {
    throw forbidden(`Only staff of the lead department (or an administrator) can change initiative ${initiative.code}`);
  }
}

/** Who did it, for history rows. */
export function actor(identity: Identity): string {
  return identity.subject ? `${identity.role.toLowerCase()}:${identity.subject}` : identity.role.toLowerCase();
}
