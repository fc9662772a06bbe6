import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, listensOn, type ManagedProcess, reservePort, stopProcess, waitReady } from '../src/processes.ts';

// A child that answers /ready on the port it is given, once `delayMs` has passed.
const CHILD = `
const { createServer } = require('node:http');
const [port, delayMs] = [Number(process.env.CHILD_PORT), Number(process.env.CHILD_DELAY_MS)];
setTimeout(() => createServer((req, res) => res.end('{"status":"ready"}')).listen(port, '127.0.0.1'), delayMs);
setInterval(() => {}, 1000);
`;

const onLinux = process.platform === 'linux';
let dir: string;
let entry: string;
const children: ManagedProcess[] = [];
const servers: Server[] = [];

async function foreignServer(port = 0): Promise<number> {
  const server = createServer((_req, res) => res.end('{"status":"ready"}'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  servers.push(server);
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

function child(port: number, delayMs: number): ManagedProcess {
  const proc = launch('child', entry, { CHILD_PORT: String(port), CHILD_DELAY_MS: String(delayMs) });
  children.push(proc);
  return proc;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'civic-ports-'));
  entry = join(dir, 'child.cjs');
  writeFileSync(entry, CHILD);
});

afterAll(async () => {
  await Promise.all(children.map((proc) => stopProcess(proc, 'SIGKILL')));
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  rmSync(dir, { recursive: true, force: true });
});

describe('ports of a test stack', () => {
  it('a reserved port is not handed out again until released', async () => {
    const reserved = await reservePort();
    await expect(foreignServer(reserved.port)).rejects.toThrow(/EADDRINUSE/);
    await reserved.release();
    expect(await foreignServer(reserved.port)).toBe(reserved.port);
  });

  it('a connection to a reserved port does not hold up its release', async () => {
    const reserved = await reservePort();
    const client = connect(reserved.port, '127.0.0.1');
    await new Promise<void>((resolve) => client.once('close', () => resolve()).once('error', () => {}));
    const idle = connect(reserved.port, '127.0.0.1').on('error', () => {});
    await expect(
      Promise.race([
        reserved.release(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('held')), 5_000)),
      ]),
    ).resolves.toBeUndefined();
    idle.destroy();
  });

  it.runIf(onLinux)('tells which process listens on a port', async () => {
    const reserved = await reservePort();
    await reserved.release();
    const proc = child(reserved.port, 0);
    await waitReady(`http://127.0.0.1:${reserved.port}/ready`, proc, 30_000);
    const other = await foreignServer();
    expect(listensOn(proc.child.pid, reserved.port)).toBe(true);
    expect(listensOn(proc.child.pid, other)).toBe(false);
    expect(listensOn(process.pid, other)).toBe(true);
  });

  it.runIf(onLinux)("does not take another process's answer on the port for the child's", async () => {
    const port = await foreignServer();
    const proc = child(port, 60_000);
    await expect(waitReady(`http://127.0.0.1:${port}/ready`, proc, 3_000, { ownPort: true })).rejects.toThrow(
      /not ready after 3000ms/,
    );
    // Without the check, the other process's answer passes for the child's.
    await waitReady(`http://127.0.0.1:${port}/ready`, proc, 3_000);
  });
});
