import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { type DatabaseTarget, resolveDatabaseTarget } from '@civic/db/config';
import { type Database, openDatabase, type SqlClient } from '@civic/db/connect';
import { applyMigrations } from '@civic/db/migrate';
import { recordingAdapter } from '@civic/db/recording';
import type { GraphQLSchema } from 'graphql';
import { z } from 'zod';
import { entityGuardPlugin, SUBGRAPH_MAX_TOKENS } from './entities.ts';
import { booleanFromEnv, findWorkspaceRoot, parseEnv } from './env.ts';
import { maskUnexpectedErrors } from './errors.ts';
import { HttpError, type HttpService, StartupError, startHttpService } from './http.ts';
import { type Identity, INTERNAL_HEADERS, PUBLIC_IDENTITY, REQUEST_ID_HEADER, verifyIdentity } from './identity.ts';
import { INVALIDATIONS_PATH, invalidationFeedRoute } from './invalidations.ts';
import { createLogger, type Logger } from './logger.ts';
import { DEFAULT_SUBGRAPH_LIMITS, operationLimitsPlugin } from './operation-limits.ts';
import { PORTS, type SubgraphName } from './ports.ts';
import { exitWithSetupError } from './startup.ts';

const subgraphEnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535),
    HOST: z.string().default('127.0.0.1'),
    DATABASE_URL: z.string().url().optional(),
    OWN_DATABASE_URL: z.string().url().optional(),
    CIVIC_DATA_DIR: z.string().optional(),
    CIVIC_GATEWAY_SECRET: z.string().min(32).optional(),
    CIVIC_SEED: z.enum(['demo', 'reference', 'none']).default('demo'),
    CIVIC_REQUIRE_SIGNATURE: booleanFromEnv.optional(),
    DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    // The same variable caps the gateway's fetches; a subgraph enforces it itself as well.
    MAX_ENTITY_REPRESENTATIONS: z.coerce.number().int().min(1).default(1_000),
    // The subgraph's own operation limits (the gateway's are tighter; these stop direct requests).
    SUBGRAPH_MAX_DEPTH: z.coerce.number().int().min(1).default(DEFAULT_SUBGRAPH_LIMITS.maxDepth),
    SUBGRAPH_MAX_ALIASES: z.coerce.number().int().min(1).default(DEFAULT_SUBGRAPH_LIMITS.maxAliases),
    SUBGRAPH_MAX_ROOT_FIELDS: z.coerce.number().int().min(1).default(DEFAULT_SUBGRAPH_LIMITS.maxRootFields),
    SUBGRAPH_MAX_DIRECTIVES: z.coerce.number().int().min(1).default(DEFAULT_SUBGRAPH_LIMITS.maxDirectives),
    // Bodies without the gateway's signature headers (the gateway forwards staff imports up to 10 MB).
    SUBGRAPH_MAX_UNSIGNED_BODY_BYTES: z.coerce.number().int().min(1).default(100_000),
    DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
    DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  })
  .transform((env) => ({
    production: env.NODE_ENV === 'production',
    port: env.PORT,
    host: env.HOST,
    databaseUrl: env.DATABASE_URL,
    ownDatabaseUrl: env.OWN_DATABASE_URL,
    dataRoot: env.CIVIC_DATA_DIR ?? join(findWorkspaceRoot(), '.data'),
    gatewaySecret: env.CIVIC_GATEWAY_SECRET,
    requireSignature: env.CIVIC_REQUIRE_SIGNATURE ?? env.NODE_ENV === 'production',
    seed: env.CIVIC_SEED,
    pool: {
      max: env.DB_POOL_MAX,
      connectionTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
    },
    logLevel: env.LOG_LEVEL,
    maxEntityRepresentations: env.MAX_ENTITY_REPRESENTATIONS,
    limits: {
      maxDepth: env.SUBGRAPH_MAX_DEPTH,
      maxAliases: env.SUBGRAPH_MAX_ALIASES,
      maxRootFields: env.SUBGRAPH_MAX_ROOT_FIELDS,
      maxDirectives: env.SUBGRAPH_MAX_DIRECTIVES,
    },
    maxUnsignedBodyBytes: env.SUBGRAPH_MAX_UNSIGNED_BODY_BYTES,
  }));

/**
 * A subgraph's environment. Its own variables carry its name (ENGAGEMENT_PORT, ENGAGEMENT_HOST,
 * ENGAGEMENT_DATABASE_URL); the rest are shared by all subgraphs.
 */
export function readSubgraphEnv(name: SubgraphName, env: NodeJS.ProcessEnv = process.env): SubgraphEnv {
  const upper = name.toUpperCase();
  return parseEnv(
    name,
    subgraphEnvSchema,
    {
      ...env,
      PORT: env[`${upper}_PORT`] ?? String(PORTS[name]),
      HOST: env[`${upper}_HOST`],
      OWN_DATABASE_URL: env[`${upper}_DATABASE_URL`],
    },
    { PORT: `${upper}_PORT`, HOST: `${upper}_HOST`, OWN_DATABASE_URL: `${upper}_DATABASE_URL` },
  );
}

export type SubgraphEnv = z.infer<typeof subgraphEnvSchema>;

/** What every subgraph's resolvers receive. */
export interface SubgraphContextBase {
  identity: Identity;
  requestId: string;
  logger: Logger;
}

export interface PrismaLike {
  $disconnect(): Promise<void>;
}

export interface SubgraphDefinition<Prisma extends PrismaLike, Ctx extends SubgraphContextBase> {
  name: SubgraphName;
  schema: GraphQLSchema;
  migrationsDir: string;
  createPrisma(db: Database): Prisma;
  createContext(base: SubgraphContextBase, prisma: Prisma): Ctx;
  /**
   * Loads data into an empty database: `demo`, the demo city; `reference`, only the city's
   * published reference data (what a new city starts from). Runs once per database.
   */
  seed?(prisma: Prisma, sql: SqlClient, logger: Logger, mode: SeedMode): Promise<void>;
  /**
   * Brings published reference data up to date on every start unless CIVIC_SEED=none (it must be
   * idempotent and cheap when nothing changed); runs before `seed`.
   */
  refreshReference?(prisma: Prisma, sql: SqlClient, logger: Logger): Promise<void>;
  /** Background work that runs with the service (a job-queue worker); stopped before the database closes. */
  startBackground?(prisma: Prisma, db: Database, logger: Logger): Promise<{ stop(): Promise<void> }>;
}

/** What CIVIC_SEED loads into an empty database (`none` loads nothing). */
export type SeedMode = 'demo' | 'reference';

export interface RunningSubgraph<Prisma> {
  http: HttpService;
  db: Database;
  prisma: Prisma;
  stop(): Promise<void>;
}

export interface StartSubgraphOptions {
  env: SubgraphEnv;
  target?: DatabaseTarget;
  logger?: Logger;
  /** Aborted when the process is asked to stop while it starts: background start-up stops retrying. */
  signal?: AbortSignal;
}

/** Waits between attempts to start background work: 1 s, doubling, at most 30 s. */
const BACKGROUND_RETRY_MS = { first: 1_000, max: 30_000 };

/**
 * Starts background work, retrying while the database is unreachable: a database outage while a
 * process starts must not end a process that already serves requests. Each worker stops what it
 * had started before its start-up fails, so an attempt leaves nothing running behind it.
 */
async function startBackgroundWithRetry<T>(
  start: () => Promise<T>,
  logger: Logger,
  signal: AbortSignal | undefined,
): Promise<T | undefined> {
  let waitMs = BACKGROUND_RETRY_MS.first;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) return undefined;
    try {
      return await start();
    } catch (error) {
      if (signal?.aborted) return undefined;
      logger.warn('background work failed to start; retrying', { attempt, retryInMs: waitMs, error });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        signal?.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      });
      waitMs = Math.min(waitMs * 2, BACKGROUND_RETRY_MS.max);
    }
  }
}

/** Opens the database, applies pending migrations, seeds an empty one, and serves the schema. */
export async function startSubgraph<Prisma extends PrismaLike, Ctx extends SubgraphContextBase>(
  def: SubgraphDefinition<Prisma, Ctx>,
  options: StartSubgraphOptions,
): Promise<RunningSubgraph<Prisma>> {
  const { env } = options;
  const logger = options.logger ?? createLogger(def.name, env.logLevel);
  if (env.requireSignature && !env.gatewaySecret) {
    throw new StartupError(
      `${def.name}: CIVIC_GATEWAY_SECRET must be set when gateway signatures are required (production)`,
    );
  }
  const target =
    options.target ??
    resolveDatabaseTarget({
      name: def.name,
      databaseUrl: env.databaseUrl,
      ownDatabaseUrl: env.ownDatabaseUrl,
      dataRoot: env.dataRoot,
    });
  const db = await openDatabase(target, env.pool);
  let prisma: Prisma | undefined;
  let background: { stop(): Promise<void> } | undefined;
  try {
    const report = await applyMigrations(db.sql, def.migrationsDir, (line) => logger.info(line));
    logger.info('database ready', { database: db.description, applied: report.applied.length });
    const stats = { sqlStatements: 0, graphqlRequests: 0 };
    prisma = def.createPrisma({
      ...db,
      adapter: recordingAdapter(db.adapter, () => {
        stats.sqlStatements++;
      }),
    });
    if (env.seed !== 'none') {
      await def.refreshReference?.(prisma, db.sql, logger);
      if (def.seed) await seedOnce(def, prisma, db.sql, logger, env.seed);
    }

    const apollo = new ApolloServer<Ctx>({
      schema: def.schema,
      csrfPrevention: true,
      // Shutdown is ours (drain in-flight requests, then stop Apollo); Apollo's own signal handler
      // would stop it at once and fail the requests still in flight.
      stopOnTerminationSignals: false,
      includeStacktraceInErrorResponses: false,
      // No "Did you mean …" field suggestions, in any mode: they map the schema for a caller.
      hideSchemaDetailsFromClientErrors: true,
      // Federated tracing would reveal resolver timings to any caller that asks for it.
      plugins: [
        ApolloServerPluginInlineTraceDisabled(),
        // No @cacheControl hints are used (the gateway caches whole answers); Apollo's default cache
        // control plugin would still wrap every field's resolver to compute them (willResolveField).
        ApolloServerPluginCacheControlDisabled(),
        operationLimitsPlugin(env.limits),
        entityGuardPlugin(def.schema, env.maxEntityRepresentations),
      ],
      parseOptions: { maxTokens: SUBGRAPH_MAX_TOKENS },
      formatError: maskUnexpectedErrors((error) => logger.error('unexpected error', { error })),
    });
    await apollo.start();
    const client = prisma;
    const http = await startHttpService<Ctx>({
      name: def.name,
      apollo,
      host: env.host,
      port: env.port,
      logger,
      // Only what carries the gateway's signature may be large; its validity is checked afterwards.
      maxBodyBytes: (req) => (req.header(INTERNAL_HEADERS.signature) ? 10_000_000 : env.maxUnsignedBodyBytes),
      routes: {
        // Loopback-only operational counters (subgraphs are not public), in Prometheus text format.
        '/metrics': (_req, res) => {
          const body = [
            '# TYPE civic_sql_statements_total counter',
            `civic_sql_statements_total{subgraph="${def.name}"} ${stats.sqlStatements}`,
            '# TYPE civic_graphql_requests_total counter',
            `civic_graphql_requests_total{subgraph="${def.name}"} ${stats.graphqlRequests}`,
            '',
          ].join('\n');
          res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body);
        },
        // The gateways' response caches follow what background writes changed: with a secret, only
        // requests the gateway signed are answered (entity ids of unpublished records are in it).
        [INVALIDATIONS_PATH]: invalidationFeedRoute(db.sql, (req) => {
          if (!env.gatewaySecret) return;
          const result = verifyIdentity(env.gatewaySecret, req.header.bind(req), req.body);
          if (result.status !== 'valid') {
            throw new HttpError(401, 'UNAUTHENTICATED', `The ${def.name} subgraph only answers the gateway`);
          }
        }),
      },
      batches: true,
      onGraphQLResponse: () => {
        stats.graphqlRequests++;
      },
      ready: async () => {
        await db.sql.query('select 1');
        return true;
      },
      context: async (req) => {
        const identity = authenticate(req.header.bind(req), req.body, env, def.name);
        const requestId = req.header(REQUEST_ID_HEADER) ?? randomUUID();
        return def.createContext({ identity, requestId, logger: logger.child({ requestId }) }, client);
      },
    });
    logger.info('listening', { url: http.url });
    // After listening, so readiness does not wait for the job queue's setup.
    if (def.startBackground) {
      const startBackground = def.startBackground.bind(def);
      background = await startBackgroundWithRetry(() => startBackground(client, db, logger), logger, options.signal);
    }
    return {
      http,
      db,
      prisma: client,
      async stop() {
        await http.close();
        await background?.stop().catch((error) => logger.error('background work did not stop cleanly', { error }));
        await client.$disconnect();
        await db.close();
      },
    };
  } catch (error) {
    await background?.stop().catch(() => {});
    await prisma?.$disconnect().catch(() => {});
    await db.close().catch(() => {});
    throw error;
  }
}

function authenticate(
  header: (name: string) => string | undefined,
  body: Buffer,
  env: SubgraphEnv,
  name: string,
): Identity {
  if (!env.gatewaySecret) return PUBLIC_IDENTITY;
  const result = verifyIdentity(env.gatewaySecret, header, body);
  if (result.status === 'valid') return result.identity;
  if (result.status === 'unsigned' && !env.requireSignature) return PUBLIC_IDENTITY;
  const reason = result.status === 'unsigned' ? 'missing gateway signature' : result.reason;
  throw new HttpError(401, 'UNAUTHENTICATED', `The ${name} subgraph only answers the gateway (${reason})`);
}

async function seedOnce<Prisma extends PrismaLike, Ctx extends SubgraphContextBase>(
  def: SubgraphDefinition<Prisma, Ctx>,
  prisma: Prisma,
  sql: SqlClient,
  logger: Logger,
  mode: SeedMode,
): Promise<void> {
  await sql.exec('CREATE TABLE IF NOT EXISTS "_civic_meta" ("key" TEXT PRIMARY KEY, "value" TEXT NOT NULL)');
  // One seed per database, whichever mode came first (the key predates the reference mode).
  const seeded = await sql.query('select 1 from "_civic_meta" where key = $1', ['demo_seeded_at']);
  if (seeded.length > 0) return;
  const started = Date.now();
  await def.seed?.(prisma, sql, logger, mode);
  await sql.query('insert into "_civic_meta" (key, value) values ($1, $2) on conflict (key) do nothing', [
    'demo_seeded_at',
    new Date().toISOString(),
  ]);
  logger.info(`${mode} data seeded`, { ms: Date.now() - started });
}

/** Entry point for a subgraph process: start, print one clear line on a setup problem, stop on signals. */
export interface SubgraphProcessHooks<Prisma> {
  /** Background work a subgraph owns (timers, feeds); the returned function stops it on shutdown. */
  onStarted?(running: RunningSubgraph<Prisma>, logger: Logger): (() => void) | undefined;
}

/**
 * Entry point for a subgraph process: start, print one clear line on a setup problem, stop on
 * signals. `define` may read its own environment; its errors are reported the same way.
 */
export async function runSubgraphProcess<Prisma extends PrismaLike, Ctx extends SubgraphContextBase>(
  define: SubgraphDefinition<Prisma, Ctx> | (() => SubgraphDefinition<Prisma, Ctx>),
  hooks: SubgraphProcessHooks<Prisma> = {},
): Promise<void> {
  let running: RunningSubgraph<Prisma> | undefined;
  let stopBackground: (() => void) | undefined;
  let name = typeof define === 'function' ? 'subgraph' : define.name;
  // Handled from the first moment: a stop asked for while the process starts (its job queue still
  // setting up) waits for the start to settle, then stops cleanly instead of dying mid-write.
  const starting = new AbortController();
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    starting.abort();
    if (!running) return;
    stopBackground?.();
    await running.stop().catch(() => {});
    process.exit(signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : 1);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  try {
    const def = typeof define === 'function' ? define() : define;
    name = def.name;
    const env = readSubgraphEnv(def.name);
    const logger = createLogger(def.name, env.logLevel);
    running = await startSubgraph(def, { env, logger, signal: starting.signal });
    if (!stopping) stopBackground = hooks.onStarted?.(running, logger);
  } catch (error) {
    if (stopping) process.exit(0);
    exitWithSetupError(name, error);
  }
  if (stopping) {
    await running.stop().catch(() => {});
    process.exit(0);
  }
}
