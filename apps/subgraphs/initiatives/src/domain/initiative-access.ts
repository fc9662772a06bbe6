import { isAdmin } from '@civic/graphql-kit/roles';
import { badInput, forbidden, notFound, unauthenticated } from '@civic/server-kit/errors';
import type { Identity } from '@civic/server-kit/identity';
import type { Context } from '../context.ts';

/** ADMIN, or STAFF of the department that leads the initiative. */
export function canEditInitiative(identity: Identity, initiative: { leadDepartmentId: string | null }): boolean {
  if (isAdmin(identity)) return true;
  return (
    identity.role === 'STAFF' && identity.department !== null && identity.department === initiative.leadDepartmentId
  );
}

/** The public must sign in and partners may not write; staff and administrators go on to the lead check. */
export function assertMayWrite(identity: Identity, what: 'initiatives' | 'measures'): void {
  const one = what === 'initiatives' ? 'an initiative' : 'a measure';
  if (identity.role === 'PUBLIC') throw unauthenticated(`Sign in as city staff to change ${one}`);
  if (identity.role === 'PARTNER') throw forbidden(`Partners cannot change ${what}`);
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

export interface InitiativeRef {
  initiativeId?: string | null;
  code?: string | null;
}

/** Finds the initiative a write names (by id or code) after checking the caller may write at all. */
export async function initiativeForEdit(ctx: Context, ref: InitiativeRef) {
  assertMayWrite(ctx.identity, 'initiatives');
  if ((ref.initiativeId == null) === (ref.code == null)) {
    throw badInput('Name the initiative by initiativeId or by code (one of them)', [
      { field: 'initiativeId', message: 'Give exactly one of initiativeId and code' },
    ]);
  }
  const initiative = await ctx.prisma.initiative.findUnique({
    where: ref.initiativeId != null ? { id: ref.initiativeId } : { code: ref.code ?? '' },
  });
  if (!initiative) throw notFound('Initiative', ref.initiativeId ?? ref.code ?? '');
  assertCanEditInitiative(ctx.identity, initiative);
  return initiative;
}
