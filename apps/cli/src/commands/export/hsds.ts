import type { Subcommand } from '../subcommands.ts';

// Placeholder until the command is built in this change; it fails loudly rather than pretending.
export const exportHsds: Subcommand = {
  summary: 'export the resource directory as HSDS 3.0 (CSV datapackage and JSON)',
  help: 'civic export hsds: export the resource directory as HSDS 3.0 (CSV datapackage and JSON)',
  async run() {
    console.error('civic export hsds: not built yet');
    return 1;
  },
};
