import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { gql } from '@civic/test-stack/graphql';

export interface BenchOperation {
  name: string;
  description: string;
  query: string;
  variables: Record<string, unknown>;
  /**
   * Variables sent in turn instead (the first is `variables`): many different concerns or filters,
   * so that no two requests in flight are the same and none can share another's work.
   */
  variableSets?: Record<string, unknown>[];
}

const LIST_QUERY = /* GraphQL */ `
  query Bench_ConcernsList($filter: ConcernFilter) {
    concerns(filter: $filter, first: 50) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id summary themes status supportCount neighborhood { name ward } } }
    }
  }
`;

const LIST_WORDS = [
  'road OR traffic OR housing',
  'park OR trees',
  'safety OR police',
  'school OR library',
  'water OR flooding',
  'rent OR eviction',
  'bus OR sidewalk',
  'jobs OR training',
];
const LIST_THEMES = ['TRANSPORTATION', 'HOUSING', 'PUBLIC_SAFETY', 'EDUCATION', 'ENVIRONMENT', 'ECONOMIC_OPPORTUNITY'];

// The concern page: one query joining all three subgraphs (the concern, its initiatives and its resources).
const CONCERN_DETAIL = /* GraphQL */ `
  query Bench_ConcernDetail($id: ID!) {
    concern(id: $id) {
      summary
      themes
      status
      neighborhood { name equityPriority }
      initiatives {
        code
        title
        status
        leadDepartment { name }
        measures { name target latest { period value } }
      }
      resources { name status organization { name kind } eligibility languages }
      suggestedResources(first: 5) { score reasons resource { name } }
    }
  }
`;

// The suggestions alone (issue 17's figure: suggestedResources p95 through the gateway at c=10).
const SUGGESTIONS = /* GraphQL */ `
  query Bench_SuggestedResources($id: ID!) {
    concern(id: $id) {
      id
      suggestedResources(first: 5) { score reasons resource { name } }
    }
  }
`;

/** The dashboard is the web client's own query, read from its source so that the two cannot drift apart. */
export const DASHBOARD_OPERATION = 'PlanDashboard_Plan';
const WEB_DASHBOARD = new URL('../../apps/web/src/pages/PlanDashboard.tsx', import.meta.url).href;

async function webDashboardQuery(): Promise<string> {
  const { PlanDashboardQuery } = (await import(WEB_DASHBOARD)) as { PlanDashboardQuery: unknown };
  // Printed with the web client's own graphql package (the benchmark does not depend on it).
  const graphqlEntry = pathToFileURL(createRequire(WEB_DASHBOARD).resolve('graphql')).href;
  const { print } = (await import(graphqlEntry)) as { print: (document: unknown) => string };
  const text = print(PlanDashboardQuery);
  if (!text.includes(`query ${DASHBOARD_OPERATION}(`))
    throw new Error(`the web dashboard is no longer ${DASHBOARD_OPERATION}`);
  return text;
}

/** The flagship operations, with variables taken from the seeded data. */
export async function flagshipOperations(gatewayUrl: string): Promise<BenchOperation[]> {
  const first = await gql<{ concerns: { edges: { node: { id: string } }[] } }>(
    gatewayUrl,
    '{ concerns(first: 100, orderBy: MOST_SUPPORTED) { edges { node { id } } } }',
  );
  const concernIds = first.body.data?.concerns.edges.map((e) => e.node.id) ?? [];
  const concernId = concernIds[0];
  if (!concernId) throw new Error(`no concern to benchmark: ${JSON.stringify(first.body.errors)}`);
  const listFilters = LIST_WORDS.flatMap((search, i) =>
    LIST_THEMES.map((theme, j) => ({ filter: { search, themes: [theme], ward: ((i + j) % 4) + 1 } })),
  );
  return [
    {
      name: 'concern-page',
      description:
        'ConcernDetail: a concern with its initiatives, measures, resources and suggestions (all three subgraphs)',
      query: CONCERN_DETAIL,
      variables: { id: concernId },
    },
    {
      name: 'concern-page-mixed',
      description: `The concern page for ${concernIds.length} different concerns in turn (nothing shared between requests)`,
      query: CONCERN_DETAIL,
      variables: { id: concernId },
      variableSets: concernIds.map((id) => ({ id })),
    },
    {
      name: 'concerns-list',
      description: 'Filtered concerns list: 50 per page, text search + theme + ward (engagement)',
      query: LIST_QUERY,
      variables: { filter: { search: 'road OR traffic OR housing', themes: ['TRANSPORTATION'], ward: 1 } },
    },
    {
      name: 'concerns-list-mixed',
      description: `The filtered list with ${listFilters.length} different searches, themes and wards in turn`,
      query: LIST_QUERY,
      variables: listFilters[0] as Record<string, unknown>,
      variableSets: listFilters,
    },
    {
      name: 'dashboard',
      description: `The strategic-plan dashboard as the web client asks for it, in one request (${DASHBOARD_OPERATION}: every goal and initiative, lead departments, key measures, text in English)`,
      query: await webDashboardQuery(),
      variables: { language: 'en' },
    },
    {
      name: 'directory-search',
      description: 'Resource directory: text search with theme filter (resources)',
      query: /* GraphQL */ `
        query Bench_Directory {
          services(text: "housing repair", themes: [HOUSING], first: 20) {
            totalCount
            edges { node { id name status languages organization { name kind } } }
          }
        }
      `,
      variables: {},
    },
    {
      name: 'suggested-resources',
      description: `suggestedResources(first: 5) for ${concernIds.length} different concerns in turn (issue 17's figure)`,
      query: SUGGESTIONS,
      variables: { id: concernId },
      variableSets: concernIds.map((id) => ({ id })),
    },
    {
      name: 'gap-report',
      description: 'Equity gap report: unaligned published concerns by neighborhood and theme (engagement)',
      query: /* GraphQL */ `
        query Bench_GapReport {
          equityGapReport { neighborhood { name ward } theme equityPriority unalignedConcerns supportCount }
        }
      `,
      variables: {},
    },
  ];
}
