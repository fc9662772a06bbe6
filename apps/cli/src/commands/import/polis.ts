import type { Subcommand } from '../subcommands.ts';

// Placeholder until the command is built in this change; it fails loudly rather than pretending.
export const importPolis: Subcommand = {
  summary: 'import a Polis conversation export (summary.csv + comments.csv)',
  help: 'civic import polis: import a Polis conversation export (summary.csv + comments.csv)',
  async run() {
    console.error('civic import polis: not built yet');
    return 1;
  },
};
