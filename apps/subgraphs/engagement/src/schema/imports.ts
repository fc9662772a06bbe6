import { builder } from '../builder.ts';
import {
  CONVERSATIONS_CSV_INPUT,
  type ConversationImportResult,
  importConversationsCsv,
  importPolisExport,
  POLIS_EXPORT_INPUT,
} from '../domain/imports.ts';
import { Conversation } from './conversation.ts';

const ImportOutcome = builder.enumType('ImportOutcome', {
  description: 'What an import did with a conversation.',
  values: {
    CREATED: { description: 'It was new and was recorded.' },
    UPDATED: { description: 'It was recorded before; what changed in the source was updated.' },
    UNCHANGED: { description: 'It was recorded before, exactly as it is now: nothing was written.' },
  } as const,
});

const ConversationImport = builder.objectRef<ConversationImportResult>('ConversationImport').implement({
  description: 'The result of importing one conversation.',
  fields: (t) => ({
    externalId: t.exposeString('externalId', { description: 'Its id in the source (Polis id, CSV conversationKey).' }),
    title: t.exposeString('title', { description: 'Its title.' }),
    outcome: t.field({ type: ImportOutcome, description: 'What was done.', resolve: (r) => r.outcome }),
    concerns: t.exposeInt('concerns', { description: 'Concerns in the source.' }),
    concernsCreated: t.exposeInt('concernsCreated', { description: 'Concerns added by this import.' }),
    concernsUpdated: t.exposeInt('concernsUpdated', { description: 'Concerns changed by this import.' }),
    publicConcerns: t.exposeInt('publicConcerns', {
      description: 'Concerns of the source everyone can see (accepted, in a published conversation).',
    }),
    published: t.exposeBoolean('published', { description: 'Whether the conversation is published.' }),
    conversation: t.field({
      type: Conversation,
      nullable: true,
      description: 'The conversation (null on a dry run of a new one).',
      resolve: (r) => r.conversation,
    }),
  }),
});

const ImportPolisExportInput = builder.inputType('ImportPolisExportInput', {
  description: 'A Polis conversation export: the text of its summary.csv and comments.csv.',
  fields: (t) => POLIS_EXPORT_INPUT.fields(t),
});

const ImportConversationsCsvInput = builder.inputType('ImportConversationsCsvInput', {
  description: 'The staff CSV template of conversations and concerns (docs/csv-template.md).',
  fields: (t) => CONVERSATIONS_CSV_INPUT.fields(t),
});

builder.mutationFields((t) => ({
  importPolisExport: t.field({
    type: ConversationImport,
    authScopes: { staff: true },
    description:
      'Imports a Polis export as one conversation with its statements as concerns, in one transaction; importing it again updates what changed or writes nothing (staff). Errors name the file, row and column.',
    args: { input: t.arg({ type: ImportPolisExportInput, required: true, description: 'The export.' }) },
    resolve: (_root, args, ctx) => importPolisExport(ctx, args.input),
  }),
  importConversationsCsv: t.field({
    type: [ConversationImport],
    authScopes: { staff: true },
    description:
      'Imports the staff CSV template: every conversation of the file in one transaction, found again by its conversationKey on a re-import (staff). Errors name the file, row and column.',
    args: { input: t.arg({ type: ImportConversationsCsvInput, required: true, description: 'The file.' }) },
    resolve: (_root, args, ctx) => importConversationsCsv(ctx, args.input),
  }),
}));
