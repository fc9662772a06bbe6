import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const repo = new URL('../../../', import.meta.url).pathname;
const fixtures = new URL('./fixtures/', import.meta.url).pathname;

/** The HSDS 3.0 example's tables: those the directory maps (the demo seed's copy), then the others. */
const HSDS_EXAMPLE_PARTS = [join(repo, 'apps/subgraphs/resources/data/hsds-example'), join(fixtures, 'hsds-example')];

/**
 * The compiled service and organization schemas HSDS publishes for validating exports: 5.7 MB, too
 * large to copy into the repository, so read from the workspace's shared data beside it
 * (../shared/data/hsds/schema/compiled, see the root README).
 */
export const HSDS_COMPILED_SCHEMAS = join(repo, '../shared/data/hsds/schema/compiled');

/**
 * sha256 of each published HSDS 3.0 table schema as parsed JSON (`JSON.stringify(JSON.parse(file))`),
 * taken from ../shared/data/hsds/schema, for checking that the bundled copies are the published ones.
 */
export const HSDS_SCHEMA_DIGESTS = JSON.parse(
  readFileSync(join(fixtures, 'hsds-schema-digests.json'), 'utf8'),
) as Record<string, string>;

/** One CSV of the HSDS example (e.g. services.csv), or undefined for a table the example lacks. */
export function hsdsExampleCsv(file: string): string | undefined {
  for (const dir of HSDS_EXAMPLE_PARTS) {
    if (existsSync(join(dir, file))) return readFileSync(join(dir, file), 'utf8');
  }
  return undefined;
}

/** Copies the whole HSDS example (one CSV per table) into `dir`. */
export function copyHsdsExample(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const from of HSDS_EXAMPLE_PARTS) {
    for (const file of readdirSync(from).filter((f) => f.endsWith('.csv'))) cpSync(join(from, file), join(dir, file));
  }
  return dir;
}

export const POLIS_EXPORTS = [
  'american-assembly.bowling-green',
  'bg2050-volunteers',
  'london.youth.policing',
  'scoop-hivemind.affordable-housing',
] as const;

/** Where each Polis export is kept: Bowling Green is the demo seed's copy, the others are test fixtures. */
function polisExportSource(name: (typeof POLIS_EXPORTS)[number]): string {
  return name === 'american-assembly.bowling-green'
    ? join(repo, 'packages/reference-data/data/polis', name)
    : join(fixtures, 'polis', name);
}

/** Copies the four Polis exports into `dir`, one folder each. */
export function copyPolisExports(dir: string): string {
  for (const name of POLIS_EXPORTS) cpSync(polisExportSource(name), join(dir, name), { recursive: true });
  return dir;
}
