import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findWorkspaceRoot } from '@civic/server-kit/env';
import { describe, expect, test } from 'vitest';

const root = findWorkspaceRoot(new URL('.', import.meta.url).pathname);
/** Where the codes the gateway and subgraphs can return are made. */
const SOURCES = ['apps/gateway/src', 'packages/server-kit/src', 'apps/subgraphs'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (['node_modules', 'dist', 'generated', 'test', 'scripts', 'prisma'].includes(name)) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

const CODE = "'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)'";
const PATTERNS = [
  // extensions: { code: 'X' }
  new RegExp(`\\bcode:\\s*${CODE}`, 'g'),
  // ErrorCode.X
  /\bErrorCode\.([A-Z][A-Z0-9_]+)/g,
  // new HttpError(413, 'X', …), reject('X', …), refuse('X', …), sendOpenError(res, 405, 'X', …)
  new RegExp(`\\b(?:new\\s+HttpError|reject|refuse|sendOpenError|httpError)\\(\\s*(?:[\\w.]+,\\s*)*${CODE}`, 'g'),
];
/** Sets and arrays of codes (CLIENT_CODES, GATEWAY_ONLY_CODES, …): every string in them. */
const CODE_LISTS = /\bconst\s+\w*CODES\w*\s*=\s*(?:new\s+Set(?:<[^>]*>)?\()?\[([\s\S]*?)\]/g;

/** Every error code a source file can send, with where it was found. */
function codesIn(text: string): Set<string> {
  const found = new Set<string>();
  for (const pattern of PATTERNS) for (const m of text.matchAll(pattern)) found.add(m[1] as string);
  for (const list of text.matchAll(CODE_LISTS)) {
    for (const m of (list[1] as string).matchAll(new RegExp(CODE, 'g'))) found.add(m[1] as string);
  }
  const errorCodeObject = /export const ErrorCode = \{([\s\S]*?)\}/.exec(text);
  if (errorCodeObject)
    for (const m of (errorCodeObject[1] as string).matchAll(/([A-Z][A-Z0-9_]+):/g)) found.add(m[1] as string);
  return found;
}

/** Codes the partner guide documents: every `CODE` in its Errors section and limit tables. */
function documentedCodes(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{5,})`/g)].map((m) => m[1] as string));
}

describe('docs/api.md lists every error code', () => {
  const codes = new Map<string, string[]>();
  for (const dir of SOURCES) {
    for (const file of sourceFiles(join(root, dir))) {
      for (const code of codesIn(readFileSync(file, 'utf8'))) {
        codes.set(code, [...(codes.get(code) ?? []), relative(root, file)]);
      }
    }
  }
  const documented = documentedCodes(readFileSync(join(root, 'docs/api.md'), 'utf8'));

  test('the scan finds the codes made in each way (so a missing one can be caught)', () => {
    for (const code of ['BAD_USER_INPUT', 'FORBIDDEN', 'PAYLOAD_TOO_LARGE', 'QUERY_TOO_DEEP', 'GRAPHQL_PARSE_FAILED']) {
      expect(codes.has(code), code).toBe(true);
    }
    expect(codes.size).toBeGreaterThan(15);
    const missing = [...codesIn("throw new HttpError(418, 'TEAPOT_REFUSED', 'no')")].filter((c) => !documented.has(c));
    expect(missing).toEqual(['TEAPOT_REFUSED']);
  });

  test('every code the gateway and subgraphs can return is documented', () => {
    const undocumented = [...codes.keys()].filter((code) => !documented.has(code)).sort();
    expect(
      undocumented.map((code) => `${code} (${codes.get(code)?.join(', ')})`),
      'add a row to the Errors table of docs/api.md',
    ).toEqual([]);
  });
});
