import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderOpenData } from '@civic/open-data/build';
import { DEFAULT_CATALOG, POD_SCHEMA } from '@civic/open-data/catalog';
import { collectOpenData } from '@civic/open-data/collect';
import type { ExecutePublic } from '@civic/open-data/types';
import { connectGateway, reportFailure } from '../../gateway-client.ts';
import { type Progress, progress } from '../../progress.ts';
import type { Subcommand } from '../subcommands.ts';

const COMMAND = 'export open-data';

const help = `civic export open-data — export the published open data

Usage: npm run civic -- export open-data <dir> [--gateway <url>] [--base-url <url>]

Writes into <dir> (created when missing; it must be empty or hold an earlier open-data export,
whose files are replaced) the same files the gateway serves under /open-data/:
  concerns.csv, .json, .geojson       published concerns (theme, status, neighborhood, ward,
                                      conversation, support and mention counts, public status notes)
  conversations.csv, .json            published conversations
  initiatives.csv, .json              strategic plan initiatives (goal, objective, status, departments)
  measures.csv, .json                 their measures; measure-observations.csv, .json: every observation
  wards.csv, .json, .geojson          council wards with boundaries
  neighborhoods.csv, .json, .geojson  neighborhoods with equity figures (boundaries where published)
  accountability.csv, .json           response times: days from first hearing to first public response
                                      and to Addressed (medians), share answered within 30 days,
                                      citywide and by equity priority, neighborhood and language
  <dataset>.schema.json               each CSV's columns (Frictionless Table Schema)
  data.json                           the catalog, DCAT-US (Project Open Data) v1.1
  index.html                          a page listing them

It reads through the gateway as an anonymous caller (no token, no key), so it holds exactly what
the public API shows anyone: never residents' contact details, drafts or unpublished concerns.

Options:
  --gateway <url>   the running gateway (default CIVIC_GATEWAY_URL or http://127.0.0.1:4000)
  --base-url <url>  where the files will be published, for the links in data.json
                    (default: the gateway's /open-data/)

Exit codes: 0 written, 1 failed (gateway unreachable or refused), 2 wrong usage.`;

function usage(message: string): number {
  console.error(`civic ${COMMAND}: ${message}\nRun npm run civic -- ${COMMAND} --help for usage.`);
  return 2;
}

/** Only a folder this command wrote before (its data.json is our catalog) is written over. */
function isEarlierExport(dir: string): boolean {
  try {
    return JSON.parse(readFileSync(join(dir, 'data.json'), 'utf8')).conformsTo === POD_SCHEMA;
  } catch {
    return false;
  }
}

export const exportOpenData: Subcommand = {
  summary: 'export published open data (CSV, JSON, GeoJSON, data.json)',
  help,
  async run(args) {
    let parsed: { values: { gateway?: string; 'base-url'?: string }; positionals: string[] };
    try {
      parsed = parseArgs({
        args,
        options: { gateway: { type: 'string' }, 'base-url': { type: 'string' } },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      return usage((error as Error).message);
    }
    const [dirArg, ...extra] = parsed.positionals;
    if (!dirArg) return usage('which folder? give the folder to write the open data into');
    if (extra.length > 0) return usage(`one folder only (also got ${extra.join(' ')})`);
    const baseArg = parsed.values['base-url'];
    if (baseArg !== undefined && !/^https?:\/\/[^\s]+$/.test(baseArg)) {
      return usage('--base-url must be an http(s) URL');
    }
    const dir = resolve(dirArg);
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory()) return usage(`${dirArg} is not a folder`);
      if (readdirSync(dir).length > 0 && !isEarlierExport(dir)) {
        return usage(`${dirArg} is not empty and holds no earlier open-data export; choose an empty folder`);
      }
    }

    try {
      const gateway = await connectGateway({ url: parsed.values.gateway, role: 'PUBLIC' });
      const execute: ExecutePublic = (query, variables) => gateway.requestText(query, variables);
      const baseUrl = baseArg
        ? baseArg.endsWith('/')
          ? baseArg
          : `${baseArg}/`
        : new URL('/open-data/', gateway.url).toString();
      const bars = new Map<string, { bar: Progress; done: number }>();
      const snapshot = await collectOpenData(execute, (step, done, total) => {
        let entry = bars.get(step);
        if (!entry) {
          entry = { bar: progress(`${COMMAND}: ${step}`, total), done: 0 };
          bars.set(step, entry);
        }
        entry.bar.tick(done - entry.done);
        entry.done = done;
        if (done >= total) entry.bar.done(`${total} read`);
      });
      const files = renderOpenData(snapshot, { ...DEFAULT_CATALOG, baseUrl });
      mkdirSync(dir, { recursive: true });
      const writing = progress(`${COMMAND}: writing`, files.length);
      let bytes = 0;
      for (const file of files) {
        writeFileSync(join(dir, file.name), file.body);
        bytes += Buffer.byteLength(file.body);
        writing.tick();
      }
      writing.done(`${files.length} files`);
      console.log(
        `Exported ${snapshot.concerns.length} concerns, ${snapshot.conversations.length} conversations, ${snapshot.initiatives.length} initiatives and ${snapshot.measures.length} measures to ${dirArg}: ${files.length} files (${Math.round(bytes / 1024)} KiB), catalog data.json.`,
      );
      return 0;
    } catch (error) {
      return reportFailure(COMMAND, error);
    }
  },
};
