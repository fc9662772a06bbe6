import type { ApolloServerPlugin } from '@apollo/server';
import { type DocumentNode, GraphQLError, Kind, NoSchemaIntrospectionCustomRule, validate, visit } from 'graphql';
import type { Limits } from './env.ts';
import type { GatewayContext } from './gateway.ts';
import { checkLimits, measureOperation } from './limits.ts';
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
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          const role = contextValue.identity.role;
          if (!options.introspectionForEveryone && role !== 'STAFF' && role !== 'ADMIN') {
            if (validate(schema, document, [NoSchemaIntrospectionCustomRule]).length > 0) {
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
          const shape = measureOperation(
            schema,
            document,
            operation,
            request.variables ?? {},
            options.limits.defaultListSize,
          );
          const rejection = checkLimits(shape, options.limits);
          if (rejection) throw rejection;
        },
        async willSendResponse({ request, operationName, response, document }) {
          const sent = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const codes = sent.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          // A rejected document still has the name its author gave it.
          const named = document?.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && d.name);
          options.metrics.observeRequest(
            operationName ?? request.operationName ?? (named && 'name' in named ? named.name?.value : undefined),
            response.http.status ?? 200,
            (performance.now() - started) / 1000,
            codes,
          );
        },
      };
    },
  };
}
