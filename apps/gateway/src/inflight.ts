import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { encodeIdentity } from '@civic/server-kit/identity';
import type { FormattedExecutionResult } from 'graphql';
import type { GatewayContext } from './gateway.ts';
import type { SubgraphResponse } from './subgraph-fetch.ts';

/** Marks a subgraph fetch whose operation is a query, so identical ones in flight can share it. */
export const DEDUPE_HEADER = 'x-civic-dedupe';

/**
 * Identical subgraph queries in flight at the same moment (same subgraph, caller identity and exact
 * body: a popular concern page under load) are sent once and their response shared, as Hive
 * Gateway and Apollo Router do. Only queries: a mutation is always sent, and clears the table so no
 * query that started before it can answer a caller who arrived after it.
 */
export class InflightQueries {
  private readonly pending = new Map<string, Promise<SubgraphResponse>>();

  share(key: string, send: () => Promise<SubgraphResponse>): Promise<SubgraphResponse> {
    const shared = this.pending.get(key);
    if (shared) return shared.then((r) => r.copy());
    const sent = send().finally(() => {
      if (this.pending.get(key) === sent) this.pending.delete(key);
    });
    this.pending.set(key, sent);
    return sent;
  }

  /** Forgets every fetch in flight (they still answer the callers already waiting on them). */
  clear(): void {
    this.pending.clear();
  }

  get size(): number {
    return this.pending.size;
  }
}

interface SharedResult {
  status: number | undefined;
  result: FormattedExecutionResult;
}

/**
 * The same for whole operations: a query arriving while an identical one (same document, operation
 * name, variables and caller identity) is executing waits for it and is answered with its result,
 * after its own limits were checked. Each caller is still counted, rate-limited and logged on its
 * own. A mutation clears the table, so no caller who arrives after a write gets an answer that was
 * started before it.
 */
export function inflightOperationsPlugin(): ApolloServerPlugin<GatewayContext> {
  const pending = new Map<string, Promise<SharedResult | null>>();
  return {
    async requestDidStart() {
      let lead: { key: string; shared: Promise<SharedResult | null>; done(r: SharedResult | null): void } | undefined;
      return {
        async responseForOperation({ operation, request, contextValue, queryHash }): Promise<GraphQLResponse | null> {
          if (operation.operation !== 'query') {
            pending.clear();
            return null;
          }
          const key = [
            queryHash,
            request.operationName ?? '',
            JSON.stringify(request.variables ?? {}),
            encodeIdentity(contextValue.identity),
          ].join('\n');
          const shared = pending.get(key);
          if (shared) {
            const answer = await shared;
            if (!answer) return null;
            return {
              http: { status: answer.status, headers: new HeaderMap() },
              body: { kind: 'single', singleResult: answer.result },
            };
          }
          let done: (r: SharedResult | null) => void = () => {};
          const promise = new Promise<SharedResult | null>((resolve) => {
            done = resolve;
          });
          lead = { key, shared: promise, done };
          pending.set(key, promise);
          return null;
        },
        async willSendResponse({ response }) {
          if (!lead) return;
          if (pending.get(lead.key) === lead.shared) pending.delete(lead.key);
          lead.done(
            response.body.kind === 'single'
              ? { status: response.http.status, result: response.body.singleResult }
              : null,
          );
        },
      };
    },
  };
}
