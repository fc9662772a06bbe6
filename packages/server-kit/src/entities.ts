import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  GraphQLError,
  type GraphQLSchema,
  isUnionType,
  Kind,
  type ValueNode,
  valueFromASTUntyped,
  visit,
} from 'graphql';

/** Tokens a subgraph parses at most: the gateway's own fetches stay far below it. */
export const SUBGRAPH_MAX_TOKENS = 50_000;
const MAX_ID_LENGTH = 1_000;

function representationsOf(value: ValueNode, variables: Record<string, unknown>): unknown[] {
  if (value.kind === Kind.VARIABLE) {
    const given = variables[value.name.value];
    return Array.isArray(given) ? given : given == null ? [] : [given];
  }
  if (value.kind === Kind.LIST) return value.values.map((v) => valueFromASTUntyped(v, variables));
  return [valueFromASTUntyped(value, variables)];
}

/** Why a representation is not a reference to one of this subgraph's entities, or null. */
function problemOf(representation: unknown, entityTypes: ReadonlySet<string>): string | null {
  if (!representation || typeof representation !== 'object' || Array.isArray(representation)) {
    return 'is not an object';
  }
  const { __typename, id } = representation as Record<string, unknown>;
  if (typeof __typename !== 'string' || !entityTypes.has(__typename)) {
    return 'does not name an entity type of this service';
  }
  // Every entity of this platform is keyed by its id.
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH || id.includes('\u0000')) {
    return `needs an "id" string of 1 to ${MAX_ID_LENGTH} characters`;
  }
  return null;
}

const refuse = (code: string, message: string) =>
  new GraphQLError(message, { extensions: { code, http: { status: 400 } } });

/**
 * Guards `_entities`: at most `max` representations per request (in variables or inline), each
 * an object naming one of this subgraph's entity types with a string id. A signed request cannot
 * make a subgraph load an unbounded number of rows, nor reach a resolver with a malformed key.
 * Checked after validation and before execution; refusals are client errors with HTTP 400.
 */
export function entityGuardPlugin<Ctx extends BaseContext>(
  schema: GraphQLSchema,
  max: number,
): ApolloServerPlugin<Ctx> {
  const union = schema.getType('_Entity');
  const entityTypes = new Set(isUnionType(union) ? union.getTypes().map((t) => t.name) : []);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request }) {
          const variables = request.variables ?? {};
          const all: unknown[] = [];
          visit(document, {
            Field(node) {
              if (node.name.value !== '_entities') return;
              const arg = node.arguments?.find((a) => a.name.value === 'representations');
              if (arg) all.push(...representationsOf(arg.value, variables));
            },
          });
          if (all.length > max) {
            throw refuse('TOO_MANY_ENTITIES', `At most ${max} entity representations may be resolved in one request`);
          }
          all.forEach((representation, index) => {
            const problem = problemOf(representation, entityTypes);
            if (problem) throw refuse('BAD_USER_INPUT', `Representation ${index} ${problem}`);
          });
        },
      };
    },
  };
}
