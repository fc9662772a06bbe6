import { readFileSync } from 'node:fs';
import { buildSchema, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkLimits, measureOperation } from '../../gateway/src/limits.ts';
import { readDemandDirectives } from '../../gateway/src/limits-directives.ts';
import { NeighborhoodPageQuery, ReachesItQuery } from '../src/pages/neighborhood-queries.ts';

// The gateway's defaults (apps/gateway/src/env.ts): lists without @listSize count as 20 items.
const DEFAULT_LIST_SIZE = 20;
const LIMITS = { maxDepth: 10, maxAliases: 30, maxRootFields: 10, maxDirectives: 20, maxCost: 5000 };
const gateway = new URL('../../gateway/', import.meta.url);
const schema = buildSchema(readFileSync(new URL('api-schema.graphql', gateway), 'utf8'));
const demand = readDemandDirectives(readFileSync(new URL('supergraph.graphql', gateway), 'utf8'));

function shapeOf(document: DocumentNode, variables: Record<string, unknown>) {
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
  return measureOperation(schema, document, operation, variables, DEFAULT_LIST_SIZE, demand);
}

describe('the neighborhood page queries', () => {
  it("fit the gateway's default cost limit, services and initiative titles in the reader's language apart", () => {
    const page = shapeOf(NeighborhoodPageQuery, { id: 'n' });
    const reaches = shapeOf(ReachesItQuery, { id: 'n', language: 'es' });
    // Measured on 3 December 2026: 3,774 and 2,443 (in one query, with every field of 100 services' content: 14,576).
    expect(page.cost).toBeLessThanOrEqual(4000);
    expect(reaches.cost).toBeLessThanOrEqual(3000);
    for (const shape of [page, reaches]) {
      expect(checkLimits(shape, LIMITS as Parameters<typeof checkLimits>[1])).toBeNull();
    }
  });
});
