import { PUBLIC_IDENTITY } from '@civic/server-kit/identity';
import { describe, expect, it } from 'vitest';
import { plugins, prismaOptions, relayOptions, scopeAuthOptions, sharedBuilderOptions } from './builder.ts';

describe('shared builder options', () => {
  it('orders auth before federation', () => {
    expect(plugins).toEqual(['scopeAuth', 'directives', 'prisma', 'relay', 'federation']);
  });

  it('derives the scopes from the role and refuses with FORBIDDEN', () => {
    const staff = { identity: { ...PUBLIC_IDENTITY, role: 'STAFF' as const, subject: 'ana' }, prisma: null };
    expect(scopeAuthOptions.authScopes(staff)).toEqual({ staff: true, admin: false });
    expect(scopeAuthOptions.authScopes({ identity: PUBLIC_IDENTITY, prisma: null })).toEqual({
      staff: false,
      admin: false,
    });
    expect(scopeAuthOptions.unauthorizedError().extensions.code).toBe('FORBIDDEN');
  });

  it("uses the request's Prisma client and the subgraph's datamodel", () => {
    const prisma = { name: 'request client' };
    const options = prismaOptions({ datamodel: 'x' });
    expect(options.client({ prisma })).toBe(prisma);
    expect(options).toMatchObject({ dmmf: { datamodel: 'x' }, filterConnectionTotalCount: true, onUnusedQuery: null });
  });

  it('puts it all together without nullable fields by default', () => {
    expect(sharedBuilderOptions({})).toMatchObject({ defaultFieldNullability: false, relay: relayOptions });
    expect(relayOptions).toMatchObject({ clientMutationId: 'omit', cursorType: 'String' });
  });
});
