import { selectsOnlyTotalCount, countedConnection as sharedCountedConnection } from '@civic/graphql-kit/connections';
import { prismaConnectionHelpers, queryFromInfo } from '@pothos/plugin-prisma';
import type { GraphQLResolveInfo } from 'graphql';
import { builder, type Types } from '../builder.ts';
import type { Context } from '../context.ts';
import type PrismaTypes from '../generated/pothos-types.ts';

/** Options for a counted connection type of this subgraph (see `@civic/graphql-kit/connections`). */
export const countedConnection = (name: string, what: string) => sharedCountedConnection<Types>(name, what);

/** What a page of a root list is read with: the selection beneath the connection and the cursor window. */
export interface PageQuery<Model extends keyof PrismaTypes> {
  select?: PrismaTypes[Model]['Select'];
  include?: PrismaTypes[Model]['Include'];
  take?: number;
  skip?: number;
  cursor?: PrismaTypes[Model]['WhereUnique'];
}

/** The list behind one root connection field: a page of it, and how many rows it holds across pages. */
export interface CountedList<Model extends keyof PrismaTypes, Row> {
  page(query: PageQuery<Model>): Promise<Row[]>;
  total(): Promise<number>;
}

type PageArgs = PothosSchemaTypes.DefaultConnectionArguments;

/**
 * A root connection (cursor `id`) read from one list opened per field: the connection object
 * carries the page and a lazy `totalCount` of the same list, counted only when asked for; the page
 * is not read when only the count is. Use as the `resolve` of `t.connection`.
 */
export function countedPages<Model extends keyof PrismaTypes & string>(
  model: Model,
  sizes: { defaultSize: number; maxSize: number },
) {
  const helpers = prismaConnectionHelpers(builder, model, { cursor: 'id' as never, ...sizes });
  return async <Row extends PrismaTypes[Model]['Shape']>(
    args: PageArgs,
    ctx: Context,
    info: GraphQLResolveInfo,
    open: () => Promise<CountedList<Model, Row>>,
  ) => {
    const { take, skip, cursor } = helpers.getQuery(args as never, ctx, () => true) as PageQuery<Model>;
    const list = await open();
    let rows: Row[] = [];
    if (!selectsOnlyTotalCount(info)) {
      const selection = await queryFromInfo({
        context: ctx,
        info,
        typeName: model,
        select: { id: true },
        paths: [['nodes'], ['edges', 'node']],
        awaitSelections: true,
      });
      rows = await list.page({ ...(selection as Pick<PageQuery<Model>, 'select' | 'include'>), take, skip, cursor });
    }
    return Object.assign(helpers.resolve(rows as never, args as never, ctx), { totalCount: () => list.total() });
  };
}
