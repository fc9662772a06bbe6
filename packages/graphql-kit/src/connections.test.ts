import { type FieldNode, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { selectsOnlyTotalCount } from './connections.ts';

function fieldNodes(query: string): FieldNode[] {
  const operation = parse(query).definitions[0] as OperationDefinitionNode;
  return operation.selectionSet.selections as FieldNode[];
}

describe('selectsOnlyTotalCount', () => {
  it('is true for totalCount and __typename only', () => {
    expect(selectsOnlyTotalCount({ fieldNodes: fieldNodes('{ concerns { totalCount __typename } }') })).toBe(true);
  });

  it('is false when the page, its info or a fragment is asked for', () => {
    for (const query of [
      '{ concerns { totalCount edges { node { id } } } }',
      '{ concerns { pageInfo { hasNextPage } } }',
      '{ concerns { ... on ConcernConnection { totalCount } } }',
    ]) {
      expect(selectsOnlyTotalCount({ fieldNodes: fieldNodes(query) })).toBe(false);
    }
  });
});
