#!/usr/bin/env node
// `npm test`: generate and build (cached by turbo), check that committed generated files are
// current, lint, typecheck, then run every test suite once and print `N passed, N failed`.
//   --postgres URL   run the suites that use a database against that PostgreSQL server instead of PGlite
//   --summary FILE   also write the counts as JSON (CI adds up several runs)
//   --only-tests     skip generate/lint/typecheck (a second pass over the same build)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const postgres = option('--postgres');
const summaryFile = option('--summary');
const onlyTests = args.includes('--only-tests');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const env = { ...process.env };
const failures = [];

function step(label, cmd, cmdArgs, extraEnv = {}) {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', env: { ...env, ...extraEnv } });
  if (result.status !== 0) failures.push(label);
  return result.status === 0;
}

if (!onlyTests) {
  step('generate and build', bin('turbo'), ['run', 'build', '--output-logs=errors-only']);
  // Printed schemas and the supergraph are committed contracts; a stale one is a failure.
  const drift = spawnSync('git', ['status', '--porcelain', '--', '*.graphql', ':(glob)**/graphql-env.d.ts'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (drift.stdout.trim()) {
    console.log(`\n▶ generated contracts\n${drift.stdout}`);
    if (process.env.CI) {
      console.error('Committed generated files are out of date: run `npm run generate` and commit them.');
      failures.push('generated contracts are out of date');
    } else {
      console.log('(updated by this run: commit them)');
    }
  }
  // Breaking changes to the public API schema against main must be declared (apps/gateway/schema-changes.json).
  step('schema compatibility', process.execPath, [join(root, 'tooling', 'schema-check', 'cli.mjs')]);
  step('lint', bin('biome'), ['check', '.']);
  step('typecheck', bin('turbo'), ['run', 'typecheck', '--output-logs=errors-only']);
}

const reportFile = join(root, 'node_modules', '.cache', 'civic-test', `vitest-${process.pid}.json`);
mkdirSync(dirname(reportFile), { recursive: true });
// Suites whose outcome cannot depend on the database engine run once, on the PGlite pass: pure
// libraries, the browser and packaging tests (their stacks' storage is what the other suites test)
// and the benchmarks' own checks.
const DATABASE_INDEPENDENT = [
  '@civic/alignment',
  '@civic/auth',
  '@civic/bench',
  '@civic/client',
  '@civic/example-tests',
  '@civic/geo',
  '@civic/graphql-kit',
  '@civic/migration-tool',
  '@civic/reference-data',
  '@civic/schema-check',
  '@civic/taxonomy',
  '@civic/web',
  '@civic/web-lighthouse',
  '@civic/webhooks',
];
const label = postgres ? 'tests on PostgreSQL' : 'tests on PGlite';
// The gateway's own behaviour (documentation pages, body and query limits, Hive Gateway comparison,
// Open311 mapping) is the same whatever database the subgraphs use. Globs are relative to each
// project's folder, so these names must stay unique across the repository.
const DATABASE_INDEPENDENT_FILES = [
  'test/docs.test.ts',
  'test/body-limits.test.ts',
  'test/limits.test.ts',
  'test/limits-hive.test.ts',
  'test/hive.test.ts',
  'test/open311.test.ts',
];

/** Names of the vitest projects (the folders the root vitest.config.ts lists). */
function testProjects() {
  const folders = ['packages', 'apps', 'apps/subgraphs', 'tests', 'tooling'].flatMap((parent) =>
    readdirSync(join(root, parent)).map((child) => join(root, parent, child)),
  );
  const packages = [...folders, join(root, 'bench')]
    .filter((dir) => existsSync(join(dir, 'vitest.config.ts')))
    .map((dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name);
  // Projects of their own inside a package (named in their config): Lighthouse runs alone, last.
  return [...packages, '@civic/web-lighthouse'];
}
// Suites that need a database server run on the PostgreSQL pass only: several processes of one
// service share a database there, which a PGlite folder cannot be (tests/instances; its deploy/
// manifest checks run there too).
const POSTGRES_ONLY = ['@civic/instances-tests'];
// vitest's --project takes one negation only, so each pass names the projects it keeps.
const projectFilter = postgres
  ? testProjects()
      .filter((name) => !DATABASE_INDEPENDENT.includes(name))
      .map((name) => `--project=${name}`)
      .concat(DATABASE_INDEPENDENT_FILES.map((glob) => `--exclude=${glob}`))
  : testProjects()
      .filter((name) => !POSTGRES_ONLY.includes(name))
      .map((name) => `--project=${name}`);
step(
  label,
  bin('vitest'),
  ['run', ...projectFilter, '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`],
  { DATABASE_URL: postgres ?? '' },
);

let passed = 0;
let failed = 0;
const failedTests = [];
if (existsSync(reportFile)) {
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  passed = report.numPassedTests ?? 0;
  failed = report.numFailedTests ?? 0;
  // A file that fails to load has no tests counted; count it as a failure.
  // The slowest files, for whoever keeps CI under its time budget.
  const durations = (report.testResults ?? [])
    .map((file) => ({
      where: relative(root, file.name ?? ''),
      seconds: ((file.endTime ?? 0) - (file.startTime ?? 0)) / 1000,
    }))
    .sort((a, b) => b.seconds - a.seconds);
  console.log(`\nslowest test files (${label}):`);
  for (const { where, seconds } of durations.slice(0, 25))
    console.log(`  ${seconds.toFixed(0).padStart(5)} s  ${where}`);
  for (const file of report.testResults ?? []) {
    const where = relative(root, file.name ?? '');
    if (file.status === 'failed' && (file.assertionResults ?? []).length === 0) {
      failed++;
      failedTests.push(`${where}: ${firstLine(file.message)}`);
    }
    for (const test of file.assertionResults ?? []) {
      if (test.status === 'failed') {
        const message = test.failureMessages?.[0];
        failedTests.push(`${where}${lineIn(message, where)} > ${test.fullName}: ${failureSummary(message)}`);
      }
    }
  }
  rmSync(reportFile, { force: true });
}
// A failed lint, typecheck or build counts as a failed check.
failed += failures.filter((f) => f !== label).length;
if (summaryFile) writeFileSync(summaryFile, JSON.stringify({ passed, failed, failures, failedTests }));
if (failedTests.length) console.error(`\nFailed tests:\n${failedTests.map((t) => `  ${t}`).join('\n')}`);
if (failures.length) console.error(`\nFailed: ${failures.join(', ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failures.length || failed ? 1 : 0);

/** `:LINE` of the first stack frame in the test file itself, so the summary says which step failed. */
function lineIn(text, where) {
  const file = where.split('/').pop();
  if (!file) return '';
  const frame = new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:(\\d+):\\d+`).exec(String(text ?? ''));
  return frame ? `:${frame[1]}` : '';
}

/** The error's first line and, for a browser wait, what it waited for (Playwright's call log). */
function failureSummary(text) {
  const plain = stripVTControlCharacters(String(text ?? ''));
  const waited = /^\s*- (waiting for .*)$/m.exec(plain)?.[1];
  return waited ? `${firstLine(plain)} (${waited})` : firstLine(plain);
}

function firstLine(text) {
  return (
    stripVTControlCharacters(String(text ?? ''))
      .split('\n')
      .find((line) => line.trim()) ?? ''
  );
}
