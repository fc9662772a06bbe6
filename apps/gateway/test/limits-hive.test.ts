import { readFileSync } from 'node:fs';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { afterAll, describe, expect, test } from 'vitest';

// The committed supergraph's @listSize and @cost, read by another gateway's demand control (Hive Gateway),
// so a city that moves to it keeps cost limits sized by the same directives. Only the estimate before
// execution is checked: the subgraph URLs point at a closed port, so an accepted operation then fails to fetch.
const supergraph = readFileSync(new URL('../supergraph.graphql', import.meta.url), 'utf8').replaceAll(
  /http:\/\/127\.0\.0\.1:\d+\/graphql/g,
  'http://127.0.0.1:9/graphql',
);
const hive = createGatewayRuntime({
  supergraph,
  logging: false,
  demandControl: { maxCost: 1000, listSize: 20, includeExtensionMetadata: true },
});
afterAll(() => hive.dispose());

async function estimate(query: string, variables: Record<string, unknown> = {}) {
  const response = await hive.fetch('http://hive/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as {
    errors?: { extensions?: { code?: string } }[];
    extensions?: { cost?: { estimated: number } };
  };
  return { cost: body.extensions?.cost?.estimated, code: body.errors?.[0]?.extensions?.code };
}

const PARTNER_PAGE = `query PartnerPage($n: Int = 50) { concerns(first: $n) { totalCount pageInfo { hasNextPage endCursor }
  edges { node { id summary status neighborhood { name } initiatives { id code title status } resources { id name }
  suggestedResources(first: 3) { score resource { id name } } } } } }`;

describe("Hive Gateway's demand control reads the supergraph's @listSize and @cost", () => {
  test('page sizes from first, a variable or its default; connections size their edges', async () => {
    // Hive counts composite fields only (scalars 0): its totals differ from ours, its sizes do not.
    expect(await estimate('{ concerns(first: 10) { edges { node { id } } } }')).toMatchObject({ cost: 21 });
    expect(
      await estimate('query ($n: Int) { concerns(first: $n) { edges { node { id } } } }', { n: 30 }),
    ).toMatchObject({ cost: 61 });
    expect(await estimate('query ($n: Int = 30) { concerns(first: $n) { edges { node { id } } } }')).toMatchObject({
      cost: 61,
    });
  });

  test('assumedSize for a concern’s initiatives, @cost on the full-text argument', async () => {
    // concerns 1 + 10 edges + 10 nodes + 10 × 5 initiatives.
    expect(await estimate('{ concerns(first: 10) { edges { node { initiatives { id } } } } }')).toMatchObject({
      cost: 71,
    });
    const plain = await estimate('{ services(first: 2) { edges { node { id } } } }');
    const searched = await estimate('{ services(first: 2, text: "food") { edges { node { id } } } }');
    expect((searched.cost ?? 0) - (plain.cost ?? 0)).toBe(10);
  });

  test('the partner page of 50 passes, 100 is refused, sent or as the default', async () => {
    const page = await estimate(PARTNER_PAGE);
    expect(page.cost).toBe(652);
    expect(page.code).not.toBe('COST_ESTIMATED_TOO_EXPENSIVE');
    for (const refused of [
      await estimate(PARTNER_PAGE, { n: 100 }),
      await estimate(PARTNER_PAGE.replace('$n: Int = 50', '$n: Int = 100')),
    ]) {
      expect(refused).toEqual({ cost: 1302, code: 'COST_ESTIMATED_TOO_EXPENSIVE' });
    }
  });
});
