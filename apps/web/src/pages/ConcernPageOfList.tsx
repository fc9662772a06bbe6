import { QueryState } from '../components/QueryState.tsx';
import { useDeferredQuery } from '../components/useDeferredQuery.ts';
import { graphql, type VariablesOf } from '../graphql.ts';
import { useI18n } from '../i18n/I18n.tsx';
import { ConcernListItem, ConcernListItemFragment } from './ConcernListItem.tsx';

export const ConcernListQuery = graphql(
  `
  query ConcernList_Page($filter: ConcernFilter, $orderBy: ConcernOrder, $first: Int!, $after: String) {
    concerns(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          ...ConcernListItem_Concern
        }
      }
    }
  }
`,
  [ConcernListItemFragment],
);

export type ConcernFilterInput = NonNullable<VariablesOf<typeof ConcernListQuery>['filter']>;
export type ConcernOrder = NonNullable<VariablesOf<typeof ConcernListQuery>['orderBy']>;

interface Props {
  filter: ConcernFilterInput;
  orderBy: ConcernOrder;
  after: string | null;
  isFirst: boolean;
  isLast: boolean;
  onMore(cursor: string): void;
}

/** One page of the cursor-paged list; "show more" appends the next page after it. */
export function ConcernPageOfList({ filter, orderBy, after, isFirst, isLast, onMore }: Props) {
  const { t, plural } = useI18n();
  const [{ data, fetching, error }] = useDeferredQuery({
    query: ConcernListQuery,
    variables: { filter, orderBy, first: 20, after },
  });
  const page = data?.concerns;
  return (
    <QueryState fetching={fetching} error={error} hasData={!!page}>
      {page && isFirst ? (
        <p role="status" className="count">
          {plural('concerns.count', page.totalCount)}
        </p>
      ) : null}
      {page && isFirst && page.edges.length === 0 ? <p>{t('state.empty')}</p> : null}
      <ul className="concern-list">
        {page?.edges.map((edge) => (
          <ConcernListItem key={edge.node.id} concern={edge.node} />
        ))}
      </ul>
      {isLast && page?.pageInfo.hasNextPage && page.pageInfo.endCursor ? (
        <button type="button" onClick={() => onMore(page.pageInfo.endCursor as string)}>
          {t('concerns.more')}
        </button>
      ) : null}
    </QueryState>
  );
}
