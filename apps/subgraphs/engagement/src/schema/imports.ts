import { z } from 'zod';
import { builder } from '../builder.ts';
import { readConversationsCsv } from '../domain/conversations-csv.ts';
import { type ConversationImportResult, importConversations } from '../domain/imports.ts';
import { neighborhoodLookup } from '../domain/neighborhood-names.ts';
import { polisConversation } from '../domain/polis.ts';
import { parseInput } from '../domain/write.ts';
import { Conversation } from './conversation.ts';

const MAX_FILE = 10_000_000;
const file = z.string().max(MAX_FILE, `must be at most ${MAX_FILE} characters`);

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
  fields: (t) => ({
    summaryCsv: t.string({ required: true, description: 'summary.csv (key,value lines).' }),
    commentsCsv: t.string({ required: true, description: 'comments.csv (one statement per row).' }),
    externalId: t.string({ required: false, description: 'Its id (default: the last part of the summary url).' }),
    publish: t.boolean({ required: false, description: 'Publish the conversation (default true).' }),
    dryRun: t.boolean({ required: false, description: 'Check and report what would change, write nothing.' }),
  }),
});

const ImportConversationsCsvInput = builder.inputType('ImportConversationsCsvInput', {
  description: 'The staff CSV template of conversations and concerns (docs/csv-template.md).',
  fields: (t) => ({
    csv: t.string({ required: true, description: 'The file’s text.' }),
    fileName: t.string({ required: false, description: 'Its name, used in error messages.' }),
    publish: t.boolean({ required: false, description: 'Publish its conversations (default false: drafts).' }),
    dryRun: t.boolean({ required: false, description: 'Check and report what would change, write nothing.' }),
  }),
});

const polisInput = z.object({
  summaryCsv: file,
  commentsCsv: file,
  externalId: z.string().trim().max(200).nullish(),
  publish: z.boolean().nullish(),
  dryRun: z.boolean().nullish(),
});
const csvInput = z.object({
  csv: file,
  fileName: z
    .string()
    .trim()
    .max(200)
    .nullish()
    .transform((v) => v || 'conversations.csv'),
  publish: z.boolean().nullish(),
  dryRun: z.boolean().nullish(),
});

builder.mutationFields((t) => ({
  importPolisExport: t.field({
    type: ConversationImport,
    authScopes: { staff: true },
    description:
      'Imports a Polis export as one conversation with its statements as concerns, in one transaction; importing it again updates what changed or writes nothing (staff). Errors name the file, row and column.',
    args: { input: t.arg({ type: ImportPolisExportInput, required: true, description: 'The export.' }) },
    resolve: async (_root, args, ctx) => {
      const input = parseInput(polisInput, args.input);
      const conversation = polisConversation(input.summaryCsv, input.commentsCsv, input.externalId);
      const [result] = await importConversations(ctx.prisma, ctx.identity, [conversation], {
        publish: input.publish ?? true,
        dryRun: input.dryRun ?? false,
      });
      return result as ConversationImportResult;
    },
  }),
  importConversationsCsv: t.field({
    type: [ConversationImport],
    authScopes: { staff: true },
    description:
      'Imports the staff CSV template: every conversation of the file in one transaction, found again by its conversationKey on a re-import (staff). Errors name the file, row and column.',
    args: { input: t.arg({ type: ImportConversationsCsvInput, required: true, description: 'The file.' }) },
    resolve: async (_root, args, ctx) => {
      const input = parseInput(csvInput, args.input);
      const neighborhoods = await ctx.prisma.neighborhood.findMany({
        select: { id: true, name: true, nameEs: true, slug: true },
      });
      const conversations = readConversationsCsv(input.fileName, input.csv, neighborhoodLookup(neighborhoods));
      return importConversations(ctx.prisma, ctx.identity, conversations, {
        publish: input.publish ?? false,
        dryRun: input.dryRun ?? false,
      });
    },
  }),
}));
