import { randomUUID, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApiKeyStore } from '@civic/auth/api-keys';
import { resolveDatabaseTarget } from '@civic/db/config';
import { type Database, openDatabase } from '@civic/db/connect';
import { HttpError, type HttpService, type IncomingRequest, sendJson, startHttpService } from '@civic/server-kit/http';
import { INTERNAL_HEADERS, REQUEST_ID_HEADER } from '@civic/server-kit/identity';
import { createLogger, type Logger } from '@civic/server-kit/logger';
import { adminRoutes } from './admin.ts';
import { type Authenticated, createAuthenticator } from './auth.ts';
import { authFailureGuard } from './auth-failures.ts';
import { docsRoutes } from './docs.ts';
import type { GatewayEnv } from './env.ts';
import { followRoutes } from './follow-routes.ts';
import { createGateway, type GatewayContext } from './gateway.ts';
import { serveIde } from './ide.ts';
import { inflightOperationsPlugin } from './inflight.ts';
import { introspectionCheck } from './introspection-check.ts';
import { limitsCheck } from './limits-check.ts';
import { maskErrors } from './masking.ts';
import { createMetrics } from './metrics.ts';
import { nulCheck } from './nul-check.ts';
import { publicDataRoutes } from './open-data-routes.ts';
import { operationChecksPlugin } from './operation-checks.ts';
import { operationMetricsPlugin } from './operation-metrics.ts';
import { memoryRateLimiter, type RateLimiter, redisRateLimiter } from './rate-limit.ts';

export interface RunningGateway {
  http: HttpService;
  stop(): Promise<void>;
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

interface RequestState {
  requestId: string;
  auth?: Authenticated;
}

export async function startGateway(
  env: GatewayEnv,
  logger: Logger = createLogger('gateway', env.logLevel),
): Promise<RunningGateway> {
  const supergraphSdl = readFileSync(env.supergraphPath, 'utf8');
  const metrics = createMetrics();
  const db: Database = await openDatabase(resolveDatabaseTarget({ name: 'gateway', ...env.database }), { max: 4 });
  const apiKeys = await ApiKeyStore.open(db.sql);
  const limiter: RateLimiter = env.rateLimit.redisUrl
    ? redisRateLimiter(env.rateLimit.redisUrl, env.rateLimit.windowMs, env.rateLimit.redisPrefix)
    : memoryRateLimiter(env.rateLimit.windowMs);

  const clientAddress = (req: IncomingRequest): string => {
    if (env.rateLimit.trustProxy) {
      const forwarded = req.header('x-forwarded-for')?.split(',')[0]?.trim();
      if (forwarded) return forwarded;
    }
    return req.remoteAddress;
  };
  const authenticate = createAuthenticator({ jwt: env.jwt, apiKeys, clientAddress, logger });
  // Sign-ins for /graphql and /admin: refused for a while after too many failures (429).
  const signIn = authFailureGuard({
    limiter,
    limit: env.rateLimit.authFailures,
    clientAddress,
    authenticate,
    logger,
  });

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
      operationChecksPlugin([introspectionCheck(env.introspection), nulCheck, limitsCheck(env.limits)]),
      operationMetricsPlugin(metrics),
      inflightOperationsPlugin(),
    ],
    formatError: maskErrors((formatted, error) => logger.error('masked error', { formatted, error })),
  });
  await apollo.start();
  const publicData = publicDataRoutes({ apollo, env, logger, limiter, clientAddress });

  const states = new WeakMap<IncomingRequest, RequestState>();
  // A sign-in verified to choose the body limit is not verified again for the same request.
  const authenticatedHeaders = new WeakMap<IncomingRequest['headers'], Authenticated>();
  // The gateway's port is public: in production /metrics answers only its scraper's token.
  const metricsToken = env.metrics.token ? Buffer.from(`Bearer ${env.metrics.token}`) : undefined;
  const metricsAllowed = (req: IncomingRequest): boolean => {
    if (metricsToken) {
      const given = Buffer.from(req.header('authorization')?.trim() ?? '');
      return given.length === metricsToken.length && timingSafeEqual(given, metricsToken);
    }
    return env.metrics.open;
  };
  const subgraphReadyUrls = Object.values(env.subgraphUrls).map((url) => new URL('/ready', url).toString());
  const corsAllowed = (origin: string | undefined) => Boolean(origin && env.corsOrigins.includes(origin));
  // Public origins get anonymous access only: no credentials, and no API key or token headers.
  const anyPublicOrigin = env.corsPublicOrigins.includes('*');
  const corsPublic = (origin: string | undefined) =>
    Boolean(origin && (anyPublicOrigin || env.corsPublicOrigins.includes(origin)));

  const http = await startHttpService<GatewayContext>({
    name: 'gateway',
    apollo,
    host: env.host,
    port: env.port,
    logger,
    // Only a valid STAFF/ADMIN sign-in token lifts the limit; it is checked before the body is read.
    maxBodyBytes: async (req) => {
      const authorization = req.header('authorization')?.trim() ?? '';
      if (!/^Bearer\s+(?!cg_)\S+$/i.test(authorization)) return env.limits.maxBodyBytes;
      const auth = await authenticate(req).catch(() => undefined);
      if (!auth) return env.limits.maxBodyBytes;
      authenticatedHeaders.set(req.headers, auth);
      const staff = auth.identity.role === 'STAFF' || auth.identity.role === 'ADMIN';
      return staff ? env.maxStaffBodyBytes : env.limits.maxBodyBytes;
    },
    drainGraceMs: env.shutdownGraceMs,
    ready: async () => {
      const results = await Promise.all(
        subgraphReadyUrls.map((url) =>
          fetch(url, { signal: AbortSignal.timeout(Math.min(2_000, env.subgraphTimeoutMs)) }).then(
            (r) => r.ok,
            () => false,
          ),
        ),
      );
      return results.every(Boolean);
    },
    routes: {
      '/metrics': async (req, res) => {
        if (!metricsAllowed(req)) return sendJson(res, 404, { error: 'not found' });
        const text = await metrics.registry.metrics();
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(text);
      },
      '/graphiql': (_req, res) => serveIde(res),
      ...docsRoutes(),
      ...adminRoutes({ apiKeys, authenticate: signIn.authenticate, apollo, logger }),
      ...followRoutes({ apollo, logger }),
    },
    before: async (req, res) => {
      // Internal headers are set only by the gateway itself.
      for (const name of Object.values(INTERNAL_HEADERS)) delete req.headers[name];
      const given = req.header(REQUEST_ID_HEADER);
      const requestId = given && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
      req.headers[REQUEST_ID_HEADER] = requestId;
      res.setHeader(REQUEST_ID_HEADER, requestId);
      const state: RequestState = { requestId };
      states.set(req, state);
      if (publicData.handles(req.path)) {
        await publicData.serve(req, res);
        return true;
      }

      const origin = req.header('origin');
      if (corsAllowed(origin)) {
        res.setHeader('access-control-allow-origin', origin as string);
        res.setHeader('vary', 'origin');
        res.setHeader('access-control-allow-credentials', 'true');
        res.setHeader(
          'access-control-expose-headers',
          'retry-after, x-request-id, ratelimit-limit, ratelimit-remaining',
        );
      } else if (corsPublic(origin)) {
        res.setHeader('access-control-allow-origin', anyPublicOrigin ? '*' : (origin as string));
        res.setHeader('vary', 'origin');
        res.setHeader(
          'access-control-expose-headers',
          'retry-after, x-request-id, ratelimit-limit, ratelimit-remaining',
        );
      }
      if (req.method === 'OPTIONS') {
        if (corsAllowed(origin)) {
          res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
          res.setHeader(
            'access-control-allow-headers',
            'content-type, authorization, x-api-key, apollo-require-preflight, x-request-id',
          );
          res.setHeader('access-control-max-age', '600');
          res.writeHead(204).end();
        } else if (corsPublic(origin)) {
          res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
          res.setHeader('access-control-allow-headers', 'content-type, apollo-require-preflight, x-request-id');
          res.setHeader('access-control-max-age', '600');
          res.writeHead(204).end();
        } else {
          res.writeHead(403).end();
        }
        return true;
      }
      if (req.path !== '/graphql') return false;
      if (req.method === 'GET' && !req.search && (req.header('accept') ?? '').includes('text/html')) {
        await serveIde(res);
        return true;
      }
      try {
        const verified = authenticatedHeaders.get(req.headers);
        if (verified) await signIn.check(req);
        state.auth = verified ?? (await signIn.authenticate(req));
        const { rateKey } = state.auth;
        const limit = rateKey.kind === 'key' ? env.rateLimit.perKey : env.rateLimit.perAddress;
        const decision = await limiter.hit(`${rateKey.kind}:${rateKey.id}`, limit).catch((error: unknown) => {
          // A rate-limit store outage must not take the API down: allow, and say so in the log.
          logger.warn('rate limiter unavailable; allowing request', { error, requestId });
          return null;
        });
        if (decision) {
          res.setHeader('ratelimit-limit', String(decision.limit));
          res.setHeader('ratelimit-remaining', String(decision.remaining));
          if (!decision.allowed) {
            throw new HttpError(429, 'RATE_LIMITED', 'Too many requests; try again later', {
              'retry-after': String(decision.retryAfterSeconds),
            });
          }
        }
      } catch (error) {
        if (error instanceof HttpError) {
          metrics.observeRejection(error.code);
          logger.info('request refused', { requestId, status: error.status, code: error.code });
        }
        throw error;
      }
      return false;
    },
    context: async (req) => {
      const state = states.get(req);
      if (!state?.auth) throw new HttpError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
      const { rateKey } = state.auth;
      return { identity: state.auth.identity, requestId: state.requestId, client: `${rateKey.kind}:${rateKey.id}` };
    },
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
  });
  return {
    http,
    async stop() {
      await http.close();
      await limiter.close();
      await db.close();
    },
  };
}
