import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freePort, type Stack } from '@civic/test-stack/stack';

const gatewayDir = join(import.meta.dirname, '..', '..', 'apps', 'gateway');

/** Starts Hive Gateway (apps/gateway/scripts/hive-bench-server.ts) as its own process on the stack's subgraphs. */
export async function startHive(stack: Stack): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  // Node itself with tsx's loader (not the tsx CLI, which would run the server in a child process
  // whose CPU and memory would go unmeasured).
  const tsxLoader = pathToFileURL(
    join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'esm', 'index.mjs'),
  ).href;
  const child = spawn(process.execPath, ['--import', tsxLoader, join(gatewayDir, 'scripts', 'hive-bench-server.ts')], {
    cwd: gatewayDir,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      HIVE_PORT: String(port),
      CIVIC_GATEWAY_SECRET: stack.secret,
      ENGAGEMENT_URL: stack.subgraphUrls.engagement,
      INITIATIVES_URL: stack.subgraphUrls.initiatives,
      RESOURCES_URL: stack.subgraphUrls.resources,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  child.stderr?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const url = `http://127.0.0.1:${port}/graphql`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Hive Gateway exited: ${output}`);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"query":"{ __typename }"}',
      });
      if (response.ok) return { url, child, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`Hive Gateway not ready in 60 s: ${output}`);
}
