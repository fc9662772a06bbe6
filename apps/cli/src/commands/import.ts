import { importConversations } from './import/conversations.ts';
import { importHsds } from './import/hsds.ts';
import { importPolis } from './import/polis.ts';
import { dispatch } from './subcommands.ts';

export const importCommand = dispatch('import', {
  polis: importPolis,
  hsds: importHsds,
  conversations: importConversations,
});
