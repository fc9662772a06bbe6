/**
 * The dashboard's initiatives fetch (what the gateway sends this subgraph for the web client's
 * PlanDashboard_Plan) on the synthetic dataset at --scale N, executed in-process: median time over
 * many runs and SQL statements per request. Writes the answer to --out for a byte-for-byte diff.
 *   DATABASE_URL=postgres://… nice -n 19 tsx scripts/bench-dashboard.ts --scale 1 --runs 60 --out /tmp/dash.json
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
} from '@apollo/server/plugin/disabled';
import { applyMigrations } from '@civic/db/migrate';
import { createSqlRecorder, recordingAdapter } from '@civic/db/recording';
import { createTestDatabase } from '@civic/db/testing';
import { PUBLIC_IDENTITY } from '@civic/server-kit/identity';
import { createLogger } from '@civic/server-kit/logger';
import { initiativesScaleSeed } from '../src/seed/scale-seed.ts';
import { initiativesSubgraph } from '../src/subgraph.ts';

export const DASHBOARD_FETCH = /* GraphQL */ `
  query Dashboard($language: String!) {
    goals { id number title content(language: $language) { field text language machineTranslated original } }
    initiatives {
      id
      goal { id number }
      objective { id code title content(language: $language) { field text language machineTranslated original } }
      code status updatedAt
      leadDepartment { __typename id }
      content(language: $language) { field text language machineTranslated original }
      measures(first: 1) {
        id valueType target
        content(language: $language) { field text language machineTranslated original }
        latest { id period value content(language: $language) { field text language machineTranslated original } }
        observations { id period segment value }
      }
    }
  }
`;

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    runs: { type: 'string', default: '40' },
    language: { type: 'string', default: 'en' },
    out: { type: 'string' },
  },
});
// The subgraph as its server runs it (same schema, context and Apollo plugins), without HTTP.
async function startSubgraph() {
  const def = initiativesSubgraph;
  const db = await createTestDatabase('bench_dashboard');
  const sql = createSqlRecorder();
  const logger = createLogger(def.name, 'error');
  await applyMigrations(db.sql, def.migrationsDir);
  const prisma = def.createPrisma({
    ...db,
    adapter: recordingAdapter(db.adapter, (statement) => sql.statements.push(statement)),
  });
  const apollo = new ApolloServer({
    schema: def.schema,
    plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled()],
  });
  await apollo.start();
  return {
    db,
    sql,
    async execute(query: string, variables: Record<string, unknown>) {
      const contextValue = def.createContext({ identity: PUBLIC_IDENTITY, requestId: 'bench', logger }, prisma);
      const response = await apollo.executeOperation({ query, variables }, { contextValue });
      if (response.body.kind !== 'single') throw new Error('incremental responses are not used');
      return response.body.singleResult;
    },
    async stop() {
      await apollo.stop();
      await prisma.$disconnect();
      await db.destroy();
    },
  };
}

const subgraph = await startSubgraph();
try {
  await initiativesScaleSeed.run({ sql: subgraph.db.sql, scale: Number(values.scale), inserted: () => {} });
  await subgraph.db.sql.query('analyze');
  const variables = { language: values.language };
  const first = await subgraph.execute(DASHBOARD_FETCH, variables);
  if (first.errors) throw new Error(JSON.stringify(first.errors));
  if (values.out) writeFileSync(values.out, JSON.stringify(first.data));
  for (let i = 0; i < 5; i++) await subgraph.execute(DASHBOARD_FETCH, variables);
  const times: number[] = [];
  const cpu: number[] = [];
  subgraph.sql.reset();
  const runs = Number(values.runs);
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    await subgraph.execute(DASHBOARD_FETCH, variables);
    times.push(performance.now() - start);
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1000);
  }
  const statements = subgraph.sql.statements.length / runs;
  if (process.env.SHOW_SQL)
    for (const s of subgraph.sql.statements.slice(0, statements))
      console.log((s.match(/\$\d+/g) ?? []).length, s.slice(0, 60), s.slice(-120));
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
  console.log(
    JSON.stringify({
      scale: values.scale,
      language: values.language,
      runs,
      medianMs: Number(median.toFixed(2)),
      p10Ms: Number(times[Math.floor(times.length / 10)]?.toFixed(2)),
      cpuMedianMs: Number(cpu[Math.floor(cpu.length / 2)]?.toFixed(2)),
      statementsPerRequest: statements,
      bytes: JSON.stringify(first.data).length,
    }),
  );
} finally {
  await subgraph.stop();
}
