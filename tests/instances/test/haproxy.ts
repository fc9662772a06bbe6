import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, type ManagedProcess, stopProcess } from '@civic/test-stack/stack';

export const HAPROXY = '/usr/sbin/haproxy';

/** Why the suite cannot run here, or undefined when it can. */
export function missingPrerequisite(): string | undefined {
  if (!process.env.DATABASE_URL) {
    return 'needs PostgreSQL (DATABASE_URL): two processes cannot share a PGlite folder; CI runs it in its PostgreSQL pass';
  }
  if (!existsSync(HAPROXY)) {
    return `needs Debian's haproxy package (${HAPROXY} not found; \`node scripts/bootstrap.mjs test\` installs it as root, or apt-get install haproxy)`;
  }
  return undefined;
}

/**
 * The configuration: one loopback frontend per service, round robin over its instances, each
 * checked on its /ready. A request whose connection is refused (a killed instance not yet marked
 * down) is sent to another instance; nothing is retried once it reached one, so a write is never
 * sent twice. The gateways (TRUST_PROXY) read the client's address from X-Forwarded-For, which
 * HAProxy sets to the connection's source, replacing whatever the client sent; every answer names
 * the instance that gave it in X-Served-By.
 */
export function haproxyConfig(fronts: Record<string, number>, backends: Record<string, number[]>): string {
  const lines = [
    'global',
    '  nbthread 1',
    '  maxconn 2000',
    'defaults',
    '  mode http',
    '  timeout connect 1s',
    '  timeout client 60s',
    '  timeout server 60s',
    '  timeout http-request 30s',
    '  retries 3',
    '  retry-on conn-failure',
    '  option redispatch 1',
  ];
  for (const [service, port] of Object.entries(fronts)) {
    lines.push(
      `frontend fe_${service}`,
      `  bind 127.0.0.1:${port}`,
      `  default_backend be_${service}`,
      `backend be_${service}`,
      '  balance roundrobin',
      '  option httpchk GET /ready',
      '  http-check expect status 200',
      // On a loaded machine a check can take more than the interval, which by default is also the check's
      // timeout, and an instance would drop out of rotation. (A gateway's /ready no longer asks the
      // subgraphs; a subgraph's asks its database.)
      '  timeout check 5s',
      '  default-server check inter 1s fastinter 500ms downinter 500ms rise 1 fall 3',
      '  http-response set-header X-Served-By %s',
      ...(service === 'gateway' ? ['  http-request set-header X-Forwarded-For %[src]'] : []),
      ...(backends[service] ?? []).map((p, i) => `  server ${service}-${i} 127.0.0.1:${p}`),
    );
  }
  return `${lines.join('\n')}\n`;
}

export interface Haproxy {
  fronts: Record<string, string>;
  proc: ManagedProcess;
  stop(): Promise<void>;
}

/** HAProxy in the foreground on loopback, its configuration checked first. */
export async function startHaproxy(backends: Record<string, number[]>): Promise<Haproxy> {
  const ports = Object.fromEntries(
    await Promise.all(Object.keys(backends).map(async (s) => [s, await freePort()] as const)),
  ) as Record<string, number>;
  const dir = mkdtempSync(join(tmpdir(), 'civic-haproxy-'));
  const file = join(dir, 'haproxy.cfg');
  writeFileSync(file, haproxyConfig(ports, backends));
  const check = spawnSync(HAPROXY, ['-c', '-q', '-f', file], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`haproxy refused its configuration:\n${check.stdout}${check.stderr}`);
  const proc = launchHaproxy(file);
  await new Promise((r) => setTimeout(r, 300));
  if (proc.child.exitCode !== null) throw new Error(`haproxy exited:\n${proc.output.join('\n')}`);
  return {
    fronts: Object.fromEntries(Object.entries(ports).map(([s, p]) => [s, `http://127.0.0.1:${p}`])),
    proc,
    async stop() {
      await stopProcess(proc, 'SIGTERM', 5_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// launch() runs Node entries; HAProxy is a binary, so it gets the same bookkeeping around spawn.
function launchHaproxy(file: string): ManagedProcess {
  const child = spawn(HAPROXY, ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) output.push(line);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      process.removeListener('exit', killOnExit);
      resolve(code);
    }),
  );
  return { name: 'haproxy', child, output, exited };
}
