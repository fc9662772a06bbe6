// Composes the committed supergraph.graphql from the subgraphs' printed schemas.
// `--check` fails instead of writing when the committed file is out of date (CI).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { apiSchemaSdl, composeSubgraphs } from '../src/compose.ts';

const check = process.argv.includes('--check');
const target = new URL('../supergraph.graphql', import.meta.url);
const apiTarget = new URL('../api-schema.graphql', import.meta.url);
const result = composeSubgraphs((name) =>
  readFileSync(new URL(`../../subgraphs/${name}/schema.graphql`, import.meta.url), 'utf8'),
);
if (!result.ok) {
  console.error(`composition failed:\n${result.errors.join('\n')}`);
  process.exit(1);
}
const outputs: [URL, string][] = [
  [target, result.supergraphSdl],
  [apiTarget, apiSchemaSdl(result.supergraphSdl)],
];
for (const [file, text] of outputs) {
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (current === text) continue;
  if (check) {
    console.error(`${file.pathname} is out of date: run \`npm run generate\` and commit the result`);
    process.exit(1);
  }
  writeFileSync(file, text);
}
