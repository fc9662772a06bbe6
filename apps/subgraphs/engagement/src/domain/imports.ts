import { actorOf } from '@civic/graphql-kit/actor';
import { inTransaction, parseInput } from '@civic/graphql-kit/write';
import { conflict } from '@civic/server-kit/errors';
import type { Identity } from '@civic/server-kit/identity';
import { z } from 'zod';
import type { Context } from '../context.ts';
import type { EngagementPrisma } from '../db.ts';
import type { Concern, Conversation, Prisma } from '../generated/prisma/client.ts';
import { type AuditRecord, audit } from './audit.ts';
import { loadCityAreas, placeConcerns, pointColumns } from './concern-location.ts';
import {
  addConcerns,
  type CreateConversationInput,
  createConversationInput,
  requireNeighborhoods,
} from './conversation.ts';
import { readConversationsCsv } from './conversations-csv.ts';
import { type Place, Problems } from './import-csv.ts';
import { type InputFieldSpec, inputTable } from './input-rules.ts';
import { neighborhoodLookup } from './neighborhood-names.ts';
import { polisConversation } from './polis.ts';

/**
 * A conversation read from a file (a Polis export, the staff CSV template), with where each of
 * its values came from so that every problem can name the file, row and column.
 */
export interface ImportedConversation {
  /** Checked by createConversationInput, the same rules as createConversation. */
  input: {
    title: string;
    heldOn: Date;
    host?: string | null;
    languages?: string[];
    format: string;
    participantCount?: number;
    summary?: string | null;
    neighborhoodIds?: string[];
    source: {
      kind: 'POLIS' | 'CSV';
      externalId: string;
      url?: string | null;
      attribution?: string | null;
      license?: string | null;
    };
    concerns: {
      summary: string;
      detail?: string | null;
      themes?: string[];
      language?: string;
      neighborhoodId?: string | null;
      location?: { latitude: number; longitude: number } | null;
      supportCount?: number;
      mentionCount?: number;
      moderation?: string;
    }[];
  };
  /**
   * Per concern: its key in the source (same key on a re-import = same concern), and when it was said;
   * `id` only from the demo seed, which gives stable ids (files never choose ids).
   */
  concernKeys: { key: string; sourceExternalId: string | null; createdAt?: Date; id?: string }[];
  /** The conversation's id when created: only the demo seed gives one (stable across runs). */
  id?: string;
  /** Where a conversation field, or a field of concern i, came from. */
  locate(path: (string | number)[]): Place;
  /** Themes come from the file (CSV) rather than suggested from the text (Polis): a re-import may change them. */
  themesFromSource: boolean;
}

export type ImportOutcome = 'CREATED' | 'UPDATED' | 'UNCHANGED';

export interface ConversationImportResult {
  externalId: string;
  title: string;
  outcome: ImportOutcome;
  concerns: number;
  concernsCreated: number;
  concernsUpdated: number;
  /** Concerns everyone can see once imported (accepted, in a published conversation). */
  publicConcerns: number;
  published: boolean;
  /** Null on a dry run of a new conversation. */
  conversation: Conversation | null;
}

export interface ImportOptions {
  publish: boolean;
  dryRun: boolean;
}

type Parsed = CreateConversationInput & { source: NonNullable<CreateConversationInput['source']> };

/**
 * Checks the points of the concerns against the city's areas and fills in the neighborhood holding
 * each point where none was given; a problem names the file, row and column.
 */
async function placeImported(prisma: EngagementPrisma, items: ImportedConversation[], inputs: Parsed[]) {
  if (!inputs.some((input) => input.concerns.some((c) => c.location))) return inputs;
  const areas = await loadCityAreas(prisma);
  const problems = new Problems();
  const placed = inputs.map((input, n) => {
    const result = placeConcerns(areas, input.concerns);
    for (const p of result.problems)
      problems.add((items[n] as ImportedConversation).locate(['concerns', p.index, p.field]), p.message);
    return { ...input, concerns: result.placed };
  });
  problems.throwIfAny();
  return placed;
}

/** Validates every conversation with createConversation's rules, naming the file, row and column of each problem. */
function validate(items: ImportedConversation[]): Parsed[] {
  const problems = new Problems();
  const parsed = items.map((item) => {
    const result = createConversationInput.safeParse(item.input);
    if (result.success) return result.data as Parsed;
    for (const issue of result.error.issues) {
      const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
      problems.add(item.locate(path), issue.message);
    }
    return null;
  });
  problems.throwIfAny();
  return parsed as Parsed[];
}

const concernKey = (c: Pick<Concern, 'sourceExternalId' | 'summary'>) => c.sourceExternalId ?? c.summary.toLowerCase();
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

interface Plan {
  item: ImportedConversation;
  input: Parsed;
  existing: (Conversation & { concerns: Concern[]; neighborhoods: { neighborhoodId: string }[] }) | null;
  conversationChanges: Prisma.ConversationUpdateInput;
  neighborhoodsChange: string[] | null;
  publish: boolean;
  create: number[];
  update: { index: number; before: Concern; data: Prisma.ConcernUpdateInput }[];
}

function conversationChanges(input: Parsed, before: Conversation): Prisma.ConversationUpdateInput {
  const after = {
    title: input.title,
    heldOn: input.heldOn,
    host: input.host,
    format: input.format,
    participantCount: input.participantCount,
    summary: input.summary,
    sourceUrl: input.source.url,
    sourceAttribution: input.source.attribution,
    sourceLicense: input.source.license,
  };
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    const old = before[key as keyof Conversation];
    const same = value instanceof Date ? old instanceof Date && old.getTime() === value.getTime() : old === value;
    if (!same) changes[key] = value;
  }
  if (!sameList(before.languages, input.languages)) changes.languages = input.languages;
  return changes as Prisma.ConversationUpdateInput;
}

function concernChanges(
  c: Parsed['concerns'][number],
  before: Concern,
  themesFromSource: boolean,
): Prisma.ConcernUpdateInput {
  const after = {
    summary: c.summary,
    detail: c.detail,
    language: c.language,
    neighborhoodId: c.neighborhoodId,
    supportCount: c.supportCount,
    mentionCount: c.mentionCount,
    moderation: c.moderation,
    ...pointColumns(c.location),
  };
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(after)) {
    if (before[key as keyof Concern] !== value) changes[key] = value;
  }
  if (themesFromSource && !sameList(before.themes, c.themes)) changes.themes = c.themes;
  if (changes.neighborhoodId !== undefined) {
    changes.neighborhood = c.neighborhoodId ? { connect: { id: c.neighborhoodId } } : { disconnect: true };
    delete changes.neighborhoodId;
  }
  return changes as Prisma.ConcernUpdateInput;
}

/**
 * Imports conversations idempotently, all in one transaction: a conversation is found again by
 * its source (kind + external id) and its concerns by their key in the source. What is new is
 * created, what changed in the source is updated, and a second identical import writes nothing.
 * Staff work on imported concerns (status, alignments, citywide grouping) is never touched.
 */
export async function importConversations(
  prisma: EngagementPrisma,
  identity: Identity,
  items: ImportedConversation[],
  options: ImportOptions,
): Promise<ConversationImportResult[]> {
  const validated = validate(items);
  await requireNeighborhoods(prisma, [
    ...validated.flatMap((i) => i.neighborhoodIds),
    ...validated.flatMap((i) => i.concerns.map((c) => c.neighborhoodId)),
  ]);
  const inputs = await placeImported(prisma, items, validated);
  const existingRows = await prisma.conversation.findMany({
    where: { OR: inputs.map((i) => ({ sourceKind: i.source.kind, sourceExternalId: i.source.externalId })) },
    include: { concerns: true, neighborhoods: { select: { neighborhoodId: true } } },
  });
  const bySource = new Map(existingRows.map((c) => [`${c.sourceKind}:${c.sourceExternalId}`, c]));
  const clashes = await prisma.conversation.findMany({
    where: { OR: inputs.map((i) => ({ title: i.title, heldOn: i.heldOn })) },
    select: { id: true, title: true, heldOn: true },
  });

  const problems = new Problems();
  const seenTitles = new Map<string, number>();
  const plans: Plan[] = inputs.map((input, n) => {
    const item = items[n] as ImportedConversation;
    const existing = bySource.get(`${input.source.kind}:${input.source.externalId}`) ?? null;
    const titleKey = `${input.title}\u0000${input.heldOn.toISOString()}`;
    const clash = clashes.find(
      (c) => c.title === input.title && c.heldOn.getTime() === input.heldOn.getTime() && c.id !== existing?.id,
    );
    if (clash || seenTitles.has(titleKey)) {
      problems.add(item.locate(['title']), 'a conversation with this title and date was already recorded');
    }
    seenTitles.set(titleKey, n);
    const plan: Plan = {
      item,
      input,
      existing,
      conversationChanges: {},
      neighborhoodsChange: null,
      publish: options.publish && existing?.status !== 'PUBLISHED',
      create: [],
      update: [],
    };
    if (!existing) {
      plan.create = input.concerns.map((_c, i) => i);
      return plan;
    }
    plan.conversationChanges = conversationChanges(input, existing);
    const beforeIds = existing.neighborhoods.map((l) => l.neighborhoodId).sort();
    if (!sameList(beforeIds, [...input.neighborhoodIds].sort())) plan.neighborhoodsChange = input.neighborhoodIds;
    const known = new Map(existing.concerns.map((c) => [concernKey(c), c]));
    input.concerns.forEach((c, i) => {
      const before = known.get(item.concernKeys[i]?.key ?? '');
      if (!before) {
        plan.create.push(i);
        return;
      }
      const data = concernChanges(c, before, item.themesFromSource);
      if (Object.keys(data).length > 0) plan.update.push({ index: i, before, data });
    });
    return plan;
  });
  problems.throwIfAny((message) => conflict(message));

  const outcome = (p: Plan): ImportOutcome => {
    if (!p.existing) return 'CREATED';
    const changed =
      Object.keys(p.conversationChanges).length > 0 ||
      p.neighborhoodsChange !== null ||
      p.publish ||
      p.create.length > 0 ||
      p.update.length > 0;
    return changed ? 'UPDATED' : 'UNCHANGED';
  };
  const result = (p: Plan, conversation: Conversation | null): ConversationImportResult => {
    const published = p.publish || p.existing?.status === 'PUBLISHED';
    return {
      externalId: p.input.source.externalId as string,
      title: p.input.title,
      outcome: outcome(p),
      concerns: p.input.concerns.length,
      concernsCreated: p.create.length,
      concernsUpdated: p.update.length,
      publicConcerns: published ? p.input.concerns.filter((c) => c.moderation === 'ACCEPTED').length : 0,
      published,
      conversation,
    };
  };
  if (options.dryRun || plans.every((p) => outcome(p) === 'UNCHANGED')) {
    return plans.map((p) => result(p, p.existing));
  }

  return inTransaction(
    prisma,
    async (tx) => {
      const log: AuditRecord[] = [];
      const results: ConversationImportResult[] = [];
      for (const plan of plans) {
        if (outcome(plan) === 'UNCHANGED') {
          results.push(result(plan, plan.existing));
          continue;
        }
        const conversation = plan.existing
          ? await updateImported(tx, plan, log)
          : await createImported(tx, identity, plan, log);
        const concerns = plan.create.map((i) => ({
          ...(plan.input.concerns[i] as Parsed['concerns'][number]),
          sourceExternalId: plan.item.concernKeys[i]?.sourceExternalId ?? null,
          createdAt: plan.item.concernKeys[i]?.createdAt,
          id: plan.item.concernKeys[i]?.id,
        }));
        await addConcerns(tx, identity, conversation, concerns, log);
        for (const { before, data } of plan.update) {
          const after = await tx.concern.update({ where: { id: before.id }, data });
          log.push({ action: 'concern.update', entity: 'Concern', entityId: before.id, before, after });
        }
        results.push(result(plan, conversation));
      }
      await audit(tx, actorOf(identity), log);
      return results;
    },
    'A conversation with this title and date, or this source id, was already recorded',
  );
}

async function createImported(
  tx: Prisma.TransactionClient,
  identity: Identity,
  { input, publish, item }: Plan,
  log: AuditRecord[],
): Promise<Conversation> {
  const conversation = await tx.conversation.create({
    data: {
      ...(item.id ? { id: item.id } : {}),
      title: input.title,
      heldOn: input.heldOn,
      host: input.host,
      languages: input.languages,
      format: input.format,
      participantCount: input.participantCount,
      summary: input.summary,
      status: publish ? 'PUBLISHED' : 'DRAFT',
      publishedAt: publish ? new Date() : null,
      sourceKind: input.source.kind,
      sourceExternalId: input.source.externalId,
      sourceUrl: input.source.url,
      sourceAttribution: input.source.attribution,
      sourceLicense: input.source.license,
      createdBy: identity.subject,
      neighborhoods: { createMany: { data: input.neighborhoodIds.map((neighborhoodId) => ({ neighborhoodId })) } },
    },
  });
  log.push({
    action: 'conversation.import',
    entity: 'Conversation',
    entityId: conversation.id,
    after: { ...conversation, neighborhoodIds: input.neighborhoodIds },
  });
  return conversation;
}

async function updateImported(tx: Prisma.TransactionClient, plan: Plan, log: AuditRecord[]): Promise<Conversation> {
  const before = plan.existing as NonNullable<Plan['existing']>;
  const { concerns: _c, neighborhoods, ...beforeRow } = before;
  const data: Prisma.ConversationUpdateInput = {
    ...plan.conversationChanges,
    ...(plan.publish ? { status: 'PUBLISHED', publishedAt: new Date() } : {}),
  };
  if (plan.neighborhoodsChange) {
    await tx.conversationNeighborhood.deleteMany({ where: { conversationId: before.id } });
    await tx.conversationNeighborhood.createMany({
      data: plan.neighborhoodsChange.map((neighborhoodId) => ({ conversationId: before.id, neighborhoodId })),
    });
  }
  const after = Object.keys(data).length
    ? await tx.conversation.update({ where: { id: before.id }, data })
    : (beforeRow as Conversation);
  if (plan.publish) {
    await tx.concern.updateMany({ where: { conversationId: before.id }, data: { published: true } });
  }
  if (Object.keys(data).length || plan.neighborhoodsChange) {
    log.push({
      action: 'conversation.reimport',
      entity: 'Conversation',
      entityId: before.id,
      before: { ...beforeRow, neighborhoodIds: neighborhoods.map((n) => n.neighborhoodId) },
      after: { ...after, neighborhoodIds: plan.neighborhoodsChange ?? neighborhoods.map((n) => n.neighborhoodId) },
    });
  }
  return after;
}

const MAX_FILE = 10_000_000;
const file = z.string().max(MAX_FILE, `must be at most ${MAX_FILE} characters`);
const publish = (description: string) =>
  ({
    field: (t) => t.boolean({ required: false, description }),
    schema: z.boolean().nullish(),
  }) satisfies InputFieldSpec;
const dryRun = publish('Check and report what would change, write nothing.');

export const POLIS_EXPORT_INPUT = inputTable({
  summaryCsv: {
    field: (t) => t.string({ required: true, description: 'summary.csv (key,value lines).' }),
    schema: file,
  },
  commentsCsv: {
    field: (t) => t.string({ required: true, description: 'comments.csv (one statement per row).' }),
    schema: file,
  },
  externalId: {
    field: (t) => t.string({ required: false, description: 'Its id (default: the last part of the summary url).' }),
    schema: z.string().trim().max(200).nullish(),
  },
  publish: publish('Publish the conversation (default true).'),
  dryRun,
});

export const CONVERSATIONS_CSV_INPUT = inputTable({
  csv: { field: (t) => t.string({ required: true, description: 'The file’s text.' }), schema: file },
  fileName: {
    field: (t) => t.string({ required: false, description: 'Its name, used in error messages.' }),
    schema: z
      .string()
      .trim()
      .max(200)
      .nullish()
      .transform((v) => v || 'conversations.csv'),
  },
  publish: publish('Publish its conversations (default false: drafts).'),
  dryRun,
});

/** importPolisExport: one conversation from a Polis export. */
export async function importPolisExport(ctx: Context, rawInput: unknown): Promise<ConversationImportResult> {
  const input = parseInput(POLIS_EXPORT_INPUT.schema, rawInput);
  const conversation = polisConversation(input.summaryCsv, input.commentsCsv, input.externalId);
  const [result] = await importConversations(ctx.prisma, ctx.identity, [conversation], {
    publish: input.publish ?? true,
    dryRun: input.dryRun ?? false,
  });
  return result as ConversationImportResult;
}

/** importConversationsCsv: every conversation of the staff CSV template. */
export async function importConversationsCsv(ctx: Context, rawInput: unknown): Promise<ConversationImportResult[]> {
  const input = parseInput(CONVERSATIONS_CSV_INPUT.schema, rawInput);
  const neighborhoods = await ctx.prisma.neighborhood.findMany({
    select: { id: true, name: true, nameEs: true, slug: true },
  });
  const conversations = readConversationsCsv(input.fileName, input.csv, neighborhoodLookup(neighborhoods));
  return importConversations(ctx.prisma, ctx.identity, conversations, {
    publish: input.publish ?? false,
    dryRun: input.dryRun ?? false,
  });
}
