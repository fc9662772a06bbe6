import { gql } from '@civic/test-stack/graphql';
import { type Stack, startStack } from '@civic/test-stack/stack';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { adminHeaders } from './import-helpers.ts';

// The whole federation: engagement's excludedSuggestionIds reaches resources and initiatives
// through @requires, so a staff dismissal is honoured by both.
let stack: Stack;
let headers: Record<string, string>;
beforeAll(async () => {
  stack = await startStack({ readyTimeoutMs: 300_000 });
  headers = { ...(await adminHeaders(stack)), 'apollo-require-preflight': 'true' };
}, 400_000);
afterAll(async () => {
  await stack?.destroy();
});

interface Suggested {
  id: string;
  excludedSuggestionIds: string[];
  suggestedResources: { reasons: string[]; resource: { id: string } }[] | null;
  suggestedInitiatives: { reasons: string[]; initiative: { id: string } }[] | null;
}

const FIELDS = `id excludedSuggestionIds
  suggestedResources(first: 3, language: $language) { reasons resource { id } }
  suggestedInitiatives(first: 3, language: $language) { reasons initiative { id } }`;

async function concern(id: string, language = 'en'): Promise<Suggested> {
  const result = await gql<{ concern: Suggested }>(
    stack.gatewayUrl,
    `query ($id: ID!, $language: String) { concern(id: $id) { ${FIELDS} } }`,
    { id, language },
    headers,
  );
  expect(result.body.errors).toBeUndefined();
  return result.body.data?.concern as Suggested;
}

describe('suggestions through the gateway', () => {
  test('a dismissed service or initiative is not suggested again for that concern', async () => {
    const page = await gql<{ concerns: { edges: { node: Suggested }[] } }>(
      stack.gatewayUrl,
      `query ($language: String) { concerns(first: 20) { edges { node { ${FIELDS} } } } }`,
      { language: 'en' },
      headers,
    );
    expect(page.body.errors).toBeUndefined();
    const nodes = page.body.data?.concerns.edges.map((e) => e.node) ?? [];
    const target = nodes.find(
      (n) => (n.suggestedResources ?? []).length > 0 && (n.suggestedInitiatives ?? []).length > 0,
    );
    expect(target, 'a demo concern with both kinds of suggestion').toBeDefined();
    const serviceId = target?.suggestedResources?.[0]?.resource.id as string;
    const initiativeId = target?.suggestedInitiatives?.[0]?.initiative.id as string;

    for (const args of [{ serviceId }, { initiativeId }]) {
      const dismissed = await gql(
        stack.gatewayUrl,
        'mutation ($c: ID!, $s: ID, $i: ID) { dismissSuggestion(concernId: $c, serviceId: $s, initiativeId: $i) { id } }',
        { c: target?.id, s: args.serviceId ?? null, i: args.initiativeId ?? null },
        headers,
      );
      expect(dismissed.body.errors).toBeUndefined();
    }
    const after = await concern(target?.id as string);
    expect(after.excludedSuggestionIds).toEqual(expect.arrayContaining([serviceId, initiativeId]));
    expect((after.suggestedResources ?? []).map((s) => s.resource.id)).not.toContain(serviceId);
    expect((after.suggestedInitiatives ?? []).map((s) => s.initiative.id)).not.toContain(initiativeId);

    const spanish = await concern(target?.id as string, 'es');
    const english = await concern(target?.id as string, 'en');
    const firstReasons = (c: Suggested) => c.suggestedInitiatives?.[0]?.reasons ?? c.suggestedResources?.[0]?.reasons;
    expect(firstReasons(spanish)?.length).toBeGreaterThan(0);
    expect(firstReasons(spanish)).not.toEqual(firstReasons(english));
  }, 120_000);
});
