import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { connectGateway } from '../../gateway-client.ts';
import { graphql, readFragment } from '../../graphql.ts';
import { ConversationImportFields, describeImport, importFailure, usageError } from '../../import-support.ts';
import type { Subcommand } from '../subcommands.ts';

const COMMAND = 'import conversations';

const help = `civic import conversations — import conversations and concerns from the staff CSV template

Usage: npm run civic -- import conversations <file.csv> [--publish] [--dry-run] [--gateway <url>]

The template (docs/templates/conversations-and-concerns.csv, described in docs/csv-template.md)
has one row per concern; the conversation's columns are repeated on each of its rows (or given
once). Its concern columns (summary, detail, themes, language, neighborhood, supportCount) are
the web client's CSV upload columns, so one file serves both.

  conversationKey            required: your stable id for the conversation; importing the file
                             again finds the conversation by it
  conversationTitle, heldOn  required (heldOn as YYYY-MM-DD)
  format                     required: IN_PERSON, VIRTUAL, HYBRID or ONLINE
  host, conversationLanguages, participantCount, conversationSummary, conversationNeighborhoods
  summary                    required: the concern; detail, themes, language, neighborhood,
  supportCount, mentionCount, moderation (ACCEPTED, REJECTED or PENDING, the default)
  latitude, longitude        optional, both or neither (decimal degrees, WGS 84): the point the
                             concern is about; the neighborhood whose boundary holds it is
                             filled in, and one that disagrees with it is a row error
  neighborhood               a published name in English or Spanish, or a demo-era name
                             (e.g. "Hayti"), any case; an unknown name is a row error

The whole file is one transaction: any problem refuses it, naming the row (header = row 1) and
column, and nothing is stored. Importing it again is safe: unchanged conversations write
nothing, changed ones are updated (a concern is found again by its summary).

Options:
  --publish        publish its conversations (default: new ones are drafts, for staff review)
  --dry-run        check and say what would change, store nothing
  --gateway <url>  the running gateway (default CIVIC_GATEWAY_URL or http://127.0.0.1:4000)

Runs as ADMIN through the gateway: CIVIC_ADMIN_TOKEN, or a development token signed with
CIVIC_JWT_SECRET or .data/dev-secrets.json.
Exit codes: 0 imported (or already imported), 1 refused or failed, 2 wrong usage.`;

const MUTATION = graphql(
  `
  mutation ImportConversationsCsv($input: ImportConversationsCsvInput!) {
    importConversationsCsv(input: $input) {
      ...ConversationImportFields
    }
  }
`,
  [ConversationImportFields],
);

export const importConversations: Subcommand = {
  summary: 'import conversations and concerns from the staff CSV template',
  help,
  async run(args) {
    let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
    try {
      parsed = parseArgs({
        args,
        options: { publish: { type: 'boolean' }, 'dry-run': { type: 'boolean' }, gateway: { type: 'string' } },
        strict: true,
        allowPositionals: true,
      });
    } catch (error) {
      return usageError(COMMAND, (error as Error).message);
    }
    if (parsed.positionals.length !== 1) return usageError(COMMAND, 'give one file: import conversations <file.csv>');
    const path = resolve(parsed.positionals[0] as string);
    if (!existsSync(path) || !statSync(path).isFile())
      return importFailure(COMMAND, new Error(`${path} is not a file`));
    const csv = readFileSync(path, 'utf8');
    const dryRun = Boolean(parsed.values['dry-run']);

    try {
      const gateway = await connectGateway({ url: parsed.values.gateway as string | undefined });
      const results = (
        await gateway.request(MUTATION, {
          input: { csv, fileName: basename(path), publish: Boolean(parsed.values.publish), dryRun },
        })
      ).importConversationsCsv.map((result) => readFragment(ConversationImportFields, result));
      for (const r of results) console.log(`${r.externalId}: ${describeImport(r, dryRun)}`);
      return 0;
    } catch (error) {
      return importFailure(COMMAND, error);
    }
  },
};
