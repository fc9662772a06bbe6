#!/usr/bin/env node
// Entry point for the root npm scripts. A fresh machine has only Node and npm:
// this installs pnpm into .tools/, installs the workspace, builds it, then runs
// the requested command. Each step is skipped when it is already up to date.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PNPM_VERSION = '12.21.0';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = join(root, '.tools');
const pnpmBin = join(toolsDir, 'node_modules', 'pnpm', 'bin', 'pnpm.mjs');
const pathSep = process.platform === 'win32' ? ';' : ':';
// turbo looks for pnpm on PATH.
const env = {
  ...process.env,
  PATH: [join(toolsDir, 'node_modules', '.bin'), join(root, 'node_modules', '.bin'), process.env.PATH].join(pathSep),
  TURBO_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
  TURBO_NO_UPDATE_NOTIFIER: '1',
  // prisma generate only checks that this file exists; the schema engine itself is never run.
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
};

function fail(message) {
  console.error(`civic: ${message}`);
  process.exit(1);
}

function run(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, ...opts });
  if (result.error) fail(`could not run ${cmd}: ${result.error.message}`);
  return result.status ?? 1;
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    fail(`Node ${process.versions.node} is too old; install Node 20.19 or newer.`);
  }
}

function ensurePnpm() {
  if (existsSync(pnpmBin)) {
    const pkg = JSON.parse(readFileSync(join(toolsDir, 'node_modules', 'pnpm', 'package.json'), 'utf8'));
    if (pkg.version === PNPM_VERSION) return;
  }
  mkdirSync(toolsDir, { recursive: true });
  writeFileSync(join(toolsDir, 'package.json'), '{"private":true}\n');
  console.log(`civic: installing pnpm ${PNPM_VERSION} into .tools/`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const status = run(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error', `pnpm@${PNPM_VERSION}`], {
    cwd: toolsDir,
  });
  if (status !== 0) fail('installing pnpm failed; check that the npm registry is reachable.');
}

function pnpm(args, opts) {
  return run(process.execPath, [pnpmBin, ...args], opts);
}

// Hash of everything that decides what `pnpm install` produces.
function installFingerprint() {
  const hash = createHash('sha256');
  for (const file of ['pnpm-lock.yaml', 'pnpm-workspace.yaml', 'package.json']) {
    const path = join(root, file);
    if (existsSync(path)) hash.update(readFileSync(path));
  }
  const list = spawnSync('git', ['ls-files', '*package.json'], { cwd: root, encoding: 'utf8' });
  for (const file of (list.stdout ?? '').split('\n').filter(Boolean).sort()) {
    const path = join(root, file);
    if (existsSync(path)) hash.update(file).update(readFileSync(path));
  }
  return hash.digest('hex');
}

function ensureInstalled() {
  ensurePnpm();
  const stamp = join(root, 'node_modules', '.civic-install');
  const fingerprint = installFingerprint();
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint) return;
  // pnpm installs exactly the committed lockfile when CI is set, and may update it otherwise.
  const status = pnpm(['install', '--reporter=append-only']);
  if (status !== 0) fail('pnpm install failed (see above).');
  writeFileSync(stamp, installFingerprint());
}

// Debian packages the tests need (headless Chromium for the browser tests, wrk for load, HAProxy in front of
// several instances in tests/instances) and the offline
// English-Spanish translator the alignment engine pivots Spanish concerns through (apertium-eng-spa; without it
// the engine still runs on its bilingual lexicon). Installed only where this runs as root with apt, as on the
// project's machines; elsewhere a clear message.
const RUNTIME_PACKAGES = [
  ['apertium', '/usr/bin/apertium'],
  ['apertium-eng-spa', '/usr/share/apertium/modes/spa-eng.mode'],
];
const TEST_PACKAGES = [
  ['chromium', '/usr/bin/chromium'],
  ['wrk', '/usr/bin/wrk'],
  ['haproxy', '/usr/sbin/haproxy'],
  ...RUNTIME_PACKAGES,
];

function ensureSystemPackages(packages = TEST_PACKAGES) {
  const missing = packages.filter(([, path]) => !existsSync(path)).map(([name]) => name);
  if (missing.length === 0) return;
  const canApt = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canApt) {
    console.warn(
      `civic: ${missing.join(', ')} not installed; the browser tests, load tests, the many-instances tests and Spanish-English translation need Debian's packages (apt-get install ${missing.join(' ')})`,
    );
    return;
  }
  console.log(`civic: installing ${missing.join(', ')} from Debian's packages`);
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env: aptEnv });
  run('apt-get', ['install', '-y', '-qq', ...missing], { env: aptEnv });
}

function turbo(args) {
  return pnpm(['exec', 'turbo', 'run', ...args, '--output-logs=errors-only']);
}

checkNode();
const [command = 'start', ...rest] = process.argv.slice(2);
ensureInstalled();

switch (command) {
  case 'setup':
    ensureSystemPackages(RUNTIME_PACKAGES);
    process.exit(turbo(['build']));
    break;
  case 'start': {
    ensureSystemPackages(RUNTIME_PACKAGES);
    if (turbo(['build']) !== 0) fail('the build failed (see above).');
    process.exit(run(process.execPath, [join(root, 'apps/cli/dist/main.js'), 'up', ...rest]));
    break;
  }
  case 'civic': {
    if (turbo(['build', '--filter=@civic/cli...']) !== 0) fail('the build failed (see above).');
    process.exit(run(process.execPath, [join(root, 'apps/cli/dist/main.js'), ...rest], { cwd: process.cwd() }));
    break;
  }
  case 'test':
    ensureSystemPackages();
    process.exit(run(process.execPath, [join(root, 'scripts/test.mjs'), ...rest]));
    break;
  case 'bench':
    ensureSystemPackages();
    if (turbo(['build']) !== 0) fail('the build failed (see above).');
    process.exit(pnpm(['--filter', '@civic/bench', 'exec', 'tsx', 'src/run.ts', ...rest]));
    break;
  default:
    fail(`unknown command "${command}"; use start, test, civic, bench or setup.`);
}
