import type { SchemaTypes } from '@pothos/core';

type CountFieldBuilder = PothosSchemaTypes.ObjectFieldBuilder<SchemaTypes, object>;

/**
 * Options for a counted connection type: its description, and the Prisma plugin's `totalCount`
 * field again with a description (the extension keeps the plugin's count-only shortcut).
 * Pass as the connection options of `t.prismaConnection` / `t.connection`.
 */
export function countedConnection<Types extends SchemaTypes>(name: string, what: string) {
  return {
    name,
    description: `A page of ${what}.`,
    fields: (t: PothosSchemaTypes.ObjectFieldBuilder<Types, object>) => ({
      totalCount: (t as unknown as CountFieldBuilder).int({
        description: `How many ${what} match, across all pages.`,
        extensions: { pothosPrismaTotalCount: true },
        resolve: (parent) => (parent as { totalCount?: () => number | Promise<number> }).totalCount?.() ?? 0,
      }),
    }),
  };
}
