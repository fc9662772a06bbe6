import { ApolloGateway, type GraphQLDataSourceProcessOptions, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { Fetcher } from '@apollo/utils.fetcher';
import {
  encodeIdentity,
  type Identity,
  INTERNAL_HEADERS,
  REQUEST_ID_HEADER,
  signEncodedIdentity,
} from '@civic/server-kit/identity';
import type { Logger } from '@civic/server-kit/logger';
import type { SubgraphName } from '@civic/server-kit/ports';
import { GraphQLError } from 'graphql';
import { DEDUPE_HEADER, InflightQueries } from './inflight.ts';
import type { Metrics } from './metrics.ts';
import { SubgraphBatcher } from './subgraph-batch.ts';
import { subgraphFetch } from './subgraph-fetch.ts';

export interface GatewayContext {
  identity: Identity;
  requestId: string;
  /** What the caller's rate limit counts (address, key or user); unset for the gateway's own operations. */
  client?: string;
}

export interface GatewayOptions {
  supergraphSdl: string;
  subgraphUrls: Record<SubgraphName, string>;
  /** HMAC key shared with the subgraphs; without it requests go unsigned (development only). */
  secret: string | undefined;
  timeoutMs: number;
  maxEntityRepresentations: number;
  logger: Logger;
  metrics: Metrics;
}

/**
 * Signs each subgraph request: the identity header, a timestamp and an HMAC over both and the
 * exact body, so a subgraph can trust who the caller is and that nothing was replayed or changed.
 * Every fetch has a timeout; connections to the subgraphs are kept alive and reused. Queries are
 * shared with identical ones in flight, and those a plan sends one subgraph at once go as one batch.
 */
function signingFetcher(
  name: string,
  secret: string | undefined,
  timeoutMs: number,
  metrics: Metrics,
  inflight: InflightQueries,
): Fetcher {
  const post = async (url: string, unsigned: Record<string, string>, body: string, query: boolean) => {
    const encoded = unsigned[INTERNAL_HEADERS.identity];
    const headers = secret && encoded ? { ...unsigned, ...signEncodedIdentity(secret, encoded, body) } : unsigned;
    const started = performance.now();
    try {
      const response = await subgraphFetch(url, { headers, body }, timeoutMs, { retryOnStaleConnection: query });
      metrics.observeSubgraph(name, response.ok ? 'ok' : 'error', (performance.now() - started) / 1000);
      return response;
    } catch (error) {
      const outcome = (error as Error).name === 'TimeoutError' ? 'timeout' : 'error';
      metrics.observeSubgraph(name, outcome, (performance.now() - started) / 1000);
      throw error;
    }
  };
  const queries = new SubgraphBatcher((url, headers, body) => post(url, headers, body, true));
  return (async (url: string, init?: { headers?: Record<string, string>; body?: unknown }) => {
    // RemoteGraphQLDataSource POSTs, and hands over its headers as a plain object with lower-case names.
    const { [DEDUPE_HEADER]: dedupe, ...headers } = init?.headers ?? {};
    const body = typeof init?.body === 'string' ? init.body : '';
    if (dedupe !== 'query') {
      inflight.clear();
      return post(url, headers, body, false);
    }
    return inflight.share(`${url}\n${headers[INTERNAL_HEADERS.identity] ?? ''}\n${body}`, () =>
      queries.query(url, headers, body),
    );
  }) as unknown as Fetcher;
}

class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    config: ConstructorParameters<typeof RemoteGraphQLDataSource<GatewayContext>>[0],
    private readonly serviceName: string,
    private readonly maxRepresentations: number,
    private readonly logger: Logger,
  ) {
    super(config);
  }

  override willSendRequest(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    const { request } = options;
    const representations = request.variables?.representations;
    if (Array.isArray(representations) && representations.length > this.maxRepresentations) {
      throw new GraphQLError(
        `The operation needs more than ${this.maxRepresentations} related records at once; ask for smaller pages`,
        { extensions: { code: 'TOO_MANY_ENTITIES' } },
      );
    }
    const mutation = Boolean(request.query && /^\s*mutation\b/.test(request.query));
    if (request.query && !mutation) request.http?.headers.set(DEDUPE_HEADER, 'query');
    if (!('context' in options)) return;
    const context = options.context as GatewayContext | undefined;
    const headers = request.http?.headers;
    if (!headers || !context?.identity) return;
    // Mutations name the client for the subgraphs' limits per client; queries do not, so that
    // identical queries of different callers stay one (in-flight de-duplication).
    const identity = mutation && context.client ? { ...context.identity, client: context.client } : context.identity;
    headers.set(INTERNAL_HEADERS.identity, encodeIdentity(identity));
    headers.set(REQUEST_ID_HEADER, context.requestId);
  }

  /** A failed fetch (down, slow, non-2xx): details to the log, a plain message to the client. */
  override didEncounterError(
    error: Error,
    _request: unknown,
    response?: { status?: number; url?: string },
    context?: GatewayContext,
  ): void {
    this.logger.warn('subgraph fetch failed', {
      subgraph: this.serviceName,
      requestId: context?.requestId,
      status: response?.status,
      error: { name: error.name, message: error.message },
      response: (error as GraphQLError).extensions?.response,
    });
    throw new GraphQLError(`The ${this.serviceName} service is unavailable`, {
      extensions: { code: 'SERVICE_UNAVAILABLE', serviceName: this.serviceName },
    });
  }
}

export function createGateway(options: GatewayOptions): ApolloGateway {
  const inflight = new InflightQueries();
  return new ApolloGateway({
    supergraphSdl: options.supergraphSdl,
    logger: {
      debug: (m) => options.logger.debug(String(m)),
      info: (m) => options.logger.info(String(m)),
      warn: (m) => options.logger.warn(String(m)),
      error: (m) => options.logger.error(String(m)),
    },
    buildService: ({ name, url }) =>
      new SignedDataSource(
        {
          url: options.subgraphUrls[name as SubgraphName] ?? url,
          fetcher: signingFetcher(name, options.secret, options.timeoutMs, options.metrics, inflight),
        },
        name,
        options.maxEntityRepresentations,
        options.logger,
      ),
  });
}
