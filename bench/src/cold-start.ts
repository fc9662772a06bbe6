import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SUBGRAPHS } from '@civic/server-kit/ports';
import { entries, freePort, launch, type ManagedProcess, stopProcess, waitReady } from '@civic/test-stack/stack';

export interface ColdStartResult {
  firstStartSeconds: number;
  restartSeconds: number;
  note: string;
}

const webDir = join(import.meta.dirname, '..', '..', 'apps', 'web');

/**
 * What `npm start` does once installed and built (apps/cli/src/commands/up.ts): the three
 * subgraphs on PGlite folders in parallel, then the gateway, then the web client, each waited for
 * on its readiness URL. Free ports instead of the fixed ones, so it runs beside anything else.
 */
async function startAll(
  dataDir: string,
  env: NodeJS.ProcessEnv,
): Promise<{ seconds: number; procs: ManagedProcess[] }> {
  const ports = {
    engagement: await freePort(),
    initiatives: await freePort(),
    resources: await freePort(),
    gateway: await freePort(),
    web: await freePort(),
  };
  const base = {
    ...env,
    NODE_ENV: 'development',
    CIVIC_DATA_DIR: dataDir,
    DATABASE_URL: '',
    LOG_LEVEL: 'warn',
    ENGAGEMENT_PORT: String(ports.engagement),
    INITIATIVES_PORT: String(ports.initiatives),
    RESOURCES_PORT: String(ports.resources),
    GATEWAY_PORT: String(ports.gateway),
    ENGAGEMENT_URL: `http://127.0.0.1:${ports.engagement}/graphql`,
    INITIATIVES_URL: `http://127.0.0.1:${ports.initiatives}/graphql`,
    RESOURCES_URL: `http://127.0.0.1:${ports.resources}/graphql`,
    CIVIC_GATEWAY_URL: `http://127.0.0.1:${ports.gateway}/graphql`,
  };
  const started = performance.now();
  const procs: ManagedProcess[] = [];
  try {
    await Promise.all(
      SUBGRAPHS.map((name) => {
        const proc = launch(name, entries.subgraph(name), base);
        procs.push(proc);
        return waitReady(`http://127.0.0.1:${ports[name]}/ready`, proc, 180_000);
      }),
    );
    const gateway = launch('gateway', entries.gateway, base);
    procs.push(gateway);
    await waitReady(`http://127.0.0.1:${ports.gateway}/ready`, gateway, 120_000);
    const vite = join(
      dirname(createRequire(join(webDir, 'package.json')).resolve('vite/package.json')),
      'bin',
      'vite.js',
    );
    const child = spawn(
      process.execPath,
      [vite, 'preview', '--port', String(ports.web), '--strictPort', '--host', '127.0.0.1'],
      { cwd: webDir, env: { ...process.env, ...base }, stdio: 'ignore' },
    );
    const web: ManagedProcess = {
      name: 'web',
      child,
      output: [],
      exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    };
    procs.push(web);
    await waitReady(`http://127.0.0.1:${ports.web}/`, web, 60_000);
  } catch (error) {
    await Promise.all(procs.map((p) => stopProcess(p)));
    throw error;
  }
  return { seconds: Math.round((performance.now() - started) / 100) / 10, procs };
}

export async function coldStart(): Promise<ColdStartResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'civic-cold-'));
  const env = {
    CIVIC_GATEWAY_SECRET: randomBytes(32).toString('base64url'),
    CIVIC_JWT_SECRET: randomBytes(32).toString('base64url'),
  };
  try {
    const first = await startAll(dataDir, env);
    await Promise.all(first.procs.map((p) => stopProcess(p)));
    const again = await startAll(dataDir, env);
    await Promise.all(again.procs.map((p) => stopProcess(p)));
    return {
      firstStartSeconds: first.seconds,
      restartSeconds: again.seconds,
      note: 'measured from spawning the processes (dist/ already built; npm start first runs a cached turbo build, a few seconds more)',
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
