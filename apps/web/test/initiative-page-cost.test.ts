import { readFileSync } from 'node:fs';
import { buildSchema, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkLimits, measureOperation } from '../../gateway/src/limits.ts';
import { readDemandDirectives } from '../../gateway/src/limits-directives.ts';
import { InitiativePageQuery } from '../src/pages/InitiativePage.tsx';

// The gateway's defaults (apps/gateway/src/env.ts): lists without @listSize count as 20 items.
const DEFAULT_LIST_SIZE = 20;
const LIMITS = { maxDepth: 10, maxAliases: 30, maxRootFields: 10, maxDirectives: 20, maxCost: 5000 };
const gateway = new URL('../../gateway/', import.meta.url);
const schema = buildSchema(readFileSync(new URL('api-schema.graphql', gateway), 'utf8'));
const demand = readDemandDirectives(readFileSync(new URL('supergraph.graphql', gateway), 'utf8'));

describe('the initiative page query', () => {
  it("fits the gateway's default cost limit with every observation's label and note in the reader's language", () => {
    const operation = InitiativePageQuery.definitions.find(
      (d) => d.kind === 'OperationDefinition',
    ) as OperationDefinitionNode;
    const shape = measureOperation(
      schema,
      InitiativePageQuery,
      operation,
      { language: 'es' },
      DEFAULT_LIST_SIZE,
      demand,
    );
    // Measured on 3 December 2026: with the observations' content and measures counted as 20 it was 8,004 and the
    // gateway refused the page; measures(first: 10) (the Durham plan has at most 2 per initiative) brings it to 4,264.
    expect(shape.cost).toBeLessThanOrEqual(4300);
    expect(checkLimits(shape, LIMITS as Parameters<typeof checkLimits>[1])).toBeNull();
  });
});
