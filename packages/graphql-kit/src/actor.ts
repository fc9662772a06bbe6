import type { Identity, Role } from '@civic/server-kit/identity';

/** Who made a change, as every audit log stores it. */
export interface Actor {
  subject: string;
  role: Role;
}

/** The subject recorded when the caller has none. */
export const NO_SUBJECT = 'anonymous';

export function actorOf(identity: Pick<Identity, 'role' | 'subject'>): Actor {
  return { subject: identity.subject ?? NO_SUBJECT, role: identity.role };
}

/** The actor in one text column: "staff:ana", "partner:habitat-key". */
export function actorLabel(actor: Actor): string {
  return `${actor.role.toLowerCase()}:${actor.subject}`;
}
