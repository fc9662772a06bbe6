import type { ApolloServerPlugin } from '@apollo/server';
import { type DocumentNode, GraphQLError, Kind, NoSchemaIntrospectionCustomRule, validate, visit } from 'graphql';
import type { Limits } from './env.ts';
import type { GatewayContext } from './gateway.ts';
import { checkLimits, measureOperation, type OperationShape } from './limits.ts';
import type { Metrics } from './metrics.ts';

/** Whether any string in the variables or the document holds a NUL, which no text column can store. */
function hasNul(document: DocumentNode, variables: unknown): boolean {
  const stack: unknown[] = [variables];
  while (stack.length) {
    const value = stack.pop();
    if (typeof value === 'string' && value.includes('\u0000')) return true;
    if (value && typeof value === 'object') stack.push(...Object.values(value));
  }
  let found = false;
  visit(document, {
    StringValue(node) {
      if (node.value.includes('\u0000')) found = true;
    },
  });
  return found;
}

/**
 * Checks each operation before it runs: introspection only where allowed, then depth, aliases,
 * root fields, directives and cost. A rejection is a client error with HTTP 400.
 * Also records per-operation metrics.
 */
export function guardPlugin(options: {
  limits: Limits;
  introspectionForEveryone: boolean;
  metrics: Metrics;
}): ApolloServerPlugin<GatewayContext> {
  // Apollo Server hands the same parsed document to every request with the same query text, so the
  // introspection check runs once per document and the shape once per document and variables.
  const introspects = new WeakMap<DocumentNode, boolean>();
  const shapes = new WeakMap<DocumentNode, Map<string, OperationShape>>();
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          const role = contextValue.identity.role;
          if (!options.introspectionForEveryone && role !== 'STAFF' && role !== 'ADMIN') {
            let asks = introspects.get(document);
            if (asks === undefined) {
              asks = validate(schema, document, [NoSchemaIntrospectionCustomRule]).length > 0;
              introspects.set(document, asks);
            }
            if (asks) {
              throw new GraphQLError('Introspection is available to signed-in staff only', {
                extensions: { code: 'INTROSPECTION_DISABLED', http: { status: 400 } },
              });
            }
          }
          if (hasNul(document, request.variables)) {
            throw new GraphQLError('Text must not contain NUL characters', {
              extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
            });
          }
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
            shape = measureOperation(schema, document, operation, variables, options.limits.defaultListSize);
            // Bounded: variables vary without end (ids, search words).
            if (byVariables.size >= 200) byVariables.clear();
            byVariables.set(key, shape);
          }
          const rejection = checkLimits(shape, options.limits);
          if (rejection) throw rejection;
        },
        async willSendResponse({ request, operationName, response, document, contextValue }) {
          const sent = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const codes = sent.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          // A rejected document still has the name its author gave it.
          const named = document?.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && d.name);
          options.metrics.observeRequest(
            operationName ?? request.operationName ?? (named && 'name' in named ? named.name?.value : undefined),
            response.http.status ?? 200,
            (performance.now() - started) / 1000,
            codes,
            contextValue.client === undefined
              ? undefined
              : {
                  client: contextValue.client,
                  trusted: contextValue.identity.role === 'STAFF' || contextValue.identity.role === 'ADMIN',
                },
          );
        },
      };
    },
  };
}
