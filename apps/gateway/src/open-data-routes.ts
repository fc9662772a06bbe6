import type { ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { IncomingRequest } from '@civic/server-kit/http';
import { sendJson } from '@civic/server-kit/http';
import type { Logger } from '@civic/server-kit/logger';
import type { GatewayEnv } from './env.ts';
import type { GatewayContext } from './gateway.ts';
import { openDataService, publicExecutor } from './open-data.ts';
import { open311Service } from './open311.ts';
import type { RateLimiter } from './rate-limit.ts';

/**
 * /open-data/ and /open311/v2/: anonymous, read-only, open to any origin, answered before the
 * GraphQL path's CORS and authentication (credentials are ignored here: everything is PUBLIC).
 * Each request counts against the caller's address like an anonymous GraphQL operation.
 */
export function publicDataRoutes(options: {
  apollo: ApolloServer<GatewayContext>;
  env: Pick<GatewayEnv, 'openData' | 'rateLimit'>;
  logger: Logger;
  limiter: RateLimiter;
  clientAddress: (req: IncomingRequest) => string;
}) {
  const { env, logger } = options;
  let sequence = 0;
  const execute = publicExecutor(options.apollo, () => `open-data-${Date.now()}-${++sequence}`);
  const openData = openDataService({ execute, settings: env.openData, logger, trustProxy: env.rateLimit.trustProxy });
  const open311 = open311Service({
    execute,
    snapshot: openData.snapshot,
    logger,
    contact: `${env.openData.catalog.contactName} <${env.openData.catalog.contactEmail}>`,
    publicUrl: env.openData.baseUrl ? new URL('/', env.openData.baseUrl).toString() : undefined,
    cacheSeconds: env.openData.cacheSeconds,
  });

  const allowed = async (req: IncomingRequest, res: ServerResponse): Promise<boolean> => {
    const decision = await options.limiter
      .hit(`address:${options.clientAddress(req)}`, env.rateLimit.perAddress)
      .catch((error: unknown) => {
        logger.warn('rate limiter unavailable; allowing request', { error });
        return null;
      });
    if (!decision || decision.allowed) return true;
    const message = 'Too many requests; try again later';
    const headers = { 'access-control-allow-origin': '*', 'retry-after': String(decision.retryAfterSeconds) };
    if (req.path.startsWith('/open311')) sendJson(res, 429, [{ code: 429, description: message }], headers);
    else sendJson(res, 429, { error: { code: 'RATE_LIMITED', message } }, headers);
    return false;
  };

  return {
    handles: (path: string) => openData.handles(path) || open311.handles(path),
    async serve(req: IncomingRequest, res: ServerResponse): Promise<void> {
      if (req.method !== 'OPTIONS' && !(await allowed(req, res))) return;
      if (openData.handles(req.path)) return openData.serve(req, res);
      return open311.serve(req, res);
    },
  };
}
