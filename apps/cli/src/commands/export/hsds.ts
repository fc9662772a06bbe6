import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { connectGateway, reportFailure } from '../../gateway-client.ts';
import { graphql } from '../../graphql.ts';
import { validateHsdsDirectory } from '../../hsds/validate.ts';
import { exportFileCount, isEarlierExport, writeHsdsExport } from '../../hsds/write.ts';
import { progress } from '../../progress.ts';
import type { Subcommand } from '../subcommands.ts';

const COMMAND = 'export hsds';

const help = `civic export hsds — export the resource directory as HSDS 3.0

Usage: npm run civic -- export hsds <dir> [--gateway <url>]

Writes into <dir> (created when missing; it must be empty or hold an earlier HSDS export,
which is replaced):
  datapackage.json           a tabular data package describing the CSV files (HSDS field types)
  organizations.csv, programs.csv, services.csv, locations.csv, addresses.csv,
  service_at_location.csv, schedules.csv, languages.csv, service_areas.csv, phones.csv,
  contacts.csv               one CSV per HSDS table the directory holds
  json/services/<id>.json    each service as an HSDS compiled service document
  json/organizations/<id>.json  each organization with its services, locations and programs

Then validates everything it wrote against the HSDS 3.0 JSON Schemas (JSON Schema 2020-12,
Ajv): each document, each CSV row against its table schema, ids and references. It reports
success only when all of it is valid.

Only HSDS fields of the public directory are exported: no budgets or fiscal years of city
services, no change log, no organization kind, themes or Durham wards/neighborhoods (HSDS has
no field for them). Residents' personal data is not held by the directory at all.

Options:
  --gateway <url>  the running gateway (default CIVIC_GATEWAY_URL or http://127.0.0.1:4000)

Reads through the gateway as ADMIN (CIVIC_ADMIN_TOKEN, or a development token signed with
CIVIC_JWT_SECRET or .data/dev-secrets.json).
Exit codes: 0 written and valid, 1 failed or not valid, 2 wrong usage.`;

const QUERY = graphql(`
  query HsdsExport {
    hsdsExport {
      warnings
      tables {
        name
        path
        columns
        rows
      }
    }
  }
`);

function usage(message: string): number {
  console.error(`civic ${COMMAND}: ${message}\nRun npm run civic -- ${COMMAND} --help for usage.`);
  return 2;
}

export const exportHsds: Subcommand = {
  summary: 'export the resource directory as HSDS 3.0 (CSV datapackage and JSON)',
  help,
  async run(args) {
    let parsed: { values: { gateway?: string }; positionals: string[] };
    try {
      parsed = parseArgs({ args, options: { gateway: { type: 'string' } }, allowPositionals: true, strict: true });
    } catch (error) {
      return usage((error as Error).message);
    }
    const [dirArg, ...extra] = parsed.positionals;
    if (!dirArg) return usage('which folder? give the folder to write the export into');
    if (extra.length > 0) return usage(`one folder only (also got ${extra.join(' ')})`);
    const dir = resolve(dirArg);
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory()) return usage(`${dirArg} is not a folder`);
      if (readdirSync(dir).length > 0 && !isEarlierExport(dir)) {
        return usage(
          `${dirArg} is not empty and holds no earlier HSDS export of this directory; choose an empty folder`,
        );
      }
    }

    try {
      const gateway = await connectGateway({ url: parsed.values.gateway });
      const { hsdsExport } = await gateway.request(QUERY, {});
      const { tables, warnings } = hsdsExport;
      const bar = progress(COMMAND, exportFileCount(tables) + 1);
      writeHsdsExport(dir, tables, () => bar.tick());

      const report = validateHsdsDirectory(dir);
      bar.tick();
      if (report.problems.length > 0) {
        bar.done('not valid');
        console.error(
          `civic ${COMMAND}: the export in ${dirArg} does not validate against HSDS 3.0 (${report.problems.length} problems)`,
        );
        for (const problem of report.problems.slice(0, 50)) console.error(`  ${problem}`);
        return 1;
      }
      bar.done(`${report.rows} rows and ${report.documents} documents written and valid`);
      for (const warning of warnings) console.log(`warning: ${warning}`);
      const count = (name: string) => tables.find((t) => t.name === name)?.rows.length ?? 0;
      console.log(
        `Exported ${count('organization')} organizations and ${count('service')} services to ${dirArg}: ${tables.length} CSV tables (${report.rows} rows), ${report.documents} JSON documents, all valid HSDS 3.0.`,
      );
      return 0;
    } catch (error) {
      return reportFailure(COMMAND, error);
    }
  },
};
