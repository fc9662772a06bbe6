import { forbidden } from '@civic/server-kit/errors';
import type { Identity } from '@civic/server-kit/identity';
import DirectivesPlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { type RoleScopes, roleScopes, STAFF_ONLY_MESSAGE } from './roles.ts';

/**
 * The plugins of every subgraph builder, in order. Auth wraps resolvers, so it comes before
 * federation; DirectivesPlugin keeps @key/@link in _service.sdl.
 */
export const plugins: (
  | typeof ScopeAuthPlugin
  | typeof DirectivesPlugin
  | typeof PrismaPlugin
  | typeof RelayPlugin
  | typeof FederationPlugin
)[] = [ScopeAuthPlugin, DirectivesPlugin, PrismaPlugin, RelayPlugin, FederationPlugin];

/** What the shared options need from a subgraph's context. */
export interface KitContext {
  identity: Identity;
  prisma: unknown;
}

/** The SchemaBuilder type parameters every subgraph shares; add Context, PrismaTypes and Scalars. */
export type SharedSchemaTypes = {
  DefaultFieldNullability: false;
  AuthScopes: RoleScopes;
};

/** The type parameters of a built SchemaBuilder: `export type Types = TypesOf<typeof builder>`. */
export type TypesOf<Builder> = Builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** Relay options: string cursors, no clientMutationId, and a description on every generated field. */
export const relayOptions = {
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
  edgesFieldOptions: { description: 'The items of this page, each with its cursor.' },
  nodeFieldOptions: { description: 'The item.' },
  cursorFieldOptions: { description: 'Opaque position of this edge; pass it as `after` for the next page.' },
} as const;

/** Scopes from the caller's role; a refused scope is FORBIDDEN. */
export const scopeAuthOptions = {
  authScopes: (ctx: KitContext): RoleScopes => roleScopes(ctx.identity),
  unauthorizedError: () => forbidden(STAFF_ONLY_MESSAGE),
};

/** Prisma plugin options for a subgraph's generated datamodel; the client is the request's `ctx.prisma`. */
export function prismaOptions<Dmmf>(dmmf: Dmmf) {
  return {
    client: <Client>(ctx: { prisma: Client }) => ctx.prisma,
    dmmf,
    filterConnectionTotalCount: true,
    onUnusedQuery: null,
  };
}

/** Everything a subgraph builder passes besides `plugins`: `new SchemaBuilder({ plugins, ...sharedBuilderOptions(dmmf) })`. */
export function sharedBuilderOptions<Dmmf>(dmmf: Dmmf) {
  return {
    defaultFieldNullability: false as const,
    scopeAuth: scopeAuthOptions,
    prisma: prismaOptions(dmmf),
    relay: relayOptions,
  };
}
