import { SUBGRAPHS, type SubgraphName } from '@civic/server-kit/ports';
import { gql } from '@civic/test-stack/graphql';
import type { Stack } from '@civic/test-stack/stack';

export interface QueryCountRow {
  operation: string;
  subgraph: SubgraphName;
  at10: number;
  at100: number;
}

/**
 * Lists read at page size 10 and 100 through the gateway; every cross-subgraph field makes the
 * gateway send `_entities` for the whole page, so a per-row query anywhere shows up as a difference.
 */
const LISTS: Record<string, string> = {
  'concerns (+ initiatives, measures, resources via _entities)': `query($n: Int) {
    concerns(first: $n, orderBy: MOST_SUPPORTED) { totalCount edges { node { id summary themes status
      neighborhood { name ward equityPriority }
      initiatives { code title status leadDepartment { name } measures { name target latest { period value } } }
      resources { name status organization { name kind } languages } } } }
  }`,
  'conversations (+ neighborhoods, concerns)': `query($n: Int) {
    conversations(first: $n) { edges { node { id title neighborhoods { name } concerns { id summary } } } }
  }`,
  'services (+ organization, locations, schedules, concerns via _entities)': `query($n: Int) {
    services(first: $n) { totalCount edges { node { id name status languages themes organization { name kind }
      locations { name } schedules { opensAt } concerns { summary } } } }
  }`,
};

async function sqlBySubgraph(stack: Stack): Promise<Record<SubgraphName, number>> {
  const out = {} as Record<SubgraphName, number>;
  for (const name of SUBGRAPHS) {
    const text = await (await fetch(stack.subgraphUrls[name].replace('/graphql', '/metrics'))).text();
    out[name] = Number(text.match(/civic_sql_statements_total\{[^}]*\} (\d+)/)?.[1] ?? 0);
  }
  return out;
}

/** SQL statements one request costs in each subgraph (the least of three tries, so no stray timer counts). */
async function statementsFor(stack: Stack, query: string, n: number): Promise<Record<SubgraphName, number>> {
  let best: Record<SubgraphName, number> | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const before = await sqlBySubgraph(stack);
    // Computed every time: an answer from the gateway's response cache would run no SQL at all.
    const result = await gql(stack.gatewayUrl, query, { n }, { 'cache-control': 'no-cache' });
    if (result.body.errors) throw new Error(`query count list fails: ${JSON.stringify(result.body.errors)}`);
    const after = await sqlBySubgraph(stack);
    const delta = Object.fromEntries(SUBGRAPHS.map((s) => [s, after[s] - before[s]])) as Record<SubgraphName, number>;
    best = best
      ? (Object.fromEntries(SUBGRAPHS.map((s) => [s, Math.min(best?.[s] ?? 0, delta[s])])) as typeof delta)
      : delta;
  }
  return best as Record<SubgraphName, number>;
}

export async function queryCounts(stack: Stack): Promise<QueryCountRow[]> {
  const rows: QueryCountRow[] = [];
  for (const [operation, query] of Object.entries(LISTS)) {
    const at10 = await statementsFor(stack, query, 10);
    const at100 = await statementsFor(stack, query, 100);
    for (const subgraph of SUBGRAPHS) {
      if (at10[subgraph] === 0 && at100[subgraph] === 0) continue;
      rows.push({ operation, subgraph, at10: at10[subgraph], at100: at100[subgraph] });
    }
  }
  return rows;
}
