import type { Subcommand } from '../subcommands.ts';

// Placeholder until the command is built in this change; it fails loudly rather than pretending.
export const importHsds: Subcommand = {
  summary: 'import an HSDS 3.0 CSV dataset into the resources directory',
  help: 'civic import hsds: import an HSDS 3.0 CSV dataset into the resources directory',
  async run() {
    console.error('civic import hsds: not built yet');
    return 1;
  },
};
