import { ApolloGateway, type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import {
  encodeIdentity,
  type Identity,
  INTERNAL_HEADERS,
  REQUEST_ID_HEADER,
  signEncodedIdentity,
} from '@civic/server-kit/identity';
import type { SubgraphName } from '@civic/server-kit/ports';

export interface GatewayContext {
  identity: Identity;
  requestId: string;
}

export interface GatewayOptions {
  supergraphSdl: string;
  subgraphUrls: Record<SubgraphName, string>;
  /** HMAC key shared with the subgraphs; without it requests go unsigned (development only). */
  secret: string | undefined;
  timeoutMs: number;
}

/**
 * Signs each subgraph request: the identity header, a timestamp and an HMAC over both and the
 * exact body, so a subgraph can trust who the caller is and that nothing was replayed or changed.
 */
function signingFetcher(secret: string | undefined, timeoutMs: number): Fetcher {
  return (async (url: string, init?: RequestInit & { headers?: Record<string, string> }) => {
    const headers = new Headers(init?.headers);
    const encoded = headers.get(INTERNAL_HEADERS.identity);
    if (secret && encoded) {
      const body = typeof init?.body === 'string' ? init.body : '';
      for (const [name, value] of Object.entries(signEncodedIdentity(secret, encoded, body))) headers.set(name, value);
    }
    return fetch(url, { ...init, headers, signal: AbortSignal.timeout(timeoutMs) });
  }) as unknown as Fetcher;
}

class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const headers = request.http?.headers;
    if (!headers || !context.identity) return;
    headers.set(INTERNAL_HEADERS.identity, encodeIdentity(context.identity));
    headers.set(REQUEST_ID_HEADER, context.requestId);
  }
}

export function createGateway(options: GatewayOptions): ApolloGateway {
  const fetcher = signingFetcher(options.secret, options.timeoutMs);
  return new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    buildService: ({ name, url }) =>
      new SignedDataSource({ url: options.subgraphUrls[name as SubgraphName] ?? url, fetcher }),
  });
}
