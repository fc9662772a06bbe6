import SchemaBuilder from '@pothos/core';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import PrismaPlugin from '@pothos/plugin-prisma';
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
    GeoJSON: { Input: object; Output: unknown };
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
    pageInfoTypeOptions: {
      shareable: true,
      description: 'Where a page sits in a cursor-paginated list: whether more items come before or after it.',
    },
    hasNextPageFieldOptions: { description: 'Whether items follow this page (fetch them with `after: endCursor`).' },
    hasPreviousPageFieldOptions: { description: 'Whether items come before this page (with `before: startCursor`).' },
    startCursorFieldOptions: { description: 'Cursor of the first item of this page.' },
    endCursorFieldOptions: {
      description: 'Cursor of the last item of this page; pass it as `after` for the next page.',
    },
    firstArgOptions: {
      description: 'Page size, counted from the start (or from `after`); each list caps it (100 for most).',
    },
    afterArgOptions: { description: 'Return items after this cursor (an `endCursor`).' },
    lastArgOptions: { description: 'Page size, counted from the end (or from `before`); each list caps it.' },
    beforeArgOptions: { description: 'Return items before this cursor (a `startCursor`).' },
    pageInfoFieldOptions: { description: 'Where this page sits in the whole list.' },
    cursorFieldOptions: { description: 'Opaque position of this edge; pass it as `after` for the next page.' },
  },
});
