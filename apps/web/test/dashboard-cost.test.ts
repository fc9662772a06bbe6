import { readFileSync } from 'node:fs';
import { buildSchema, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkLimits, measureOperation } from '../../gateway/src/limits.ts';
import { readDemandDirectives } from '../../gateway/src/limits-directives.ts';
import { PlanDashboardQuery } from '../src/pages/PlanDashboard.tsx';

// The gateway's defaults (apps/gateway/src/env.ts): lists without @listSize count as 20 items.
const DEFAULT_LIST_SIZE = 20;
const LIMITS = { maxDepth: 10, maxAliases: 30, maxRootFields: 10, maxDirectives: 20, maxCost: 5000 };
const gateway = new URL('../../gateway/', import.meta.url);
const schema = buildSchema(readFileSync(new URL('api-schema.graphql', gateway), 'utf8'));
const demand = readDemandDirectives(readFileSync(new URL('supergraph.graphql', gateway), 'utf8'));

describe('the plan dashboard query', () => {
  it("fits the gateway's default cost limit with its plan text in the reader's language and key-measure series", () => {
    const operation = PlanDashboardQuery.definitions.find(
      (d) => d.kind === 'OperationDefinition',
    ) as OperationDefinitionNode;
    const shape = measureOperation(
      schema,
      PlanDashboardQuery,
      operation,
      { language: 'es' },
      DEFAULT_LIST_SIZE,
      demand,
    );
    // Measured on 3 December 2026: 3,522 (the dashboard before Spanish text and sparklines: 4,202); 3,722 once
    // Measure.content also holds the unit and note (its assumed size 2 → 4), for units in the reader's language;
    // 3,762 with the key measure's latest label and note in the reader's language (latest.content, +220), the
    // gauge reading its texts from content alone (name, unit: -40) and the page reading the card's fields from
    // its fragment instead of asking for them twice (code, status, updatedAt, leadDepartment, title: -140).
    expect(shape.cost).toBeLessThanOrEqual(3800);
    expect(checkLimits(shape, LIMITS as Parameters<typeof checkLimits>[1])).toBeNull();
  });
});
