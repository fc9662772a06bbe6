/**
 * The equity gap report (the benchmark's Bench_GapReport fetch) on the synthetic dataset at --scale N,
 * executed in-process as the subgraph's server runs it: median wall and CPU time per request, SQL
 * statements per request; then the report's first statement alternated with the aggregation over
 * "Concern" it replaced (the reference), and the two answers compared row for row.
 *   DATABASE_URL=postgres://… nice -n 19 tsx scripts/bench-gap-report.ts --scale 1 --runs 40 --out /tmp/gap.json
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
import { engagementScaleSeed } from '../src/seed/scale-seed.ts';
import { engagementSubgraph } from '../src/subgraph.ts';

const GAP_REPORT = /* GraphQL */ `
  query Bench_GapReport {
    equityGapReport { neighborhood { name ward } theme equityPriority unalignedConcerns supportCount }
  }
`;

/** The report's groups computed from the concerns themselves (the statement before the maintained counts). */
const RECOUNT = `
  SELECT g."neighborhoodId", g.theme, g.concerns, g.support, coalesce(n."equityPriority", false) AS "equityPriority"
  FROM (
    SELECT c."neighborhoodId", t.theme, count(*)::int AS concerns, coalesce(sum(c."supportCount"), 0)::int AS support
    FROM "Concern" c
    LEFT JOIN LATERAL unnest(c."themes") AS t(theme) ON true
    WHERE c."published" = true AND c."moderation" = 'ACCEPTED'
      AND NOT EXISTS (SELECT 1 FROM "Alignment" a WHERE a."concernId" = c."id")
    GROUP BY c."neighborhoodId", t.theme
  ) g
  LEFT JOIN "Neighborhood" n ON n."id" = g."neighborhoodId"
  ORDER BY "equityPriority" DESC, g.concerns DESC, n."name" ASC NULLS LAST, g.theme ASC NULLS LAST`;
const MAINTAINED = `
  SELECT g."neighborhoodId", g.theme, g.concerns, g.support, coalesce(n."equityPriority", false) AS "equityPriority"
  FROM "EquityGapCount" g
  LEFT JOIN "Neighborhood" n ON n."id" = g."neighborhoodId"
  ORDER BY "equityPriority" DESC, g.concerns DESC, n."name" ASC NULLS LAST, g.theme ASC NULLS LAST`;

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    runs: { type: 'string', default: '40' },
    out: { type: 'string' },
  },
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const def = engagementSubgraph;
const db = await createTestDatabase('bench_gap');
const sql = createSqlRecorder();
const logger = createLogger(def.name, 'error');
await applyMigrations(db.sql, def.migrationsDir);
const prisma = def.createPrisma({ ...db, adapter: recordingAdapter(db.adapter, (s) => sql.statements.push(s)) });
const apollo = new ApolloServer({
  schema: def.schema,
  plugins: [ApolloServerPluginInlineTraceDisabled(), ApolloServerPluginCacheControlDisabled()],
});
await apollo.start();
async function execute() {
  const contextValue = def.createContext({ identity: PUBLIC_IDENTITY, requestId: 'bench', logger }, prisma);
  const response = await apollo.executeOperation({ query: GAP_REPORT }, { contextValue });
  if (response.body.kind !== 'single') throw new Error('incremental responses are not used');
  const result = response.body.singleResult;
  if (result.errors) throw new Error(JSON.stringify(result.errors));
  return result;
}
try {
  const seedStart = performance.now();
  await engagementScaleSeed.run({ sql: db.sql, scale: Number(values.scale), inserted: () => {} });
  const seedMs = performance.now() - seedStart;
  await db.sql.query('analyze');
  const first = await execute();
  if (values.out) writeFileSync(values.out, JSON.stringify(first.data));
  for (let i = 0; i < 3; i++) await execute();
  const runs = Number(values.runs);
  const wall: number[] = [];
  const cpu: number[] = [];
  sql.reset();
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    await execute();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1000);
  }
  const statements = sql.statements.length / runs;
  const recountMs: number[] = [];
  const maintainedMs: number[] = [];
  let recountRows = '';
  let maintainedRows = '';
  for (let i = 0; i < Math.min(runs, 20); i++) {
    let start = performance.now();
    recountRows = JSON.stringify(await db.sql.query(RECOUNT));
    recountMs.push(performance.now() - start);
    start = performance.now();
    maintainedRows = JSON.stringify(await db.sql.query(MAINTAINED));
    maintainedMs.push(performance.now() - start);
  }
  console.log(
    JSON.stringify({
      scale: values.scale,
      seedSeconds: Number((seedMs / 1000).toFixed(1)),
      runs,
      medianMs: Number(median(wall).toFixed(2)),
      cpuMedianMs: Number(median(cpu).toFixed(2)),
      statementsPerRequest: statements,
      rows: (first.data as { equityGapReport: unknown[] }).equityGapReport.length,
      bytes: JSON.stringify(first.data).length,
      statement: { recountMedianMs: median(recountMs), maintainedMedianMs: median(maintainedMs) },
      maintainedEqualsRecount: recountRows === maintainedRows,
      groups: JSON.parse(maintainedRows).length,
    }),
  );
} finally {
  await apollo.stop();
  await prisma.$disconnect();
  await db.destroy();
}
