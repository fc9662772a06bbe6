import { readFileSync } from 'node:fs';
import { DEPARTMENTS } from '@civic/reference-data/departments';
import { type Identity, PUBLIC_IDENTITY, signIdentity } from '@civic/server-kit/identity';
import { PORTS, SUBGRAPHS } from '@civic/server-kit/ports';
import { type Stack, waitAlignmentCaughtUp } from '@civic/test-stack/stack';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, gql, productionStack, staffToken } from './helpers.ts';

// The committed supergraph, served unchanged by a second, independent gateway (Hive Gateway),
// must give the same answers as ours. Subgraphs run in production mode, so Hive signs the
// identity the same way ours does, through its onFetch hook.

const FLAGSHIP: Record<string, string> = {
  StrategicPlanDashboard: `query StrategicPlanDashboard {
    goals { number title statement initiatives { code title status leadDepartment { id name kind internal } } }
  }`,
  InitiativeDetail: `query InitiativeDetail($code: String!) {
    initiative(code: $code) { id code title description status sourceUrl goal { number title } leadDepartment { name kind services { name status } } }
  }`,
  Concerns: `query Concerns {
    concerns(first: 20) {
      totalCount
      pageInfo { hasNextPage }
      edges { node { id summary themes status supportCount neighborhood { name ward equityPriority } } }
    }
  }`,
  ResourceDirectory: `query ResourceDirectory { organizations { id name kind internal services { id name status } } }`,
  Neighborhoods: `query Neighborhoods { neighborhoods { id name ward equityPriority } }`,
  // DESIGN §5: one concern across all three subgraphs (with @requires for suggestions).
  ConcernDetail: `query ConcernDetail($id: ID!) {
    concern(id: $id) {
      summary themes status neighborhood { name equityPriority }
      initiatives { code title status leadDepartment { name } measures { name target latest { period value } } }
      resources { name status organization { name kind } eligibility languages }
      suggestedResources(first: 5) { score reasons resource { name } }
    }
  }`,
  InitiativeWithConcerns: `query InitiativeWithConcerns($code: String!) {
    initiative(code: $code) { code title concerns { summary status } resources { name organization { name } } }
  }`,
};

let stack: Stack;
let hive: ReturnType<typeof createGatewayRuntime>;
let hiveIdentity: Identity = PUBLIC_IDENTITY;
let concernId = '';

beforeAll(async () => {
  stack = await productionStack();
  // The subgraphs are shared with this project's other files: what their writes set the alignment
  // engine doing must be done before two gateways' answers are compared.
  await waitAlignmentCaughtUp(stack);
  // The most supported public concern, so the flagship query has something to join.
  const concerns = await gql<{ concerns: { edges: { node: { id: string; supportCount: number } }[] } }>(
    stack.gatewayUrl,
    '{ concerns(first: 50) { edges { node { id supportCount } } } }',
  );
  const nodes = (concerns.body.data?.concerns.edges ?? []).map((e) => e.node);
  concernId = nodes.sort((a, b) => b.supportCount - a.supportCount)[0]?.id ?? '';
  let supergraph = readFileSync(new URL('../supergraph.graphql', import.meta.url), 'utf8');
  for (const name of SUBGRAPHS) {
    supergraph = supergraph.replaceAll(`http://127.0.0.1:${PORTS[name]}/graphql`, stack.subgraphUrls[name]);
  }
  hive = createGatewayRuntime({
    supergraph,
    logging: false,
    plugins: () => [
      {
        onFetch({ options, setOptions }) {
          const body = typeof options.body === 'string' ? options.body : '';
          setOptions({
            ...options,
            headers: {
              ...(options.headers as Record<string, string>),
              ...signIdentity(stack.secret, hiveIdentity, body),
            },
          });
        },
      },
    ],
  });
});
afterAll(async () => {
  await hive?.[Symbol.asyncDispose]?.();
  await stack?.destroy();
});

async function viaHive(query: string, variables: Record<string, unknown>) {
  const response = await hive.fetch('http://hive.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: unknown[] } };
}

async function compare(name: string, headers: Record<string, string>, identity: Identity) {
  const query = FLAGSHIP[name] as string;
  const variables =
    name === 'ConcernDetail'
      ? { id: concernId }
      : name === 'InitiativeDetail' || name === 'InitiativeWithConcerns'
        ? { code: '3.13' }
        : {};
  hiveIdentity = identity;
  const ours = await gql(stack.gatewayUrl, query, variables, headers);
  const theirs = await viaHive(query, variables);
  expect(ours.status).toBe(200);
  expect(theirs.status).toBe(200);
  expect(ours.body.errors).toBeUndefined();
  expect(theirs.body.errors).toBeUndefined();
  expect(ours.body.data).toBeTruthy();
  expect(Object.values(ours.body.data as object).every((v) => v !== null)).toBe(true);
  expect(theirs.body.data).toEqual(ours.body.data);
}

describe('Hive Gateway serves the committed supergraph with the same answers', () => {
  test.each(Object.keys(FLAGSHIP))('%s as PUBLIC', async (name) => {
    await compare(name, {}, PUBLIC_IDENTITY);
  });

  test.each(Object.keys(FLAGSHIP))('%s as STAFF', async (name) => {
    const department = DEPARTMENTS[0]?.id as string;
    const token = await staffToken(stack, { role: 'STAFF', department });
    await compare(name, bearer(token), { role: 'STAFF', subject: 'test-staff', department, organization: null });
  });

  test('the comparison can fail: an unsigned Hive request is refused by the subgraphs', async () => {
    const unsigned = createGatewayRuntime({
      supergraph: readFileSync(new URL('../supergraph.graphql', import.meta.url), 'utf8').replaceAll(
        `http://127.0.0.1:${PORTS.initiatives}/graphql`,
        stack.subgraphUrls.initiatives,
      ),
      logging: false,
    });
    try {
      const response = await unsigned.fetch('http://hive.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ goals { number } }' }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: unknown[] };
      expect(body.errors?.length).toBeGreaterThan(0);
      expect(body.data ?? null).toBeNull();
    } finally {
      await unsigned[Symbol.asyncDispose]?.();
    }
  });
});
