import { readFileSync } from 'node:fs';
import { buildSchema, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkLimits, measureOperation } from '../../gateway/src/limits.ts';
import { readDemandDirectives } from '../../gateway/src/limits-directives.ts';
import { EquityGapQuery } from '../src/staff/equity/gap-query.ts';

// The gateway's defaults (apps/gateway/src/env.ts): lists without @listSize count as 20 items.
const DEFAULT_LIST_SIZE = 20;
const LIMITS = { maxDepth: 10, maxAliases: 30, maxRootFields: 10, maxDirectives: 20, maxCost: 5000 };
const gateway = new URL('../../gateway/', import.meta.url);
const schema = buildSchema(readFileSync(new URL('api-schema.graphql', gateway), 'utf8'));
const demand = readDemandDirectives(readFileSync(new URL('supergraph.graphql', gateway), 'utf8'));

describe('the equity gap page query', () => {
  it("fits the gateway's default cost limit with each row's service coverage", () => {
    const operation = EquityGapQuery.definitions.find(
      (d) => d.kind === 'OperationDefinition',
    ) as OperationDefinitionNode;
    const shape = measureOperation(schema, EquityGapQuery, operation, { ward: null }, DEFAULT_LIST_SIZE, demand);
    // Measured on 3 December 2026: 615 with every row's serviceCoverage { activeServiceCount } (one entity
    // field per row, resolved by resources in one batch).
    expect(shape.cost).toBeLessThanOrEqual(700);
    expect(checkLimits(shape, LIMITS as Parameters<typeof checkLimits>[1])).toBeNull();
  });
});
