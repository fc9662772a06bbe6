import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatabaseTarget, resolveDatabaseTarget } from '@civic/db/config';
import { openDatabase, quoteIdent } from '@civic/db/connect';
import { newTestTarget, removeTarget } from '@civic/db/testing';
import { syntheticCounts, syntheticId } from '@civic/reference-data/synthetic';
import { SUBGRAPHS, type SubgraphName } from '@civic/server-kit/ports';
import { gql } from '@civic/test-stack/graphql';
import { type Stack, startStack } from '@civic/test-stack/stack';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

// Runs on PGlite by default and on PostgreSQL when DATABASE_URL is set (as the whole suite does).
const entry = new URL('../dist/main.js', import.meta.url).pathname;
const SCALE = 0.005;
const onPostgres = Boolean(process.env.DATABASE_URL);

function civic(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [entry, ...args], {
      env: { ...process.env, DATABASE_URL: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const TABLES: Record<SubgraphName, string[]> = {
  engagement: [
    'Ward',
    'Neighborhood',
    'Conversation',
    'ConversationNeighborhood',
    'CitywideConcern',
    'Concern',
    'ConcernStatusChange',
    'Alignment',
  ],
  initiatives: ['Goal', 'Objective', 'Initiative', 'InitiativeStatusChange', 'Measure', 'Observation'],
  resources: ['Organization', 'Location', 'Service', 'ServiceAtLocation', 'ServiceInitiativeLink'],
};

/**
 * Work-queue bookkeeping rather than content: the trigger stamps when a concern started waiting
 * for the alignment worker, so two seeds a second apart differ there and nowhere else.
 */
const VOLATILE_COLUMNS: Record<string, string> = { Concern: 'alignmentPendingSince' };

/** Row counts and one content hash per subgraph database. */
async function inspect(targets: Record<SubgraphName, DatabaseTarget>) {
  const counts: Record<string, number> = {};
  const hashes: Record<string, string> = {};
  for (const name of SUBGRAPHS) {
    const db = await openDatabase(targets[name], { max: 1 });
    try {
      const parts: string[] = [];
      for (const table of TABLES[name]) {
        const rowText = VOLATILE_COLUMNS[table] ? `(to_jsonb(t) - '${VOLATILE_COLUMNS[table]}')::text` : 't::text';
        const [row] = await db.sql.query<{ n: number; h: string }>(
          `select count(*)::int as n, md5(coalesce(string_agg(${rowText}, '|' order by ${rowText}), '')) as h from ${quoteIdent(table)} t`,
        );
        counts[table] = row?.n ?? 0;
        parts.push(row?.h ?? '');
      }
      hashes[name] = parts.join(',');
    } finally {
      await db.close();
    }
  }
  return { counts, hashes };
}

/**
 * PGlite: the folders the first describe seeded (checked there: formula counts, and identical to a
 * fresh seed by content hash), which the stack below reuses instead of seeding a fourth time.
 */
let seededDataDir: string | undefined;
const cleanups: string[] = [];
afterAll(() => {
  for (const dir of cleanups) rmSync(dir, { recursive: true, force: true });
});

describe(`civic seed --scale on ${onPostgres ? 'PostgreSQL' : 'PGlite'}`, () => {
  let dataDir: string;
  let targets: Record<SubgraphName, DatabaseTarget>;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'civic-seed-'));
    if (onPostgres) {
      targets = Object.fromEntries(SUBGRAPHS.map((n) => [n, newTestTarget(n)])) as typeof targets;
      env = Object.fromEntries(
        SUBGRAPHS.map((n) => [`${n.toUpperCase()}_DATABASE_URL`, (targets[n] as { url: string }).url]),
      );
    } else {
      targets = Object.fromEntries(
        SUBGRAPHS.map((n) => [n, resolveDatabaseTarget({ name: n, dataRoot: dataDir })]),
      ) as typeof targets;
      env = { CIVIC_DATA_DIR: dataDir };
    }
  });

  afterAll(async () => {
    if (onPostgres) await Promise.all(SUBGRAPHS.map((n) => removeTarget(targets[n]).catch(() => {})));
    // Removed after the whole file: the next describe copies the seeded folders.
    cleanups.push(dataDir);
  });

  test('seeds the formula counts, refuses a non-empty database, and --replace gives identical content', async () => {
    const first = await civic(['seed', '--scale', String(SCALE)], env);
    expect(first.stderr).not.toMatch(/failed|error/i);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^engagement: .*concerns/m);

    const c = syntheticCounts(SCALE);
    const seeded = await inspect(targets);
    expect(seeded.counts).toMatchObject({
      Ward: 3,
      Neighborhood: c.neighborhoods,
      Conversation: c.conversations,
      ConversationNeighborhood: c.conversations,
      CitywideConcern: c.citywideConcerns,
      Concern: c.concerns,
      ConcernStatusChange: c.concerns,
      Alignment: c.initiativeAlignments + c.serviceAlignments,
      Initiative: c.initiatives,
      Measure: c.initiatives * c.measuresPerInitiative,
      Observation: c.initiatives * c.measuresPerInitiative * c.observationsPerMeasure,
      Organization: c.cityDepartments + c.organizations,
      Location: c.locations,
      Service: c.services,
      ServiceAtLocation: c.services,
      ServiceInitiativeLink: c.serviceInitiativeLinks,
    });

    const refused = await civic(['seed', '--scale', String(SCALE)], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--replace/);
    expect((await inspect(targets)).hashes).toEqual(seeded.hashes);

    const replaced = await civic(['seed', '--scale', String(SCALE), '--replace'], env);
    expect(replaced.code).toBe(0);
    const again = await inspect(targets);
    expect(again.counts).toEqual(seeded.counts);
    expect(again.hashes).toEqual(seeded.hashes);
    if (!onPostgres) seededDataDir = dataDir;
  }, 600_000);

  test('wrong usage exits 2', async () => {
    for (const args of [
      ['seed', '--scale', '0'],
      ['seed', '--scale', 'lots'],
      ['seed', '--bogus'],
    ]) {
      const run = await civic(args, env);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^civic seed:/);
    }
  });
});

describe('the seeded concern page through the gateway', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ production: true, seed: 'none' });
    if (onPostgres) {
      // On PostgreSQL the services keep running while seeding.
      const env = Object.fromEntries(
        SUBGRAPHS.map((n) => [`${n.toUpperCase()}_DATABASE_URL`, (stack.targets[n] as { url: string }).url]),
      );
      const run = await civic(['seed', '--scale', String(SCALE)], env);
      expect(run.code, run.stderr).toBe(0);
    } else {
      // A PGlite folder has one owner: the CLI refuses while the services run, so they stop, the
      // seeded folders take their place, and they start again.
      const dir = mkdtempSync(join(tmpdir(), 'civic-seed-stack-'));
      try {
        for (const name of SUBGRAPHS) {
          const target = stack.targets[name] as { dataDir: string };
          const busy = await civic(['seed', '--scale', String(SCALE)], { CIVIC_DATA_DIR: join(target.dataDir, '..') });
          expect(busy.code).toBe(1);
          expect(busy.stderr).toMatch(/stop the services/);
        }
        // The first describe's seed when it ran (and passed), else a seed of its own.
        let source = seededDataDir;
        if (!source) {
          const run = await civic(['seed', '--scale', String(SCALE)], { CIVIC_DATA_DIR: dir });
          expect(run.code, run.stderr).toBe(0);
          source = dir;
        }
        for (const name of SUBGRAPHS) {
          await stack.stopSubgraph(name);
          const target = stack.targets[name] as { dataDir: string };
          rmSync(target.dataDir, { recursive: true, force: true });
          cpSync(join(source, name), target.dataDir, { recursive: true });
          await stack.startSubgraph(name);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  }, 600_000);

  afterAll(async () => {
    await stack?.destroy();
  });

  test('concern 0 joins engagement, initiatives and resources', async () => {
    const result = await gql<{
      concern: {
        summary: string;
        neighborhood: { name: string } | null;
        initiatives: {
          code: string;
          leadDepartment: { name: string } | null;
          measures: { name: string; latest: { value: number } | null }[];
        }[];
        resources: { name: string; organization: { name: string } }[];
      } | null;
    }>(
      stack.gatewayUrl,
      `query($id: ID!) { concern(id: $id) { summary neighborhood { name }
        initiatives { code leadDepartment { name } measures { name latest { value } } }
        resources { name organization { name } } } }`,
      { id: syntheticId('concern', 0) },
    );
    expect(result.body.errors).toBeUndefined();
    const concern = result.body.data?.concern;
    expect(concern?.neighborhood?.name).toBeTruthy();
    expect(concern?.initiatives).toHaveLength(1);
    expect(concern?.initiatives[0]?.leadDepartment?.name).toBeTruthy();
    expect(concern?.initiatives[0]?.measures).toHaveLength(2);
    expect(concern?.initiatives[0]?.measures[0]?.latest?.value).toEqual(expect.any(Number));
    expect(concern?.resources).toHaveLength(1);
    expect(concern?.resources[0]?.organization.name).toBeTruthy();
  });
});
