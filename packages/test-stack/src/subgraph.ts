import { ApolloServer } from '@apollo/server';
import { applyMigrations } from '@civic/db/migrate';
import { createSqlRecorder, recordingAdapter, type SqlRecorder } from '@civic/db/recording';
import { createTestDatabase, type TestDatabase } from '@civic/db/testing';
import { maskUnexpectedErrors } from '@civic/server-kit/errors';
import { type Identity, PUBLIC_IDENTITY } from '@civic/server-kit/identity';
import { createLogger } from '@civic/server-kit/logger';
import type { PrismaLike, SeedMode, SubgraphContextBase, SubgraphDefinition } from '@civic/server-kit/subgraph';

export interface ExecutionResult<T> {
  data?: T | null;
  errors?: { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface TestSubgraph<Prisma extends PrismaLike> {
  prisma: Prisma;
  db: TestDatabase;
  /** SQL statements Prisma sent since the last `sql.reset()`. */
  sql: SqlRecorder;
  execute<T = Record<string, unknown>>(
    query: string,
    variables?: Record<string, unknown>,
    identity?: Identity,
  ): Promise<ExecutionResult<T>>;
  stop(): Promise<void>;
}

export const identities = {
  public: PUBLIC_IDENTITY,
  admin: (subject = 'admin-1'): Identity => ({ role: 'ADMIN', subject, department: null, organization: null }),
  staff: (department: string, subject = 'staff-1'): Identity => ({
    role: 'STAFF',
    subject,
    department,
    organization: null,
  }),
  partner: (organization: string, subject = 'key-1'): Identity => ({
    role: 'PARTNER',
    subject,
    department: null,
    organization,
  }),
};

/**
 * A subgraph's real schema and resolvers over a new database of the kind under test, executed
 * in-process as a given identity (the gateway's signature check is the transport's concern and
 * is tested end to end).
 */
export async function startTestSubgraph<Prisma extends PrismaLike, Ctx extends SubgraphContextBase>(
  def: SubgraphDefinition<Prisma, Ctx>,
  options: { seed?: boolean | SeedMode } = {},
): Promise<TestSubgraph<Prisma>> {
  const db = await createTestDatabase(def.name);
  const sql = createSqlRecorder();
  const logger = createLogger(def.name, 'error');
  try {
    await applyMigrations(db.sql, def.migrationsDir);
    const prisma = def.createPrisma({
      ...db,
      adapter: recordingAdapter(db.adapter, (statement) => sql.statements.push(statement)),
    });
    if (options.seed && def.seed) await def.seed(prisma, db.sql, logger, options.seed === true ? 'demo' : options.seed);
    const apollo = new ApolloServer<Ctx>({
      schema: def.schema,
      includeStacktraceInErrorResponses: false,
      formatError: maskUnexpectedErrors((error) => logger.error('unexpected', { error })),
    });
    await apollo.start();
    let requests = 0;
    return {
      prisma,
      db,
      sql,
      async execute<T>(query: string, variables: Record<string, unknown> = {}, identity: Identity = PUBLIC_IDENTITY) {
        requests++;
        const contextValue = def.createContext({ identity, requestId: `test-${requests}`, logger }, prisma);
        const response = await apollo.executeOperation({ query, variables }, { contextValue });
        if (response.body.kind !== 'single') throw new Error('incremental responses are not used');
        return response.body.singleResult as ExecutionResult<T>;
      },
      async stop() {
        await apollo.stop();
        await prisma.$disconnect();
        await db.destroy();
      },
    };
  } catch (error) {
    await db.destroy();
    throw error;
  }
}
