import type { ApolloServerPlugin, GraphQLRequestContextDidResolveOperation } from '@apollo/server';
import type { GatewayContext } from './gateway.ts';

/** One rule an operation must pass before it runs; it throws a client error (HTTP 400) to refuse. */
export type OperationCheck = (request: GraphQLRequestContextDidResolveOperation<GatewayContext>) => void;

/** Runs the checks in order once the operation is resolved; the first refusal is the answer. */
export function operationChecksPlugin(checks: OperationCheck[]): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(request) {
          for (const check of checks) check(request);
        },
      };
    },
  };
}
