import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { ApiKeyStore } from '@civic/auth/api-keys';
import { resolveDatabaseTarget } from '@civic/db/config';
import { openDatabase } from '@civic/db/connect';
import { HttpError, type HttpService, type IncomingRequest, startHttpService } from '@civic/server-kit/http';
import { createLogger, type Logger } from '@civic/server-kit/logger';
import { clientAddressOf, createAdmission } from './admission.ts';
import { startApollo } from './apollo.ts';
import { type Authenticated, createAuthenticator } from './auth.ts';
import { corsPolicy } from './cors.ts';
import type { GatewayEnv } from './env.ts';
import { feedRoutes, withFeeds } from './feeds.ts';
import type { GatewayContext } from './gateway.ts';
import { gatewayHealth, registerSubgraphGauge, subgraphHealth } from './health.ts';
import { serveIde } from './ide.ts';
import { createMetrics } from './metrics.ts';
import { publicDataRoutes } from './open-data-routes.ts';
import { memoryRateLimiter, type RateLimiter, redisRateLimiter } from './rate-limit.ts';
import { tagRequest } from './request-id.ts';
import { openResponseCache } from './response-cache.ts';
import { followSubgraphInvalidations } from './response-cache-invalidations.ts';
import { gatewayRoutes, wantsIde } from './routes.ts';

export interface RunningGateway {
  http: HttpService;
  stop(): Promise<void>;
}

interface RequestState {
  requestId: string;
  auth?: Authenticated;
}

type BeforeGraphQL = (req: IncomingRequest, res: ServerResponse) => Promise<boolean>;

function openRateLimiter(settings: GatewayEnv['rateLimit']): RateLimiter {
  return settings.redisUrl
    ? redisRateLimiter(settings.redisUrl, settings.windowMs, settings.redisPrefix)
    : memoryRateLimiter(settings.windowMs);
}

/**
 * What runs before server-kit routes a request, in order: the request id, open data and Open311
 * (anonymous, their own CORS), CORS, the IDE for a browser opening /graphql, then admission.
 */
function requestPipeline(parts: {
  states: WeakMap<IncomingRequest, RequestState>;
  publicData: ReturnType<typeof publicDataRoutes>;
  cors: ReturnType<typeof corsPolicy>;
  admission: ReturnType<typeof createAdmission>;
}): BeforeGraphQL {
  return async (req, res) => {
    const state: RequestState = { requestId: tagRequest(req, res) };
    parts.states.set(req, state);
    if (parts.publicData.handles(req.path)) {
      await parts.publicData.serve(req, res);
      return true;
    }
    if (parts.cors(req, res)) return true;
    if (req.path !== '/graphql') return false;
    if (wantsIde(req)) {
      await serveIde(res);
      return true;
    }
    state.auth = await parts.admission.admit(req, res, state.requestId);
    return false;
  };
}

function contextOf(state: RequestState | undefined): GatewayContext {
  if (!state?.auth) throw new HttpError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  const { rateKey } = state.auth;
  return { identity: state.auth.identity, requestId: state.requestId, client: `${rateKey.kind}:${rateKey.id}` };
}

export async function startGateway(
  env: GatewayEnv,
  logger: Logger = createLogger('gateway', env.logLevel),
): Promise<RunningGateway> {
  const supergraphSdl = readFileSync(env.supergraphPath, 'utf8');
  const metrics = createMetrics();
  const db = await openDatabase(resolveDatabaseTarget({ name: 'gateway', ...env.database }), { max: 4 });
  const apiKeys = await ApiKeyStore.open(db.sql);
  const limiter = openRateLimiter(env.rateLimit);
  const clientAddress = clientAddressOf(env.rateLimit.trustProxy);
  const admission = createAdmission({
    authenticate: createAuthenticator({ jwt: env.jwt, apiKeys, clientAddress, logger }),
    limiter,
    clientAddress,
    rateLimit: env.rateLimit,
    bodyLimits: { anyone: env.limits.maxBodyBytes, staff: env.maxStaffBodyBytes },
    metrics,
    logger,
  });
  const responseCache = openResponseCache(env.responseCache, env.rateLimit.redisUrl, env.subgraphTimeoutMs);
  const invalidations = responseCache && followSubgraphInvalidations(env, responseCache, logger);
  const apollo = await startApollo(env, supergraphSdl, metrics, logger, responseCache);
  const states = new WeakMap<IncomingRequest, RequestState>();
  const subgraphs = subgraphHealth(env.subgraphUrls, env.subgraphTimeoutMs);
  registerSubgraphGauge(metrics.registry, subgraphs);
  const http = await startHttpService<GatewayContext>({
    name: 'gateway',
    apollo,
    host: env.host,
    port: env.port,
    logger,
    maxBodyBytes: admission.maxBodyBytes,
    drainGraceMs: env.shutdownGraceMs,
    compressAboveBytes: env.compressMinBytes,
    // Ready = can serve: not draining (the supergraph is composed before this starts); subgraphs and
    // Redis are reported by /health and /metrics instead (health.ts).
    health: gatewayHealth(subgraphs, limiter),
    routes: gatewayRoutes({ apollo, apiKeys, signIn: admission.signIn, metrics, metricsAccess: env.metrics, logger }),
    before: requestPipeline({
      states,
      publicData: withFeeds(
        publicDataRoutes({ apollo, env, logger, limiter, clientAddress }),
        feedRoutes({ apollo, logger, limiter, clientAddress, ...env.rateLimit }),
      ),
      cors: corsPolicy({ origins: env.corsOrigins, publicOrigins: env.corsPublicOrigins }),
      admission,
    }),
    context: async (req) => contextOf(states.get(req)),
    onGraphQLResponse: (req, status, ms) => {
      const state = states.get(req);
      logger.info('graphql request', {
        requestId: state?.requestId,
        role: state?.auth?.identity.role,
        status,
        ms: Math.round(ms),
      });
    },
  });
  logger.info('listening', {
    url: http.url,
    production: env.production,
    rateLimits: env.rateLimit.redisUrl ? 'redis' : 'memory',
    responseCache: responseCache ? (env.rateLimit.redisUrl ? 'redis' : 'memory') : 'off',
  });
  return {
    http,
    async stop() {
      await http.close();
      await limiter.close();
      await invalidations?.stop();
      await responseCache?.close();
      await db.close();
    },
  };
}
