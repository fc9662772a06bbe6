import { execFileSync, spawn } from 'node:child_process';
import { SUBGRAPHS, type SubgraphName } from '@civic/server-kit/ports';
import { gql } from '@civic/test-stack/graphql';
import { entries, type Stack } from '@civic/test-stack/stack';

function seedOne(stack: Stack, name: SubgraphName, scale: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entries.subgraph(name), 'seed', '--scale', String(scale), '--replace'], {
      env: { ...process.env, ...stack.subgraphEnv(name) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`seeding ${name} failed (${code}): ${stderr.trim()}`)),
    );
  });
}

/**
 * Seeds the synthetic dataset into the stack's databases, as `civic seed --scale N --replace` does:
 * on PostgreSQL while the services run, on PGlite with each subgraph stopped (one owner per folder).
 */
export async function seedStack(stack: Stack, scale: number): Promise<{ seconds: number }> {
  const started = Date.now();
  await Promise.all(
    SUBGRAPHS.map(async (name) => {
      if (stack.targets[name].kind === 'postgres') return seedOne(stack, name, scale);
      await stack.stopSubgraph(name);
      await seedOne(stack, name, scale);
      await stack.startSubgraph(name);
    }),
  );
  return { seconds: Math.round((Date.now() - started) / 100) / 10 };
}

/**
 * After a scale seed: the first suggestions compute every seeded service's coverage (resources rewrites each
 * Service row once, after the seed's own VACUUM ANALYZE) and build the matcher; then each PostgreSQL database is
 * vacuumed and analyzed again, as autovacuum would before long. Without it the runs measured 5,000 dead Service
 * rows at N=1 (the matcher's version check read them all on every request): PostgreSQL's CPU per concern page
 * was about twice what it is once vacuumed.
 */
export async function settleAfterSeed(stack: Stack): Promise<void> {
  const query =
    '{ concerns(first: 1, orderBy: MOST_SUPPORTED) { edges { node { suggestedResources(first: 1) { score } } } } }';
  for (let attempt = 1; ; attempt++) {
    // The first answer may time out at the gateway while resources computes coverage; it goes on regardless.
    const answer = await gql(stack.gatewayUrl, query).catch((error: Error) => ({ body: { errors: [error.message] } }));
    if (!answer.body.errors) break;
    if (attempt === 60)
      throw new Error(`suggestions still failing after the seed: ${JSON.stringify(answer.body.errors)}`);
    await new Promise((r) => setTimeout(r, 5000));
  }
  for (const target of Object.values(stack.targets)) {
    if (target.kind === 'postgres') execFileSync('psql', [target.url, '-qAtc', 'VACUUM ANALYZE']);
  }
}
