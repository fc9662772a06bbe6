import { join } from 'node:path';
import { booleanFromEnv, findWorkspaceRoot, parseEnv } from '@civic/server-kit/env';
import { PORTS } from '@civic/server-kit/ports';
import { z } from 'zod';

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    GATEWAY_PORT: z.coerce.number().int().min(0).max(65535).default(PORTS.gateway),
    GATEWAY_HOST: z.string().default('0.0.0.0'),
    ENGAGEMENT_URL: z.string().url().default(`http://127.0.0.1:${PORTS.engagement}/graphql`),
    INITIATIVES_URL: z.string().url().default(`http://127.0.0.1:${PORTS.initiatives}/graphql`),
    RESOURCES_URL: z.string().url().default(`http://127.0.0.1:${PORTS.resources}/graphql`),
    SUPERGRAPH_PATH: z.string().optional(),
    CIVIC_GATEWAY_SECRET: z.string().min(32).optional(),
    CORS_ORIGINS: z.string().default(`http://localhost:${PORTS.web},http://127.0.0.1:${PORTS.web}`),
    SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    INTROSPECTION: booleanFromEnv.optional(),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  })
  .transform((env) => ({
    production: env.NODE_ENV === 'production',
    port: env.GATEWAY_PORT,
    host: env.GATEWAY_HOST,
    subgraphUrls: { engagement: env.ENGAGEMENT_URL, initiatives: env.INITIATIVES_URL, resources: env.RESOURCES_URL },
    supergraphPath: env.SUPERGRAPH_PATH ?? join(findWorkspaceRoot(), 'apps', 'gateway', 'supergraph.graphql'),
    gatewaySecret: env.CIVIC_GATEWAY_SECRET,
    corsOrigins: env.CORS_ORIGINS.split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    subgraphTimeoutMs: env.SUBGRAPH_TIMEOUT_MS,
    introspection: env.INTROSPECTION ?? env.NODE_ENV !== 'production',
    logLevel: env.LOG_LEVEL,
  }));

export type GatewayEnv = z.infer<typeof schema>;

export function readGatewayEnv(env: NodeJS.ProcessEnv = process.env): GatewayEnv {
  return parseEnv('gateway', schema, env);
}
