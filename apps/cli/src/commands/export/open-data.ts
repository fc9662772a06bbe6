import type { Subcommand } from '../subcommands.ts';

// Placeholder until the command is built in this change; it fails loudly rather than pretending.
export const exportOpenData: Subcommand = {
  summary: 'export published open data (CSV, JSON, GeoJSON, data.json)',
  help: 'civic export open-data: export published open data (CSV, JSON, GeoJSON, data.json)',
  async run() {
    console.error('civic export open-data: not built yet');
    return 1;
  },
};
