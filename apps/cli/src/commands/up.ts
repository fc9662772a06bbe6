import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { nodeMemoryFlags } from '@civic/server-kit/memory';
import { PORTS, SUBGRAPHS } from '@civic/server-kit/ports';
import { cliEnv, inheritedEnv } from '../env.ts';
import { paths } from '../paths.ts';
import { loadDevSecrets } from '../secrets.ts';

interface Service {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env: NodeJS.ProcessEnv;
  readyUrl: string;
}

const READY_TIMEOUT_MS = 120_000;

export const upHelp = `civic up — start every service (three subgraphs, gateway, web client)

Usage: npm start   (or: npm run civic -- up)

Starts the subgraphs on the embedded PGlite database under .data/ (or on the PostgreSQL server
in DATABASE_URL), applies pending migrations, seeds demo data on first run, then starts the
gateway on :${PORTS.gateway} and the web client on :${PORTS.web}. Ctrl-C stops them all.
NODE_ENV=production runs the same stack with production protections on.`;

export async function up(): Promise<number> {
  const env = cliEnv();
  const production = env.production;
  const { secrets, created } = loadDevSecrets(paths.dataDir);
  if (created && production) {
    console.warn(
      'civic: generated development secrets in .data/dev-secrets.json; set CIVIC_GATEWAY_SECRET in a real deployment',
    );
  }
  const base: NodeJS.ProcessEnv = {
    ...inheritedEnv(),
    NODE_ENV: production ? 'production' : 'development',
    CIVIC_DATA_DIR: paths.dataDir,
    CIVIC_GATEWAY_SECRET: env.gatewaySecret ?? secrets.gatewaySecret,
    CIVIC_JWT_SECRET: env.jwtSecret ?? secrets.jwtSecret,
  };
  const subgraphs: Service[] = SUBGRAPHS.map((name) => ({
    name,
    command: process.execPath,
    args: ['--enable-source-maps', ...nodeMemoryFlags(name), paths.subgraphEntry(name)],
    env: base,
    readyUrl: `http://127.0.0.1:${PORTS[name]}/ready`,
  }));
  const gateway: Service = {
    name: 'gateway',
    command: process.execPath,
    args: ['--enable-source-maps', ...nodeMemoryFlags('gateway'), paths.gatewayEntry],
    env: base,
    readyUrl: `http://127.0.0.1:${PORTS.gateway}/ready`,
  };
  const vitePackage = createRequire(join(paths.webDir, 'package.json')).resolve('vite/package.json');
  const viteBin = join(dirname(vitePackage), 'bin', 'vite.js');
  const web: Service = {
    name: 'web',
    command: process.execPath,
    args: [viteBin, 'preview', '--port', String(PORTS.web), '--strictPort', '--host', '127.0.0.1'],
    cwd: paths.webDir,
    env: base,
    readyUrl: `http://127.0.0.1:${PORTS.web}/`,
  };

  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const stopAll = async (code: number): Promise<number> => {
    if (stopping) return code;
    stopping = true;
    const exits = [...children.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
        }),
    );
    await Promise.all(exits);
    return code;
  };

  const stopped = new Promise<number>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.on(signal, () => {
        console.log(`\ncivic: stopping all services`);
        void stopAll(0).then(resolve);
      });
    }
    const start = (service: Service) => {
      const child = spawn(service.command, service.args, {
        cwd: service.cwd,
        env: service.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.set(service.name, child);
      const label = `[${service.name}]`.padEnd(14);
      for (const stream of [child.stdout, child.stderr]) {
        createInterface({ input: stream }).on('line', (line) => console.log(`${label}${line}`));
      }
      child.once('exit', (code, signal) => {
        if (stopping) return;
        console.error(
          `civic: ${service.name} stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping everything`,
        );
        void stopAll(1).then(resolve);
      });
    };
    void (async () => {
      const started = Date.now();
      try {
        for (const service of subgraphs) start(service);
        await Promise.all(subgraphs.map((s) => waitReady(s, () => stopping)));
        start(gateway);
        await waitReady(gateway, () => stopping);
        start(web);
        await waitReady(web, () => stopping);
      } catch (error) {
        if (!stopping) {
          console.error(`civic: ${(error as Error).message}`);
          resolve(await stopAll(1));
        }
        return;
      }
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(`
civic: all services ready in ${seconds}s${production ? ' (production mode)' : ''}
  web client   http://localhost:${PORTS.web}
  gateway      http://localhost:${PORTS.gateway}/graphql   (health /health, readiness /ready)
  subgraphs    engagement :${PORTS.engagement}, initiatives :${PORTS.initiatives}, resources :${PORTS.resources} (loopback only)
Press Ctrl-C to stop.`);
    })();
  });
  return stopped;
}

async function waitReady(service: Service, cancelled: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (cancelled()) throw new Error('cancelled');
    try {
      const response = await fetch(service.readyUrl, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${service.name} was not ready after ${READY_TIMEOUT_MS / 1000}s`);
}
