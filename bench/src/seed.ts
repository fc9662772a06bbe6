import { spawn } from 'node:child_process';
import { SUBGRAPHS, type SubgraphName } from '@civic/server-kit/ports';
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
