import { gql } from '@civic/test-stack/graphql';

export interface BenchOperation {
  name: string;
  description: string;
  query: string;
  variables: Record<string, unknown>;
}

/** The flagship operations, with variables taken from the seeded data. */
export async function flagshipOperations(gatewayUrl: string): Promise<BenchOperation[]> {
  const first = await gql<{ concerns: { edges: { node: { id: string } }[] } }>(
    gatewayUrl,
    '{ concerns(first: 1) { edges { node { id } } } }',
  );
  const concernId = first.body.data?.concerns.edges[0]?.node.id;
  if (!concernId) throw new Error(`no concern to benchmark: ${JSON.stringify(first.body.errors)}`);
  return [
    {
      name: 'dashboard',
      description: 'Strategic-plan dashboard: goals, initiatives, lead departments (initiatives + resources)',
      query: `query Bench_Dashboard { goals { number title initiatives { code title status leadDepartment { name } } } }`,
      variables: {},
    },
    {
      name: 'concern-page',
      description: 'Concern page: the concern with its neighborhood (engagement)',
      query: `query Bench_ConcernPage($id: ID!) { concern(id: $id) { id summary themes status supportCount neighborhood { name ward equityPriority } } }`,
      variables: { id: concernId },
    },
    {
      name: 'concerns-list',
      description: 'Concerns list, 50 per page (engagement)',
      query: `query Bench_ConcernsList { concerns(first: 50) { totalCount edges { node { id summary themes status neighborhood { name } } } } }`,
      variables: {},
    },
  ];
}
