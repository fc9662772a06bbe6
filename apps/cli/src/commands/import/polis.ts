import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { connectGateway } from '../../gateway-client.ts';
import { graphql, readFragment } from '../../graphql.ts';
import {
  type ConversationImport,
  ConversationImportFields,
  describeImport,
  importFailure,
  usageError,
} from '../../import-support.ts';
import { progress } from '../../progress.ts';
import type { Subcommand } from '../subcommands.ts';

const COMMAND = 'import polis';
const FILES = ['summary.csv', 'comments.csv'] as const;

const help = `civic import polis — import Polis conversation exports (summary.csv + comments.csv)

Usage: npm run civic -- import polis <dir> [--draft] [--dry-run] [--gateway <url>]

<dir> is one export folder (holding summary.csv and comments.csv, as Polis exports them) or a
folder of such folders; each export becomes one conversation, with a progress bar.

  statements     one concern each; the same text posted twice is one concern raised twice
  moderated      1: accepted (public once the conversation is published), -1: rejected (kept,
                 never public), 0: pending moderation
  agrees         the concern's support count
  summary.csv    topic → title, conversation-description → summary, voters → participants,
                 url → source (its last part, e.g. 9wtchdmmun, identifies the conversation)
  held on        the time of the first statement

Every export is checked before anything is stored: a malformed file imports nothing, and the
error names the file, row (header = row 1) and column. Importing an export again is safe: an
unchanged one writes nothing ("already imported and unchanged"), a newer export of the same
conversation adds its new statements and updates votes and moderation.

Options:
  --draft          leave new conversations as drafts (default: published, as Polis data is public)
  --dry-run        check and say what would change, store nothing
  --gateway <url>  the running gateway (default CIVIC_GATEWAY_URL or http://127.0.0.1:4000)

Runs as ADMIN through the gateway: CIVIC_ADMIN_TOKEN, or a development token signed with
CIVIC_JWT_SECRET or .data/dev-secrets.json.
Exit codes: 0 imported (or already imported), 1 refused or failed, 2 wrong usage.`;

interface PolisExport {
  name: string;
  summaryCsv: string;
  commentsCsv: string;
}

const MUTATION = graphql(
  `
  mutation ImportPolis($input: ImportPolisExportInput!) {
    importPolisExport(input: $input) {
      ...ConversationImportFields
    }
  }
`,
  [ConversationImportFields],
);

/** The export folders under dir: dir itself when it holds the files, otherwise its subfolders that do. */
function findExports(dir: string): { folders: string[] } | { error: string } {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return { error: `${dir} is not a folder` };
  const has = (folder: string, file: string) => existsSync(join(folder, file));
  if (FILES.some((f) => has(dir, f))) {
    const missing = FILES.find((f) => !has(dir, f));
    return missing ? { error: `${join(dir, missing)} is missing` } : { folders: [dir] };
  }
  const folders = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(dir, e.name))
    .filter((folder) => FILES.some((f) => has(folder, f)))
    .sort();
  if (folders.length === 0) return { error: `${dir} holds no Polis export (summary.csv + comments.csv)` };
  for (const folder of folders) {
    const missing = FILES.find((f) => !has(folder, f));
    if (missing) return { error: `${join(folder, missing)} is missing` };
  }
  return { folders };
}

export const importPolis: Subcommand = {
  summary: 'import a Polis conversation export (summary.csv + comments.csv)',
  help,
  async run(args) {
    let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
    try {
      parsed = parseArgs({
        args,
        options: { draft: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, gateway: { type: 'string' } },
        strict: true,
        allowPositionals: true,
      });
    } catch (error) {
      return usageError(COMMAND, (error as Error).message);
    }
    if (parsed.positionals.length !== 1) return usageError(COMMAND, 'give one folder: import polis <dir>');
    const dir = resolve(parsed.positionals[0] as string);
    const found = findExports(dir);
    if ('error' in found) return importFailure(COMMAND, new Error(found.error));
    const exports: PolisExport[] = found.folders.map((folder) => ({
      name: basename(folder),
      summaryCsv: readFileSync(join(folder, 'summary.csv'), 'utf8'),
      commentsCsv: readFileSync(join(folder, 'comments.csv'), 'utf8'),
    }));
    const publish = !parsed.values.draft;
    const dryRun = Boolean(parsed.values['dry-run']);

    let gateway: Awaited<ReturnType<typeof connectGateway>>;
    try {
      gateway = await connectGateway({ url: parsed.values.gateway as string | undefined });
    } catch (error) {
      return importFailure(COMMAND, error);
    }
    const send = async (e: PolisExport, dry: boolean): Promise<ConversationImport> =>
      readFragment(
        ConversationImportFields,
        (
          await gateway.request(MUTATION, {
            input: { summaryCsv: e.summaryCsv, commentsCsv: e.commentsCsv, publish, dryRun: dry },
          })
        ).importPolisExport,
      );

    // Every export is checked before any is stored, so a bad file in the folder imports nothing.
    const checks: ConversationImport[] = [];
    for (const e of exports) {
      try {
        checks.push(await send(e, true));
      } catch (error) {
        return importFailure(COMMAND, error, `${e.name}/`);
      }
    }
    if (dryRun) {
      for (const [i, r] of checks.entries()) console.log(`${exports[i]?.name}: ${describeImport(r, true)}`);
      return 0;
    }

    const bar = progress('importing Polis exports', exports.length);
    const results: ConversationImport[] = [];
    for (const e of exports) {
      try {
        const r = await send(e, false);
        results.push(r);
        bar.tick();
      } catch (error) {
        bar.done('stopped');
        return importFailure(COMMAND, error, `${e.name}/`);
      }
    }
    bar.done(`${results.filter((r) => r.outcome !== 'UNCHANGED').length} of ${results.length} changed`);
    for (const [i, r] of results.entries()) console.log(`${exports[i]?.name}: ${describeImport(r)}`);
    return 0;
  },
};
