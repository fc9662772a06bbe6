import type { Subcommand } from '../subcommands.ts';

// Placeholder until the command is built in this change; it fails loudly rather than pretending.
export const importConversations: Subcommand = {
  summary: 'import conversations and concerns from the staff CSV template',
  help: 'civic import conversations: import conversations and concerns from the staff CSV template',
  async run() {
    console.error('civic import conversations: not built yet');
    return 1;
  },
};
