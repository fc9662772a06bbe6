import type { ApolloServerPlugin } from '@apollo/server';
import { Kind } from 'graphql';
import type { GatewayContext } from './gateway.ts';
import type { Metrics } from './metrics.ts';

/** Records each GraphQL operation: its name, HTTP status, latency and error codes. */
export function operationMetricsPlugin(metrics: Metrics): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ request, operationName, response, document, contextValue }) {
          const sent = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          const codes = sent.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          // A rejected document still has the name its author gave it.
          const named = document?.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && d.name);
          metrics.observeRequest(
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
