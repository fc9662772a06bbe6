import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * A subgraph's own limits on the operations it runs, whoever sends them. The gateway checks
 * tighter ones for clients (MAX_DEPTH 10, MAX_ALIASES 30, …); its query plans stay well inside
 * these, which only stop requests that reach a subgraph some other way.
 */
export interface SubgraphOperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxDirectives: number;
}

export const DEFAULT_SUBGRAPH_LIMITS: SubgraphOperationLimits = {
  maxDepth: 15,
  maxAliases: 60,
  maxRootFields: 20,
  maxDirectives: 40,
};

/** Selections measured at most (fragments are expanded where spread, which can grow exponentially). */
const MAX_MEASURED_SELECTIONS = 100_000;

export interface SubgraphOperationShape {
  depth: number;
  aliases: number;
  rootFields: number;
  directives: number;
}

/** Depth, aliases, root fields and directives of one operation, fragments expanded where spread. */
export function measureSubgraphOperation(
  document: DocumentNode,
  operation: OperationDefinitionNode,
): SubgraphOperationShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const shape: SubgraphOperationShape = {
    depth: 0,
    aliases: 0,
    rootFields: 0,
    directives: operation.directives?.length ?? 0,
  };
  let measured = 0;
  const walk = (selectionSet: SelectionSetNode, depth: number, visiting: Set<string>, isRoot: boolean) => {
    for (const selection of selectionSet.selections) {
      if (++measured > MAX_MEASURED_SELECTIONS) {
        shape.depth = Number.POSITIVE_INFINITY;
        return;
      }
      shape.directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) shape.aliases++;
        if (isRoot) shape.rootFields++;
        shape.depth = Math.max(shape.depth, depth + 1);
        if (selection.selectionSet) walk(selection.selectionSet, depth + 1, visiting, false);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, depth, visiting, isRoot);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment) continue;
        if (visiting.has(name)) {
          shape.depth = Number.POSITIVE_INFINITY;
          continue;
        }
        visiting.add(name);
        shape.directives += fragment.directives?.length ?? 0;
        walk(fragment.selectionSet, depth, visiting, isRoot);
        visiting.delete(name);
      }
    }
  };
  walk(operation.selectionSet, 0, new Set(), true);
  return shape;
}

const refuse = (code: string, message: string) =>
  new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/** The first limit an operation exceeds, as a client error (HTTP 400), or null. */
export function checkSubgraphLimits(
  shape: SubgraphOperationShape,
  limits: SubgraphOperationLimits,
): GraphQLError | null {
  if (shape.depth > limits.maxDepth) {
    return refuse('QUERY_TOO_DEEP', `The operation is nested deeper than ${limits.maxDepth} levels`);
  }
  if (shape.aliases > limits.maxAliases) {
    return refuse('TOO_MANY_ALIASES', `The operation uses more than ${limits.maxAliases} aliases`);
  }
  if (shape.rootFields > limits.maxRootFields) {
    return refuse('TOO_MANY_ROOT_FIELDS', `The operation asks for more than ${limits.maxRootFields} top-level fields`);
  }
  if (shape.directives > limits.maxDirectives) {
    return refuse('TOO_MANY_DIRECTIVES', `The operation uses more than ${limits.maxDirectives} directives`);
  }
  return null;
}

/** Checks each operation after it is resolved and before it runs (after validation). */
export function operationLimitsPlugin<Ctx extends BaseContext>(
  limits: SubgraphOperationLimits,
): ApolloServerPlugin<Ctx> {
  const shapes = new WeakMap<OperationDefinitionNode, SubgraphOperationShape>();
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation }) {
          if (!operation) return;
          let shape = shapes.get(operation);
          if (!shape) {
            shape = measureSubgraphOperation(document, operation);
            shapes.set(operation, shape);
          }
          const rejection = checkSubgraphLimits(shape, limits);
          if (rejection) throw rejection;
        },
      };
    },
  };
}
