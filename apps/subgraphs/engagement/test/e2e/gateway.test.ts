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
      // Not one the demo's caseworker already aligned (those have initiatives). The five most supported:
      // the engine stays silent on some concerns it cannot place (issue 17's abstention; the demo's
      // "Walltown is being bought up by investors…" gets none), and this checks the join, not its recall.
      '{ concerns(first: 5, orderBy: MOST_SUPPORTED, filter: { themes: [HOUSING], aligned: false }) { edges { node { id } } } }',
    );
    expect(top.body.errors).toBeUndefined();
    const ids = top.body.data?.concerns.edges.map((e) => e.node.id) ?? [];
    expect(ids.length).toBeGreaterThan(0);
    let concern: Detail['concern'] = null;
    for (const id of ids) {
      const result = await gql<Detail>(stack.gatewayUrl, DETAIL, { id });
      expect(result.body.errors).toBeUndefined();
      concern = result.body.data?.concern ?? null;
      expect(concern?.themes).toContain('HOUSING');
      expect(concern?.contact).toBeNull();
      expect(concern?.initiatives).toEqual([]);
      if ((concern?.suggestedResources.length ?? 0) > 0) break;
    }
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
    // Bowling Green's Polis (February 2018), then the 11 published Durham conversations, March 2025 to February 2026.
    const stats = result.body.data?.conversationStats ?? [];
    expect(stats[0]).toEqual({ month: '2018-02', published: 1 });
    expect(stats.at(-1)).toEqual({ month: '2026-02', published: 1 });
    expect(stats.reduce((n, s) => n + s.published, 0)).toBe(12);
  });

  it('refuses staff mutations to the public', async () => {
    const result = await gql(stack.gatewayUrl, 'mutation { publishConversation(id: "x") { id } }');
    expect(result.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
