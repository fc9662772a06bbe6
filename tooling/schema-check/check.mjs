import { diff } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';

/**
 * @typedef {{ change: string, reason: string }} Declaration  a breaking change made on purpose
 * @typedef {{ type: string, message: string, path?: string, level: 'BREAKING' | 'DANGEROUS' | 'NON_BREAKING', reason?: string }} Change
 */

/**
 * Reads a declarations file's text: a JSON array of { change, reason }, where `change` is a change's message
 * or its schema path (e.g. "Query.concerns") and `reason` says why clients may live with it.
 * @param {string} text
 * @returns {Declaration[]}
 */
export function parseDeclarations(text) {
  const value = JSON.parse(text);
  if (!Array.isArray(value)) throw new Error('must be a JSON array of { "change", "reason" }');
  value.forEach((entry, i) => {
    if (typeof entry?.change !== 'string' || !entry.change.trim()) throw new Error(`entry ${i} has no "change"`);
    if (typeof entry?.reason !== 'string' || !entry.reason.trim()) throw new Error(`entry ${i} has no "reason"`);
  });
  return value;
}

/**
 * Compares two SDL documents with graphql-inspector.
 * @param {string} oldSdl
 * @param {string} newSdl
 * @param {Declaration[]} declarations
 */
export async function compareSchemas(oldSdl, newSdl, declarations = []) {
  const changes = (await diff(buildSchema(oldSdl), buildSchema(newSdl))).map((c) => ({
    type: c.type,
    message: c.message,
    path: c.path,
    level: c.criticality.level,
    reason: c.criticality.reason,
  }));
  const declarationOf = (change) =>
    declarations.find((d) => d.change === change.message || (change.path && d.change === change.path));
  const breaking = changes.filter((c) => c.level === 'BREAKING');
  return {
    undeclared: breaking.filter((c) => !declarationOf(c)),
    declared: breaking.filter((c) => declarationOf(c)).map((c) => ({ ...c, declaration: declarationOf(c) })),
    dangerous: changes.filter((c) => c.level === 'DANGEROUS'),
    safe: changes.filter((c) => c.level === 'NON_BREAKING'),
  };
}
