import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Logger } from '@civic/server-kit/logger';
import type { GatewayEnv } from './env.ts';
import { createGateway, type GatewayContext } from './gateway.ts';
import { inflightOperationsPlugin } from './inflight.ts';
import { introspectionCheck } from './introspection-check.ts';
import { limitsCheck } from './limits-check.ts';
import { readDemandDirectives } from './limits-directives.ts';
import { maskErrors } from './masking.ts';
import type { Metrics } from './metrics.ts';
import { nulCheck } from './nul-check.ts';
import { operationChecksPlugin } from './operation-checks.ts';
import { operationMetricsPlugin } from './operation-metrics.ts';
import { responseCachePlugin } from './response-cache.ts';
import type { ResponseCacheStore } from './response-cache-store.ts';

/** Apollo Server over the federated gateway, with the operation checks, metrics and error masking. */
export async function startApollo(
  env: GatewayEnv,
  supergraphSdl: string,
  metrics: Metrics,
  logger: Logger,
  responseCache?: ResponseCacheStore,
): Promise<ApolloServer<GatewayContext>> {
  const gateway = createGateway({
    supergraphSdl,
    subgraphUrls: env.subgraphUrls,
    secret: env.gatewaySecret,
    timeoutMs: env.subgraphTimeoutMs,
    maxEntityRepresentations: env.limits.maxEntityRepresentations,
    logger,
    metrics,
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    // Shutdown drains in-flight requests before stopping Apollo (server-kit http close).
    stopOnTerminationSignals: false,
    // Introspection is decided per caller by introspectionCheck (STAFF/ADMIN always, others outside production).
    introspection: true,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: true,
    parseOptions: { maxTokens: env.limits.maxTokens },
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      operationChecksPlugin([
        introspectionCheck(env.introspection),
        nulCheck(),
        limitsCheck(env.limits, readDemandDirectives(supergraphSdl)),
      ]),
      operationMetricsPlugin(metrics),
      // Before in-flight sharing: a cached answer needs no execution to share.
      responseCachePlugin({
        store: responseCache,
        metrics,
        httpMaxAgeSeconds: env.responseCache.httpMaxAgeSeconds,
        logger,
      }),
      inflightOperationsPlugin(),
    ],
    formatError: maskErrors((formatted, error) => logger.error('masked error', { formatted, error })),
  });
  await apollo.start();
  return apollo;
}
