import type { ApolloServer } from '@apollo/server';
import type { ApiKeyStore } from '@civic/auth/api-keys';
import type { IncomingRequest, RouteHandler } from '@civic/server-kit/http';
import type { Logger } from '@civic/server-kit/logger';
import { adminRoutes } from './admin.ts';
import type { Authenticated } from './auth.ts';
import { docsRoutes } from './docs.ts';
import { followRoutes } from './follow-routes.ts';
import type { GatewayContext } from './gateway.ts';
import { serveIde } from './ide.ts';
import type { Metrics } from './metrics.ts';
import { metricsRoute } from './metrics-route.ts';

/**
 * Everything the gateway serves by path besides /graphql, /health and /ready (server-kit's) and
 * open data and Open311 (answered before CORS, see open-data-routes.ts).
 */
export function gatewayRoutes(options: {
  apollo: ApolloServer<GatewayContext>;
  apiKeys: ApiKeyStore;
  /** Sign-in for /admin, with failed attempts counted as for /graphql. */
  signIn: (req: IncomingRequest) => Promise<Authenticated>;
  metrics: Metrics;
  metricsAccess: { token: string | undefined; open: boolean };
  logger: Logger;
}): Record<string, RouteHandler> {
  const { apollo, logger } = options;
  return {
    '/metrics': metricsRoute(options.metrics, options.metricsAccess),
    '/graphiql': (_req, res) => serveIde(res),
    ...docsRoutes(),
    ...adminRoutes({ apiKeys: options.apiKeys, authenticate: options.signIn, apollo, logger }),
    ...followRoutes({ apollo, logger }),
  };
}

/** A browser opening /graphql itself (GET, no query, accepts HTML) gets the IDE. */
export function wantsIde(req: IncomingRequest): boolean {
  return req.method === 'GET' && !req.search && (req.header('accept') ?? '').includes('text/html');
}
