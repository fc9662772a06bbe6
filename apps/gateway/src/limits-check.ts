import type { DocumentNode } from 'graphql';
import type { Limits } from './env.ts';
import { checkLimits, measureOperation, type OperationShape } from './limits.ts';
import { type DemandDirectives, NO_DEMAND_DIRECTIVES } from './limits-directives.ts';
import type { OperationCheck } from './operation-checks.ts';

/** Shapes kept per document, for at most this many operation name and variables pairs each. */
const SHAPES_PER_DOCUMENT = 200;

/**
 * Depth, aliases, root fields, directives and cost within `limits`, list sizes and weights taken from the
 * supergraph's `@listSize` and `@cost` (`demand`, see readDemandDirectives); shapes are measured once per
 * document and variables.
 */
export function limitsCheck(limits: Limits, demand: DemandDirectives = NO_DEMAND_DIRECTIVES): OperationCheck {
  const shapes = new WeakMap<DocumentNode, Map<string, OperationShape>>();
  return ({ schema, document, operation, request }) => {
    if (!operation) return;
    const variables = request.variables ?? {};
    const key = `${operation.name?.value ?? ''}:${JSON.stringify(variables)}`;
    let byVariables = shapes.get(document);
    if (!byVariables) {
      byVariables = new Map();
      shapes.set(document, byVariables);
    }
    let shape = byVariables.get(key);
    if (!shape) {
      shape = measureOperation(schema, document, operation, variables, limits.defaultListSize, demand);
      // Bounded: variables vary without end (ids, search words).
      if (byVariables.size >= SHAPES_PER_DOCUMENT) byVariables.clear();
      byVariables.set(key, shape);
    }
    const rejection = checkLimits(shape, limits);
    if (rejection) throw rejection;
  };
}
