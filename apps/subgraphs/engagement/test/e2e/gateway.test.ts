import { stableId } from '@civic/reference-data/stable-id';
import { gql } from '@civic/test-stack/graphql';
import { type Stack, startStack } from '@civic/test-stack/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The built processes (three subgraphs and the gateway) on the demo data, called as the public.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.destroy();
});

const REJECTED_COMMENT = 892; // moderated -1 in the export
const polisConcern = (commentId: number) =>
  stableId('polis-comment', `polis/american-assembly.bowling-green/${commentId}`);

interface Detail {
  concern: {
    summary: string;
    themes: string[];
    status: string;
    contact: unknown;
    neighborhood: { name: string; equityPriority: boolean };
    initiatives: unknown[];
    resources: unknown[];
    suggestedResources: { score: number; reasons: string[]; resource: { name: string; themes: string[] } }[];
  } | null;
}

const DETAIL = `query ($id: ID!) {
  concern(id: $id) {
    summary themes status contact { email } neighborhood { name equityPriority }
    initiatives { code title } resources { name }
    suggestedResources(first: 5) { score reasons resource { name themes } }
  }
}`;

describe('engagement through the gateway', () => {
  it('serves the concern detail with resources’ suggestions (@requires on engagement fields)', async () => {
    const top = await gql<{ concerns: { edges: { node: { id: string } }[] } }>(
      stack.gatewayUrl,
      '{ concerns(first: 1, orderBy: MOST_SUPPORTED, filter: { themes: [HOUSING] }) { edges { node { id } } } }',
    );
    expect(top.body.errors).toBeUndefined();
    const id = top.body.data?.concerns.edges[0]?.node.id;
    const result = await gql<Detail>(stack.gatewayUrl, DETAIL, { id });
    expect(result.body.errors).toBeUndefined();
    const concern = result.body.data?.concern;
    expect(concern?.themes).toContain('HOUSING');
    expect(concern?.contact).toBeNull();
    expect(concern?.initiatives).toEqual([]);
    // Resources ranks its services for this concern from the fields engagement provides.
    expect(concern?.suggestedResources.length).toBeGreaterThan(0);
    // The alignment engine ranks by what a service does for the concern and says why: a housing
    // concern's suggestions are housing services, each with its reasons.
    const suggestions = concern?.suggestedResources ?? [];
    expect(
      suggestions.every((s) => s.reasons.length > 0),
      JSON.stringify(suggestions),
    ).toBe(true);
    expect(
      suggestions.some((s) => s.resource.themes.includes('HOUSING')),
      JSON.stringify(suggestions),
    ).toBe(true);
  });

  it('hides a rejected Polis statement from the public', async () => {
    const result = await gql<Detail>(stack.gatewayUrl, DETAIL, { id: polisConcern(REJECTED_COMMENT) });
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data?.concern).toBeNull();
  });

  it('serves wards with boundaries, the equity gap report and conversation statistics', async () => {
    const result = await gql<{
      wards: { number: number; boundary: { type: string } }[];
      equityGapReport: { equityPriority: boolean; unalignedConcerns: number }[];
      conversationStats: { month: string; published: number }[];
    }>(
      stack.gatewayUrl,
      '{ wards { number boundary } equityGapReport { equityPriority unalignedConcerns } conversationStats { month published } }',
    );
    expect(result.body.errors).toBeUndefined();
    expect(result.body.data?.wards.map((w) => w.boundary.type)).toEqual([
      'MultiPolygon',
      'MultiPolygon',
      'MultiPolygon',
    ]);
    expect(result.body.data?.equityGapReport[0]?.equityPriority).toBe(true);
    expect(result.body.data?.conversationStats).toEqual([{ month: '2018-02', published: 10 }]);
  });

  it('refuses staff mutations to the public', async () => {
    const result = await gql(stack.gatewayUrl, 'mutation { publishConversation(id: "x") { id } }');
    expect(result.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
