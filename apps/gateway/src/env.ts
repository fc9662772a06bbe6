import { join } from 'node:path';
import { booleanFromEnv, findWorkspaceRoot, parseEnv } from '@civic/server-kit/env';
import { PORTS } from '@civic/server-kit/ports';
import { z } from 'zod';

const positive = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

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
    // Origins whose pages may make anonymous calls (no API key or token headers); '*' for any.
    CORS_PUBLIC_ORIGINS: z.string().default(''),
    SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    INTROSPECTION: booleanFromEnv.optional(),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    // Staff sign-in: the city's OIDC provider in production, a local HS256 key in development.
    CIVIC_JWT_SECRET: z.string().min(32).optional(),
    JWT_JWKS_URL: z.string().url().optional(),
    JWT_ISSUER: z.string().default('civic-graph-dev'),
    JWT_AUDIENCE: z.string().default('civic-graph'),
    JWT_ALLOW_LOCAL_KEY: booleanFromEnv.optional(),
    // Every sign-in token must carry `exp`, and live at most this long.
    JWT_MAX_LIFETIME_SECONDS: positive(86_400),
    // The gateway's own database (API keys).
    DATABASE_URL: z.string().url().optional(),
    GATEWAY_DATABASE_URL: z.string().url().optional(),
    CIVIC_DATA_DIR: z.string().optional(),
    // Limits checked before execution.
    MAX_BODY_BYTES: positive(100_000),
    // Signed-in STAFF and ADMIN send imports (a Polis export, a CSV file); PUBLIC and PARTNER keep MAX_BODY_BYTES.
    MAX_STAFF_BODY_BYTES: positive(10_000_000),
    MAX_TOKENS: positive(2_000),
    MAX_DEPTH: positive(10),
    MAX_ALIASES: positive(30),
    MAX_ROOT_FIELDS: positive(10),
    MAX_DIRECTIVES: positive(20),
    MAX_COST: positive(5_000),
    DEFAULT_LIST_SIZE: positive(20),
    MAX_ENTITY_REPRESENTATIONS: positive(1_000),
    // Rate limits, in operations per window.
    RATE_LIMIT_WINDOW_MS: positive(60_000),
    RATE_LIMIT_PER_ADDRESS: positive(300),
    RATE_LIMIT_PER_KEY: positive(1_200),
    // Failed sign-ins (401) per client address and per API-key prefix, per window.
    RATE_LIMIT_AUTH_FAILURES: positive(30),
    REDIS_URL: z.string().url().optional(),
    RATE_LIMIT_REDIS_PREFIX: z.string().default('civic:rate:'),
    // The response cache of PUBLIC queries (in Redis when REDIS_URL is set, else in this process).
    RESPONSE_CACHE: z.enum(['on', 'off']).default('on'),
    // Writes invalidate what they change (mutations at once, background jobs through the subgraphs'
    // feeds within about a second), so the TTL only bounds how long a change may stay unseen while a
    // feed cannot be read. Short TTLs cost the tail: every expiry sends a popular answer's
    // recomputation to the subgraphs (at 5 s, the mixed concern page's p99 at c=10 was 78-100 ms
    // instead of 13 ms).
    RESPONSE_CACHE_TTL_SECONDS: positive(60),
    // How long past the TTL an answer is still served while one request recomputes it (0: never).
    RESPONSE_CACHE_STALE_SECONDS: z.coerce.number().int().min(0).default(10),
    // How often each subgraph's feed of invalidations (background writes) is read.
    RESPONSE_CACHE_INVALIDATION_POLL_MS: positive(500),
    RESPONSE_CACHE_MAX_BYTES: positive(32 * 1024 * 1024),
    RESPONSE_CACHE_REDIS_PREFIX: z.string().default('civic:cache:'),
    // Cache-Control max-age of PUBLIC GET queries.
    RESPONSE_CACHE_HTTP_MAX_AGE_SECONDS: z.coerce.number().int().min(0).default(5),
    // GraphQL answers of at least this many bytes go out br- or gzip-compressed when accepted (0: never).
    COMPRESS_MIN_BYTES: z.coerce.number().int().min(0).default(1024),
    TRUST_PROXY: booleanFromEnv.default(false),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(0),
    // Open data (/open-data/) and Open311 (/open311/v2/), built from the public API.
    OPEN_DATA_CACHE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
    OPEN_DATA_BASE_URL: z.string().url().optional(),
    OPEN_DATA_PUBLISHER: z.string().default('City of Durham'),
    OPEN_DATA_CONTACT_NAME: z.string().default('Civic Graph open data'),
    OPEN_DATA_CONTACT_EMAIL: z.string().email().default('opendata@civicgraph.invalid'),
    OPEN_DATA_LICENSE: z.string().url().default('https://creativecommons.org/licenses/by/4.0/'),
    // Production serves /metrics only to a scraper presenting this bearer token (off without it).
    METRICS_TOKEN: z.string().min(16).optional(),
  })
  .transform((env) => {
    const production = env.NODE_ENV === 'production';
    const dataRoot = env.CIVIC_DATA_DIR ?? join(findWorkspaceRoot(), '.data');
    return {
      production,
      port: env.GATEWAY_PORT,
      host: env.GATEWAY_HOST,
      subgraphUrls: { engagement: env.ENGAGEMENT_URL, initiatives: env.INITIATIVES_URL, resources: env.RESOURCES_URL },
      supergraphPath: env.SUPERGRAPH_PATH ?? join(findWorkspaceRoot(), 'apps', 'gateway', 'supergraph.graphql'),
      gatewaySecret: env.CIVIC_GATEWAY_SECRET,
      corsOrigins: env.CORS_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean),
      corsPublicOrigins: env.CORS_PUBLIC_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean),
      subgraphTimeoutMs: env.SUBGRAPH_TIMEOUT_MS,
      /** Introspection for everyone; in production STAFF and ADMIN may always introspect. */
      introspection: env.INTROSPECTION ?? !production,
      logLevel: env.LOG_LEVEL,
      jwt: {
        jwksUrl: env.JWT_JWKS_URL,
        issuer: env.JWT_ISSUER,
        audience: env.JWT_AUDIENCE,
        // In production a local key is used only when explicitly allowed (or no JWKS is configured).
        localSecret: !production || env.JWT_ALLOW_LOCAL_KEY || !env.JWT_JWKS_URL ? env.CIVIC_JWT_SECRET : undefined,
        maxLifetimeSeconds: env.JWT_MAX_LIFETIME_SECONDS,
      },
      database: { databaseUrl: env.DATABASE_URL, ownDatabaseUrl: env.GATEWAY_DATABASE_URL, dataRoot },
      limits: {
        maxBodyBytes: env.MAX_BODY_BYTES,
        maxTokens: env.MAX_TOKENS,
        maxDepth: env.MAX_DEPTH,
        maxAliases: env.MAX_ALIASES,
        maxRootFields: env.MAX_ROOT_FIELDS,
        maxDirectives: env.MAX_DIRECTIVES,
        maxCost: env.MAX_COST,
        defaultListSize: env.DEFAULT_LIST_SIZE,
        maxEntityRepresentations: env.MAX_ENTITY_REPRESENTATIONS,
      },
      rateLimit: {
        windowMs: env.RATE_LIMIT_WINDOW_MS,
        perAddress: env.RATE_LIMIT_PER_ADDRESS,
        perKey: env.RATE_LIMIT_PER_KEY,
        authFailures: env.RATE_LIMIT_AUTH_FAILURES,
        redisUrl: env.REDIS_URL,
        redisPrefix: env.RATE_LIMIT_REDIS_PREFIX,
        trustProxy: env.TRUST_PROXY,
      },
      responseCache: {
        enabled: env.RESPONSE_CACHE === 'on',
        ttlSeconds: env.RESPONSE_CACHE_TTL_SECONDS,
        staleSeconds: env.RESPONSE_CACHE_STALE_SECONDS,
        maxBytes: env.RESPONSE_CACHE_MAX_BYTES,
        redisPrefix: env.RESPONSE_CACHE_REDIS_PREFIX,
        httpMaxAgeSeconds: env.RESPONSE_CACHE_HTTP_MAX_AGE_SECONDS,
        invalidationPollMs: env.RESPONSE_CACHE_INVALIDATION_POLL_MS,
      },
      compressMinBytes: env.COMPRESS_MIN_BYTES === 0 ? undefined : env.COMPRESS_MIN_BYTES,
      shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
      /** The body limit of signed-in STAFF and ADMIN requests (never below MAX_BODY_BYTES). */
      maxStaffBodyBytes: Math.max(env.MAX_STAFF_BODY_BYTES, env.MAX_BODY_BYTES),
      openData: {
        cacheSeconds: env.OPEN_DATA_CACHE_SECONDS,
        baseUrl: env.OPEN_DATA_BASE_URL,
        catalog: {
          publisher: env.OPEN_DATA_PUBLISHER,
          contactName: env.OPEN_DATA_CONTACT_NAME,
          contactEmail: env.OPEN_DATA_CONTACT_EMAIL,
          license: env.OPEN_DATA_LICENSE,
          spatial: 'Durham, North Carolina',
        },
      },
      metrics: { token: env.METRICS_TOKEN, open: !production },
    };
  });

export type GatewayEnv = z.infer<typeof schema>;
export type Limits = GatewayEnv['limits'];

export function readGatewayEnv(env: NodeJS.ProcessEnv = process.env): GatewayEnv {
  return parseEnv('gateway', schema, env);
}
