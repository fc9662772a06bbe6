import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { SUBGRAPHS, type SubgraphName } from '@civic/server-kit/ports';
import { cliEnv, inheritedEnv } from '../env.ts';
import { paths } from '../paths.ts';
import { type Progress, progress } from '../progress.ts';

export const seedHelp = `civic seed — load demo data, or a deterministic synthetic dataset with --scale N

Usage: npm run civic -- seed [--scale N] [--replace]

  --scale N    a synthetic city at scale N (N > 0, fractions allowed): N=1 is about 20,000 concerns,
               1,500 conversations, 300 initiatives with measures and observations, 5,000 services
               with 600 organizations and 1,500 locations, and alignments from concerns to initiatives
               and services; N=10 is a large metro. The same N always gives the same data.
  --replace    delete what the databases hold (demo or synthetic) and seed again; without it a
               database that is not empty is left alone and the command fails.

Without --scale it loads the demo data. Each subgraph seeds its own database (node
apps/subgraphs/<name>/dist/main.js seed ...) with batched inserts; DATABASE_URL (or
<SUBGRAPH>_DATABASE_URL) picks PostgreSQL, otherwise the PGlite folders under .data/ are used.
A PGlite folder can be opened by one process only: stop the services (npm start) first. On
PostgreSQL the services may keep running.
Exit code 0 when all three are seeded, 1 on failure (or a database not empty), 2 on wrong usage.`;

interface ChildMessage {
  type: 'total' | 'progress' | 'done';
  total?: number;
  rows?: number;
  counts?: Record<string, number>;
}

function parse(args: string[]): { scale?: number; replace: boolean } | string {
  let scale: number | undefined;
  let replace = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--replace') replace = true;
    else if (arg === '--scale') {
      const value = Number(args[++i]);
      if (!(value > 0 && value <= 100)) return '--scale takes a number above 0 and at most 100 (e.g. 1 or 0.01)';
      scale = value;
    } else return `unknown option ${arg}`;
  }
  return { scale, replace };
}

function usesPGlite(name: SubgraphName): boolean {
  const env = cliEnv();
  return !env.databaseUrl && !env.ownDatabaseUrls[name];
}

/** The pid holding a subgraph's PGlite folder, when that process is alive. */
function pgliteHolder(name: SubgraphName): number | undefined {
  const lock = `${join(paths.dataDir, name)}.lock`;
  if (!existsSync(lock)) return undefined;
  const pid = Number.parseInt(readFileSync(lock, 'utf8'), 10);
  if (!Number.isInteger(pid)) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}

export async function seed(args: string[]): Promise<number> {
  const options = parse(args);
  if (typeof options === 'string') {
    console.error(`civic seed: ${options}`);
    return 2;
  }
  const running = SUBGRAPHS.filter(usesPGlite)
    .map((name) => [name, pgliteHolder(name)] as const)
    .filter(([, pid]) => pid !== undefined);
  if (running.length > 0) {
    console.error(
      `civic seed: ${running.map(([n, pid]) => `${n} (pid ${pid})`).join(', ')} ${running.length > 1 ? 'are' : 'is'} running on its PGlite folder; stop the services (npm start) first, a folder can be opened by one process only`,
    );
    return 1;
  }
  for (const name of SUBGRAPHS) {
    if (!existsSync(paths.subgraphEntry(name))) {
      console.error(`civic seed: ${paths.subgraphEntry(name)} is missing; build first (npm run setup)`);
      return 1;
    }
  }
  const childArgs = [
    ...(options.scale !== undefined ? ['--scale', String(options.scale)] : []),
    ...(options.replace ? ['--replace'] : []),
  ];
  // Nothing is written unless all three may be seeded.
  if (!options.replace) {
    const checks = await Promise.all(SUBGRAPHS.map((name) => runChild(name, ['--check-empty'], () => {})));
    const refused = checks.filter((r) => r.code !== 0);
    if (refused.length > 0) {
      for (const f of refused) console.error(`civic seed: ${lastLine(f)}`);
      return 1;
    }
  }
  const totals = new Map<SubgraphName, number>();
  let bar: Progress | undefined;
  let pendingRows = 0;
  const label = options.scale !== undefined ? `seed --scale ${options.scale}` : 'seed demo';
  const counts: Record<string, Record<string, number>> = {};

  const results = await Promise.all(
    SUBGRAPHS.map((name) =>
      runChild(name, childArgs, (message) => {
        if (message.type === 'total') {
          totals.set(name, message.total ?? 0);
          if (totals.size === SUBGRAPHS.length && !bar) {
            bar = progress(
              label,
              [...totals.values()].reduce((a, b) => a + b, 0),
            );
            bar.tick(pendingRows);
          }
        } else if (message.type === 'progress') {
          if (bar) bar.tick(message.rows ?? 0);
          else pendingRows += message.rows ?? 0;
        } else if (message.type === 'done') counts[name] = message.counts ?? {};
      }),
    ),
  );
  const failed = results.filter((r) => r.code !== 0);
  if (failed.length > 0) {
    for (const f of failed) console.error(`civic seed: ${lastLine(f)}`);
    return failed.some((f) => f.code === 2) ? 2 : 1;
  }
  bar?.done('seeded');
  if (options.scale !== undefined) {
    for (const name of SUBGRAPHS) {
      const parts = Object.entries(counts[name] ?? {}).map(([k, v]) => `${v} ${k}`);
      console.log(`${name}: ${parts.join(', ')}`);
    }
  } else console.log('demo data seeded in engagement, initiatives and resources');
  return 0;
}

interface ChildResult {
  name: SubgraphName;
  code: number;
  stderr: string;
}

function lastLine(result: ChildResult): string {
  return result.stderr.trim().split('\n').pop() || `${result.name} failed (exit code ${result.code})`;
}

/** Runs `<subgraph>/dist/main.js seed ...`, passing each JSON line it prints to onMessage. */
function runChild(name: SubgraphName, args: string[], onMessage: (m: ChildMessage) => void): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [paths.subgraphEntry(name), 'seed', ...args], {
      env: { ...inheritedEnv(), CIVIC_DATA_DIR: paths.dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        onMessage(JSON.parse(line) as ChildMessage);
      } catch {
        // Not a progress line.
      }
    });
    child.once('error', (error) => resolve({ name, code: 1, stderr: error.message }));
    child.once('close', (code) => resolve({ name, code: code ?? 1, stderr }));
  });
}
