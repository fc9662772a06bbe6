import { EnvError } from '@civic/server-kit/env';
import { align, alignHelp } from './commands/align.ts';
import { apiKey, apiKeyHelp } from './commands/api-key.ts';
import { evalCommand } from './commands/eval.ts';
import { exportCommand } from './commands/export.ts';
import { importCommand } from './commands/import.ts';
import { migrate, migrateHelp } from './commands/migrate.ts';
import { seed, seedHelp } from './commands/seed.ts';
import { token, tokenHelp } from './commands/token.ts';
import { up, upHelp } from './commands/up.ts';
import { cliEnv } from './env.ts';

interface Command {
  summary: string;
  help: string;
  run(args: string[]): Promise<number>;
  /** Has kinds (`import polis`), which answer --help themselves. */
  dispatches?: boolean;
}

const COMMANDS: Record<string, Command> = {
  up: { summary: 'start every service (what npm start runs)', help: upHelp, run: () => up() },
  migrate: { summary: 'apply pending database migrations', help: migrateHelp, run: () => migrate() },
  seed: { summary: 'load demo data, or a synthetic dataset at scale N', help: seedHelp, run: seed },
  import: {
    summary: 'import Polis, HSDS or CSV-template data',
    help: importCommand.help,
    run: importCommand.run,
    dispatches: true,
  },
  export: { summary: 'export HSDS or open data', help: exportCommand.help, run: exportCommand.run, dispatches: true },
  eval: {
    summary: 'score the alignment engine on a labelled set',
    help: evalCommand.help,
    run: evalCommand.run,
    dispatches: true,
  },
  align: { summary: 'recompute tags, translations and same-issue groups (--rebuild)', help: alignHelp, run: align },
  token: { summary: 'print a development STAFF or ADMIN sign-in token', help: tokenHelp, run: token },
  'api-key': { summary: 'create, revoke or list partner API keys', help: apiKeyHelp, run: apiKey },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `Civic Graph operations CLI

Usage: npm run civic -- <command> [options]
       npm run civic -- <command> --help

Commands:
${lines.join('\n')}

Exit codes: 0 success, 1 the command failed, 2 wrong usage.`;
}

const [name, ...args] = process.argv.slice(2);
if (!name || name === '--help' || name === '-h' || name === 'help') {
  console.log(usage());
  process.exit(name ? 0 : 2);
}
const command = COMMANDS[name];
if (!command) {
  console.error(`civic: unknown command "${name}"\n\n${usage()}`);
  process.exit(2);
}
const wantsHelp = command.dispatches
  ? args[0] === '--help' || args[0] === '-h'
  : args.includes('--help') || args.includes('-h');
if (wantsHelp) {
  console.log(command.help);
  process.exit(0);
}
try {
  cliEnv();
} catch (error) {
  if (!(error instanceof EnvError)) throw error;
  console.error(`civic ${name}: ${error.message}`);
  process.exit(1);
}
process.exit(await command.run(args));
