import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { maskUnexpectedErrors } from '@civic/server-kit/errors';
import { type HttpService, startHttpService } from '@civic/server-kit/http';
import { INTERNAL_HEADERS, PUBLIC_IDENTITY, REQUEST_ID_HEADER } from '@civic/server-kit/identity';
import { createLogger, type Logger } from '@civic/server-kit/logger';
import type { GatewayEnv } from './env.ts';
import { createGateway, type GatewayContext } from './gateway.ts';

export interface RunningGateway {
  http: HttpService;
  stop(): Promise<void>;
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

export async function startGateway(
  env: GatewayEnv,
  logger: Logger = createLogger('gateway', env.logLevel),
): Promise<RunningGateway> {
  const supergraphSdl = readFileSync(env.supergraphPath, 'utf8');
  const gateway = createGateway({
    supergraphSdl,
    subgraphUrls: env.subgraphUrls,
    secret: env.gatewaySecret,
    timeoutMs: env.subgraphTimeoutMs,
  });
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: env.introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    formatError: maskUnexpectedErrors((error) => logger.error('unexpected error', { error })),
  });
  await apollo.start();

  const http = await startHttpService<GatewayContext>({
    name: 'gateway',
    apollo,
    host: env.host,
    port: env.port,
    logger,
    maxBodyBytes: 1_000_000,
    before: (req, res) => {
      // Internal headers are set only by the gateway itself.
      for (const name of Object.values(INTERNAL_HEADERS)) delete req.headers[name];
      const origin = req.header('origin');
      if (origin && env.corsOrigins.includes(origin)) {
        res.setHeader('access-control-allow-origin', origin);
        res.setHeader('vary', 'origin');
        res.setHeader('access-control-allow-credentials', 'true');
      }
      if (req.method === 'OPTIONS') {
        if (origin && env.corsOrigins.includes(origin)) {
          res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
          res.setHeader(
            'access-control-allow-headers',
            'content-type, authorization, x-api-key, apollo-require-preflight, x-request-id',
          );
          res.setHeader('access-control-max-age', '600');
          res.writeHead(204).end();
        } else {
          res.writeHead(403).end();
        }
        return true;
      }
      return false;
    },
    context: async (req) => {
      const given = req.header(REQUEST_ID_HEADER);
      const requestId = given && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
      return { identity: PUBLIC_IDENTITY, requestId };
    },
  });
  logger.info('listening', { url: http.url });
  return {
    http,
    async stop() {
      await http.close();
    },
  };
}
