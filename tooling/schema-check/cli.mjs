#!/usr/bin/env node
// civic-schema-check [--base <git ref>] [--root <repo>]
//   Compares the working tree's apps/gateway/api-schema.graphql (the public contract) with the base's
//   (default: main, else origin/main) using graphql-inspector. Breaking changes fail the check unless
//   apps/gateway/schema-changes.json declares each one; dangerous and safe changes are only printed.
//   The supergraph is not compared: beyond the API schema it holds only federation wiring clients never see.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compareSchemas, parseDeclarations } from './check.mjs';

const SCHEMA = 'apps/gateway/api-schema.graphql';
const DECLARATIONS = 'apps/gateway/schema-changes.json';
const USAGE = `usage: civic-schema-check [--base <git ref>] [--root <repo>]

Fails (exit 1) when ${SCHEMA} has breaking changes against the base (default main, else origin/main)
that ${DECLARATIONS} does not declare as [{ "change": "<message or path>", "reason": "..." }].
Passes when the base has no such file or the same one. Exit 2 on wrong usage.`;

function fail(message, code = 1) {
  console.error(`schema check: ${message}`);
  process.exit(code);
}

let options;
try {
  ({ values: options } = parseArgs({
    options: { base: { type: 'string' }, root: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  }));
} catch (error) {
  fail(`${error.message}\n${USAGE}`, 2);
}
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}

const git = (args, cwd) => spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const start = resolve(options.root ?? process.cwd());
const top = git(['rev-parse', '--show-toplevel'], start);
const root = top.status === 0 ? top.stdout.trim() : start;
const schemaPath = join(root, SCHEMA);
if (!existsSync(schemaPath)) fail(`${SCHEMA} not found under ${root}`, 2);
if (top.status !== 0) {
  console.log('schema check: no git history here; nothing to compare against (pass)');
  process.exit(0);
}

const bases = options.base ? [options.base] : ['main', 'origin/main'];
let base;
let oldSdl;
for (const ref of bases) {
  if (git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], root).status !== 0) continue;
  base = ref;
  const shown = git(['show', `${ref}:${SCHEMA}`], root);
  if (shown.status === 0) oldSdl = shown.stdout;
  break;
}
if (!base) {
  if (options.base) fail(`unknown git ref "${options.base}"`, 2);
  console.log('schema check: no main or origin/main branch; nothing to compare against (pass)');
  process.exit(0);
}
if (oldSdl === undefined) {
  console.log(`schema check: ${base} has no ${SCHEMA} yet (pass)`);
  process.exit(0);
}
const newSdl = readFileSync(schemaPath, 'utf8');
if (newSdl === oldSdl) {
  console.log(`schema check: ${SCHEMA} is the same as on ${base} (pass)`);
  process.exit(0);
}

let declarations = [];
const declarationsPath = join(root, DECLARATIONS);
if (existsSync(declarationsPath)) {
  try {
    declarations = parseDeclarations(readFileSync(declarationsPath, 'utf8'));
  } catch (error) {
    fail(`${DECLARATIONS}: ${error.message}`);
  }
}

let result;
try {
  result = await compareSchemas(oldSdl, newSdl, declarations);
} catch (error) {
  fail(`cannot compare the schemas: ${error.message}`);
}
const line = (mark, change, extra = '') =>
  console.log(`  ${mark} ${change.message}${change.path ? `  [${change.path}]` : ''}${extra}`);
console.log(`schema check: ${SCHEMA} against ${base}`);
const described = result.safe.filter((c) => c.type.includes('DESCRIPTION'));
for (const change of result.safe) if (!described.includes(change)) line('·', change);
if (described.length > 0) console.log(`  · ${described.length} descriptions added or changed`);
for (const change of result.dangerous) line('⚠', change, ' (dangerous)');
for (const change of result.declared) line('✔', change, ` (breaking, declared: ${change.declaration.reason})`);
for (const change of result.undeclared) line('✖', change, ' (BREAKING)');
const counts = `${result.undeclared.length + result.declared.length} breaking (${result.declared.length} declared), ${result.dangerous.length} dangerous, ${result.safe.length} safe`;
if (result.undeclared.length > 0) {
  fail(
    `${counts}: keep the old fields (deprecate them), or declare each breaking change in ${DECLARATIONS} as { "change": "<message or path>", "reason": "..." }`,
  );
}
console.log(`schema check: ${counts} (pass)`);
