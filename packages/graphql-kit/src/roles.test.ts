import type { Role } from '@civic/server-kit/identity';
import { describe, expect, it } from 'vitest';
import { isAdmin, isStaff, requireAdmin, requireStaff, roleScopes } from './roles.ts';

const as = (role: Role) => ({ role });

describe('roles', () => {
  it('staff means STAFF or ADMIN; admin means ADMIN', () => {
    expect((['PUBLIC', 'PARTNER', 'STAFF', 'ADMIN'] as const).map((r) => [isStaff(as(r)), isAdmin(as(r))])).toEqual([
      [false, false],
      [false, false],
      [true, false],
      [true, true],
    ]);
    expect(roleScopes(as('STAFF'))).toEqual({ staff: true, admin: false });
  });

  it('refuses with FORBIDDEN', () => {
    expect(() => requireStaff(as('STAFF'))).not.toThrow();
    expect(() => requireAdmin(as('ADMIN'))).not.toThrow();
    for (const attempt of [() => requireStaff(as('PARTNER')), () => requireAdmin(as('STAFF'), 'Admins only')]) {
      try {
        attempt();
        expect.unreachable();
      } catch (error) {
        expect((error as { extensions: { code: string } }).extensions.code).toBe('FORBIDDEN');
      }
    }
    expect(() => requireAdmin(as('STAFF'), 'Admins only')).toThrow('Admins only');
    expect(() => requireStaff(as('PUBLIC'))).toThrow('Only city staff may do this');
  });
});
