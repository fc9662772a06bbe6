import type { SchemaTypes } from '@pothos/core';
import { type GraphQLResolveInfo, Kind } from 'graphql';

type CountFieldBuilder = PothosSchemaTypes.ObjectFieldBuilder<SchemaTypes, object>;

/** A connection object whose `totalCount` is counted only when a caller asks for it. */
export interface LazyCount {
  totalCount?: () => number | Promise<number>;
}

/**
 * Options for a counted connection type: its description, and the Prisma plugin's `totalCount`
 * field again with a description (the extension keeps the plugin's count-only shortcut).
 * Pass as the connection options of `t.prismaConnection` / `t.connection`; the resolved
 * connection object carries its count as `totalCount()` (`LazyCount`).
 */
export function countedConnection<Types extends SchemaTypes>(name: string, what: string) {
  return {
    name,
    description: `A page of ${what}.`,
    fields: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, object>) => ({
      totalCount: (t as unknown as CountFieldBuilder).int({
        description: `How many ${what} match, across all pages.`,
        extensions: { pothosPrismaTotalCount: true },
        resolve: (parent) => (parent as LazyCount).totalCount?.() ?? 0,
      }),
    }),
  };
}

/** Whether a connection field selects nothing but `totalCount` (and `__typename`): its page need not be read. */
export function selectsOnlyTotalCount(info: Pick<GraphQLResolveInfo, 'fieldNodes'>): boolean {
  return info.fieldNodes.every(
    (node) =>
      node.selectionSet?.selections.every(
        (s) => s.kind === Kind.FIELD && (s.name.value === 'totalCount' || s.name.value === '__typename'),
      ) ?? true,
  );
}
