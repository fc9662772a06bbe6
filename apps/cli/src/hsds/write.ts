import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { compileDocuments, datapackage, type HsdsTableData, PACKAGE_NAME } from './documents.ts';

/** Only a folder this module wrote before is cleared and rewritten. */
export function isEarlierExport(dir: string): boolean {
  try {
    return JSON.parse(readFileSync(join(dir, 'datapackage.json'), 'utf8')).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/**
 * Writes the tables as an HSDS datapackage (CSV + datapackage.json) and the compiled service and
 * organization documents under json/, replacing an earlier export in `dir`. `onFile` is called
 * after each file (for a progress bar); returns how many files there are in all.
 */
export function writeHsdsExport(dir: string, tables: HsdsTableData[], onFile: () => void = () => {}) {
  const documents = compileDocuments(tables);
  for (const entry of existsSync(dir) ? readdirSync(dir) : []) {
    if (entry === 'json' || entry === 'datapackage.json' || entry.endsWith('.csv')) {
      rmSync(join(dir, entry), { recursive: true, force: true });
    }
  }
  mkdirSync(join(dir, 'json', 'services'), { recursive: true });
  mkdirSync(join(dir, 'json', 'organizations'), { recursive: true });
  for (const table of tables) {
    writeFileSync(join(dir, table.path), stringify([table.columns, ...table.rows]));
    onFile();
  }
  writeFileSync(join(dir, 'datapackage.json'), `${JSON.stringify(datapackage(tables, new Date()), null, 2)}\n`);
  onFile();
  for (const [folder, list] of [
    ['services', documents.services],
    ['organizations', documents.organizations],
  ] as const) {
    for (const document of list) {
      writeFileSync(join(dir, 'json', folder, `${document.id}.json`), `${JSON.stringify(document, null, 2)}\n`);
      onFile();
    }
  }
}

/** Files `writeHsdsExport` writes for these tables. */
export function exportFileCount(tables: HsdsTableData[]): number {
  const count = (name: string) => tables.find((t) => t.name === name)?.rows.length ?? 0;
  return tables.length + 1 + count('service') + count('organization');
}
