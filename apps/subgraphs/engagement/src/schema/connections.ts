import type { Types } from '../builder.ts';

type ConnectionFieldBuilder = PothosSchemaTypes.ObjectFieldBuilder<Types, object>;

/**
 * Options for a counted connection type: its description, and the plugin's `totalCount` field
 * again with a description (the extension keeps the plugin's count-only shortcut).
 */
export function countedConnection(name: string, what: string) {
  return {
    name,
    description: `A page of ${what}.`,
    fields: (t: ConnectionFieldBuilder) => ({
      totalCount: t.int({
        description: `How many ${what} match, across all pages.`,
        extensions: { pothosPrismaTotalCount: true },
        resolve: (parent) => (parent as { totalCount?: () => number | Promise<number> }).totalCount?.() ?? 0,
      }),
    }),
  };
}
