import { forbidden } from '@civic/server-kit/errors';
import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import PrismaPlugin, { type PrismaObjectRef } from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import type { Context } from './context.ts';
import type PrismaTypes from './generated/pothos-types.ts';
import { getDatamodel } from './generated/pothos-types.ts';

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  AuthScopes: { staff: boolean; admin: boolean };
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: Date };
    GeoJSON: { Input: Record<string, unknown>; Output: unknown };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  // Auth wraps resolvers, so it comes before federation (DirectivesPlugin keeps @key/@link in _service.sdl).
  plugins: [ScopeAuthPlugin, DirectivesPlugin, PrismaPlugin, RelayPlugin, FederationPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: (ctx) => ({
      staff: ctx.identity.role === 'STAFF' || ctx.identity.role === 'ADMIN',
      admin: ctx.identity.role === 'ADMIN',
    }),
    unauthorizedError: () => forbidden('Only city staff may do this'),
  },
  prisma: {
    client: (ctx) => ctx.prisma,
    dmmf: getDatamodel(),
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    pageInfoTypeOptions: { shareable: true },
    pageInfoFieldOptions: { description: 'Where this page sits in the whole list.' },
    edgesFieldOptions: { description: 'The items of this page, each with its cursor.' },
    nodeFieldOptions: { description: 'The item.' },
    cursorFieldOptions: { description: 'Opaque position of this edge; pass it as `after` for the next page.' },
  },
});

export type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** The ref type of a Prisma-backed object; annotating with it breaks circular type inference between domains. */
export type ModelRef<Name extends keyof PrismaTypes> = PrismaObjectRef<
  Types,
  PrismaTypes[Name],
  PrismaTypes[Name]['Shape']
>;
