import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HSDS_TABLES } from '@civic/subgraph-resources/hsds/csv';
import { connectGateway, GatewayError, reportFailure } from '../../gateway-client.ts';
import { graphql, type ResultOf } from '../../graphql.ts';
import { progress } from '../../progress.ts';
import type { Subcommand } from '../subcommands.ts';

const COMMAND = 'import hsds';

const help = `civic import hsds — import an HSDS 3.0 CSV dataset into the resource directory

Usage: npm run civic -- import hsds <dir> [--json] [--gateway <url>]

<dir> holds one CSV file per HSDS table (organizations.csv, services.csv, …, as the HSDS 3.0
datapackage names them; service.csv etc. are accepted too). The tables the directory holds are
read: organizations, programs, services, locations, addresses, service_at_location,
service_areas, languages, schedules, phones, contacts. Other HSDS files are listed and skipped.

The whole dataset is checked before anything is stored, and stored in one transaction. Each
problem names file, row (header = row 1) and field, e.g.
  services.csv row 4, field "status": must be one of active, inactive, defunct, temporarily closed
Checked: required fields, enums, numbers, emails, UUID ids, duplicate ids, and references
(a service's organization_id, program_id, …) to rows of the dataset or already in the directory.

Ids are kept. A row whose id is new is created; a row whose id exists is updated where the
dataset differs, each changed field recorded in the change log (HSDS metadata) as done by this
ADMIN; rows the dataset does not mention are left alone. Importing the same dataset again
changes nothing (0 created, 0 updated). Organization kind, themes, Durham wards/neighborhoods
and budgets are not HSDS fields: set on creation (kind inferred, themes suggested), never
overwritten by an import.

Options:
  --json           print the result as JSON
  --gateway <url>  the running gateway (default CIVIC_GATEWAY_URL or http://127.0.0.1:4000)

Runs as ADMIN through the gateway: CIVIC_ADMIN_TOKEN, or a development token signed with
CIVIC_JWT_SECRET or .data/dev-secrets.json.
Exit codes: 0 imported (or nothing to change), 1 refused or failed, 2 wrong usage.`;

const MUTATION = graphql(`
  mutation ImportHsds($files: [HsdsFileInput!]!) {
    importHsdsDataset(files: $files) {
      created
      updated
      unchanged
      warnings
      ignoredFiles
      counts {
        table
        created
        updated
        unchanged
      }
    }
  }
`);

type ImportResult = ResultOf<typeof MUTATION>['importHsdsDataset'];

const HELD = new Set<string>(HSDS_TABLES.flatMap((t) => [t, t === 'addresses' ? 'address' : t.replace(/s$/, '')]));

function usage(message: string): number {
  console.error(`civic ${COMMAND}: ${message}\nRun npm run civic -- ${COMMAND} --help for usage.`);
  return 2;
}

export const importHsds: Subcommand = {
  summary: 'import an HSDS 3.0 CSV dataset into the resources directory',
  help,
  async run(args) {
    let parsed: { values: { json?: boolean; gateway?: string }; positionals: string[] };
    try {
      parsed = parseArgs({
        args,
        options: { json: { type: 'boolean' }, gateway: { type: 'string' } },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      return usage((error as Error).message);
    }
    const [dirArg, ...extra] = parsed.positionals;
    if (!dirArg) return usage('which folder? give the HSDS dataset folder');
    if (extra.length > 0) return usage(`one folder only (also got ${extra.join(' ')})`);
    const dir = resolve(dirArg);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return usage(`${dirArg} is not a folder`);

    const csvFiles = readdirSync(dir)
      .filter((f) => f.toLowerCase().endsWith('.csv'))
      .sort();
    const wanted = csvFiles.filter((f) => HELD.has(f.toLowerCase().slice(0, -4)));
    const skipped = csvFiles.filter((f) => !wanted.includes(f));
    if (wanted.length === 0) {
      console.error(
        `civic ${COMMAND}: ${dirArg} holds no HSDS table this directory imports (organizations.csv, services.csv, …)`,
      );
      return 1;
    }
    try {
      const gateway = await connectGateway({ url: parsed.values.gateway });
      const bar = progress(COMMAND, wanted.length + 1);
      const files = wanted.map((name) => {
        const csv = readFileSync(join(dir, name), 'utf8');
        bar.tick();
        return { name, csv };
      });
      const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.csv), 0);
      let result: ImportResult;
      try {
        result = (await gateway.request(MUTATION, { files })).importHsdsDataset;
      } catch (error) {
        if (error instanceof GatewayError && error.status === 413) {
          throw new Error(
            `the dataset (${Math.ceil(bytes / 1024)} kB of CSV) is larger than the gateway accepts in one request`,
          );
        }
        throw error;
      }
      bar.done(`${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged`);
      if (parsed.values.json) {
        console.log(JSON.stringify({ ...result, skippedFiles: skipped }, null, 2));
        return 0;
      }
      for (const c of result.counts) {
        console.log(`${c.table.padEnd(20)} ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged`);
      }
      for (const warning of result.warnings) console.log(`warning: ${warning}`);
      if (skipped.length > 0) console.log(`skipped (tables the directory does not hold): ${skipped.join(', ')}`);
      console.log(
        `Imported ${dirArg}: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged.`,
      );
      return 0;
    } catch (error) {
      const code = reportFailure(COMMAND, error);
      if (error instanceof GatewayError && error.code === 'BAD_USER_INPUT') {
        const problems = (error.errors[0]?.extensions?.problems ?? []) as { field: string; message: string }[];
        for (const p of problems.slice(0, 50)) console.error(`  ${p.field}: ${p.message}`);
        if (problems.length > 50) console.error(`  … and ${problems.length - 50} more`);
      }
      return code;
    }
  },
};
