import { actorOf } from '@civic/graphql-kit/actor';
import { inTransaction, parseInput } from '@civic/graphql-kit/write';
import { conflict, notFound } from '@civic/server-kit/errors';
import type { Identity } from '@civic/server-kit/identity';
import { z } from 'zod';
import type { Context } from '../context.ts';
import type { EngagementPrisma } from '../db.ts';
import type { Concern, Conversation, Prisma } from '../generated/prisma/client.ts';
import { ConversationFormat, ConversationSourceKind } from '../schema/enums.ts';
import { ConcernInputRef, ConcernPatchInputRef, ConversationSourceInputRef } from '../schema/input-refs.ts';
import { type AuditRecord, audit } from './audit.ts';
import { insertConcerns } from './bulk-insert.ts';
import { type ConcernInput, concernInput, concernPatch } from './concern.ts';
import { placeConcernsOrRefuse, pointColumns } from './concern-location.ts';
import {
  CHANGING,
  CREATING,
  canonicalNeighborhoodIds,
  count,
  type InputFieldTable,
  type InputMode,
  id,
  inputTable,
  LIMITS,
  language,
  optionalText,
  text,
} from './input-rules.ts';

export const CONVERSATION_SOURCE_INPUT = inputTable({
  kind: {
    field: (t) => t.field({ type: ConversationSourceKind, required: true, description: 'Kind of source.' }),
    schema: z.enum(['MANUAL', 'CSV', 'POLIS']),
  },
  externalId: {
    field: (t) => t.string({ required: false, description: 'Id in the source system.' }),
    schema: optionalText(LIMITS.externalId),
  },
  url: {
    field: (t) => t.string({ required: false, description: 'Where the source can be seen (http/https).' }),
    schema: z
      .string()
      .trim()
      .max(LIMITS.url)
      .regex(/^https?:\/\//, 'must be an http or https URL')
      .nullish()
      .transform((v) => v ?? null),
  },
  attribution: {
    field: (t) => t.string({ required: false, description: 'Attribution its licence requires.' }),
    schema: optionalText(LIMITS.attribution),
  },
  license: {
    field: (t) => t.string({ required: false, description: 'Licence, e.g. "CC BY 4.0".' }),
    schema: optionalText(100),
  },
});

function noRepeatedSummaries(list: { summary?: string }[] | undefined): boolean {
  if (!list) return true;
  const seen = list.map((c) => c.summary?.toLowerCase()).filter(Boolean);
  return new Set(seen).size === seen.length;
}

const languages = z.array(language).min(1, 'at least one language').max(10);
const neighborhoodIds = z
  .array(id)
  .max(50)
  .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a neighborhood');
const heldOn = z.date().refine((d) => d.getTime() <= Date.now() + 86_400_000, 'must not be in the future');

/** The fields a new conversation and a change share; a new one needs title, date and format and gets defaults. */
function conversationFields<Creates extends boolean>(mode: InputMode<Creates>) {
  const required = mode.creates;
  return {
    title: {
      field: (t) => t.string({ required: required, description: `Title (≤ ${LIMITS.title} characters).` }),
      schema: mode.opt(text(LIMITS.title)),
    },
    heldOn: {
      field: (t) =>
        t.field({ type: 'DateTime', required: required, description: 'When it was held (not in the future).' }),
      schema: mode.opt(heldOn),
    },
    format: {
      field: (t) => t.field({ type: ConversationFormat, required: required, description: 'How it was held.' }),
      schema: mode.opt(z.enum(['IN_PERSON', 'VIRTUAL', 'HYBRID', 'ONLINE'])),
    },
    host: {
      field: (t) => t.string({ required: false, description: 'Who hosted it.' }),
      schema: mode.opt(optionalText(LIMITS.host)),
    },
    languages: {
      field: (t) => t.stringList({ required: false, description: 'BCP-47 languages spoken (default ["en"]).' }),
      schema: mode.def(languages, ['en']),
    },
    participantCount: {
      field: (t) => t.int({ required: false, description: 'How many residents took part.' }),
      schema: mode.def(count(100_000), 0),
    },
    summary: {
      field: (t) => t.string({ required: false, description: 'Public summary.' }),
      schema: mode.opt(optionalText(LIMITS.detail)),
    },
    notes: {
      field: (t) => t.string({ required: false, description: 'Facilitator notes (staff only).' }),
      schema: mode.opt(optionalText(LIMITS.notes)),
    },
    transcript: {
      field: (t) => t.string({ required: false, description: 'Transcript (staff only).' }),
      schema: mode.opt(optionalText(LIMITS.transcript)),
    },
    neighborhoodIds: {
      field: (t) => t.idList({ required: false, description: 'Neighborhoods it was held for.' }),
      schema: mode.def(neighborhoodIds.transform(canonicalNeighborhoodIds), []),
    },
  } satisfies InputFieldTable;
}

const concernList = <T extends z.ZodType>(item: T) => z.array(item).max(LIMITS.concernsPerWrite).default([]);

export const CREATE_CONVERSATION_INPUT = inputTable({
  ...conversationFields(CREATING),
  source: {
    field: (t) =>
      t.field({ type: ConversationSourceInputRef, required: false, description: 'Provenance (default MANUAL).' }),
    schema: CONVERSATION_SOURCE_INPUT.schema.nullish(),
  },
  concerns: {
    field: (t) => t.field({ type: [ConcernInputRef], required: false, description: 'Concerns heard.' }),
    schema: concernList(concernInput).refine(noRepeatedSummaries, 'two concerns have the same summary'),
  },
});
export const createConversationInput = CREATE_CONVERSATION_INPUT.schema;
export type CreateConversationInput = z.infer<typeof createConversationInput>;

export const UPDATE_CONVERSATION_INPUT = inputTable({
  ...conversationFields(CHANGING),
  addConcerns: {
    field: (t) => t.field({ type: [ConcernInputRef], required: false, description: 'New concerns.' }),
    schema: concernList(concernInput).refine(noRepeatedSummaries, 'two concerns have the same summary'),
  },
  updateConcerns: {
    field: (t) => t.field({ type: [ConcernPatchInputRef], required: false, description: 'Changed concerns.' }),
    schema: concernList(concernPatch).refine(
      (list) => new Set(list.map((c) => c.id)).size === list.length,
      'must not repeat a concern',
    ),
  },
});
const updateConversationInput = UPDATE_CONVERSATION_INPUT.schema.refine(
  (v) =>
    Object.entries(v).some(([key, value]) =>
      key === 'addConcerns' || key === 'updateConcerns' ? (value as unknown[]).length > 0 : value !== undefined,
    ),
  { message: 'nothing to change' },
);
type UpdateConversationInput = z.infer<typeof updateConversationInput>;

const DUPLICATE = 'A conversation with this title and date, or this source id, was already recorded';

/** Every referenced neighborhood must exist (one query), or NOT_FOUND before anything is written. */
export async function requireNeighborhoods(prisma: EngagementPrisma, ids: (string | null | undefined)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (wanted.length === 0) return;
  const found = await prisma.neighborhood.findMany({ where: { id: { in: wanted } }, select: { id: true } });
  const known = new Set(found.map((n) => n.id));
  const missing = wanted.find((id) => !known.has(id));
  if (missing) throw notFound('Neighborhood', missing);
}

/** A concern to add; imports also give its id in the source and when it was said (the demo seed, its stable id). */
type NewConcern = ConcernInput & { sourceExternalId?: string | null; createdAt?: Date; id?: string };

function concernData(c: NewConcern, conversation: Pick<Conversation, 'id' | 'status'>) {
  return {
    ...(c.id ? { id: c.id } : {}),
    summary: c.summary,
    detail: c.detail,
    themes: c.themes,
    language: c.language,
    neighborhoodId: c.neighborhoodId,
    supportCount: c.supportCount,
    mentionCount: c.mentionCount,
    moderation: c.moderation,
    conversationId: conversation.id,
    published: conversation.status === 'PUBLISHED',
    contactName: c.contact?.name ?? null,
    contactEmail: c.contact?.email ?? null,
    contactPhone: c.contact?.phone ?? null,
    ...pointColumns(c.location),
    sourceExternalId: c.sourceExternalId ?? null,
    createdAt: c.createdAt,
  } satisfies Prisma.ConcernCreateManyInput;
}

export async function addConcerns(
  tx: Prisma.TransactionClient,
  identity: Identity,
  conversation: Pick<Conversation, 'id' | 'status'>,
  concerns: NewConcern[],
  log: AuditRecord[],
): Promise<Concern[]> {
  if (concerns.length === 0) return [];
  const created = await insertConcerns(
    tx,
    concerns.map((c) => concernData(c, conversation)),
    identity.subject,
  );
  for (const c of created) log.push({ action: 'concern.create', entity: 'Concern', entityId: c.id, after: c });
  return created;
}

export async function createConversation(ctx: Context, rawInput: unknown): Promise<Conversation> {
  const input = parseInput(createConversationInput, rawInput);
  const { prisma, identity } = ctx;
  await requireNeighborhoods(prisma, [...input.neighborhoodIds, ...input.concerns.map((c) => c.neighborhoodId)]);
  const concerns = await placeConcernsOrRefuse(prisma, input.concerns, 'input.concerns');
  const sourceKind = input.source?.kind ?? 'MANUAL';
  const externalId = input.source?.externalId ?? null;
  const duplicate = await prisma.conversation.findFirst({
    where: {
      OR: [
        { title: input.title, heldOn: input.heldOn },
        ...(externalId ? [{ sourceKind, sourceExternalId: externalId }] : []),
      ],
    },
    select: { id: true },
  });
  if (duplicate) throw conflict(DUPLICATE);
  return inTransaction(
    prisma,
    async (tx) => {
      const conversation = await tx.conversation.create({
        data: {
          title: input.title,
          heldOn: input.heldOn,
          host: input.host,
          languages: input.languages,
          format: input.format,
          participantCount: input.participantCount,
          summary: input.summary,
          notes: input.notes,
          transcript: input.transcript,
          sourceKind,
          sourceExternalId: externalId,
          sourceUrl: input.source?.url ?? null,
          sourceAttribution: input.source?.attribution ?? null,
          sourceLicense: input.source?.license ?? null,
          createdBy: identity.subject,
          neighborhoods: { createMany: { data: input.neighborhoodIds.map((neighborhoodId) => ({ neighborhoodId })) } },
        },
      });
      const log: AuditRecord[] = [
        {
          action: 'conversation.create',
          entity: 'Conversation',
          entityId: conversation.id,
          after: { ...conversation, neighborhoodIds: input.neighborhoodIds },
        },
      ];
      await addConcerns(tx, identity, conversation, concerns, log);
      await audit(tx, actorOf(identity), log);
      return conversation;
    },
    DUPLICATE,
  );
}

/** updateConversation(id, input): the changes are parsed as `input`. */
export async function updateConversation(ctx: Context, change: { id: string; input: unknown }): Promise<Conversation> {
  const input: UpdateConversationInput = parseInput(updateConversationInput, change.input);
  const { id } = change;
  const { prisma, identity } = ctx;
  const before = await prisma.conversation.findUnique({ where: { id }, include: { neighborhoods: true } });
  if (!before) throw notFound('Conversation', id);
  await requireNeighborhoods(prisma, [
    ...(input.neighborhoodIds ?? []),
    ...input.addConcerns.map((c) => c.neighborhoodId),
    ...input.updateConcerns.map((c) => c.neighborhoodId),
  ]);
  const patchIds = input.updateConcerns.map((c) => c.id);
  const existing = await prisma.concern.findMany({ where: { id: { in: patchIds }, conversationId: id } });
  const byId = new Map(existing.map((c) => [c.id, c]));
  const missing = patchIds.find((cid) => !byId.has(cid));
  if (missing) throw notFound('Concern', missing);
  const addedConcerns = await placeConcernsOrRefuse(prisma, input.addConcerns, 'input.addConcerns');
  const patches = await placePatches(prisma, input.updateConcerns, byId);
  if (input.title !== undefined || input.heldOn !== undefined) {
    const clash = await prisma.conversation.findFirst({
      where: { title: input.title ?? before.title, heldOn: input.heldOn ?? before.heldOn, id: { not: id } },
      select: { id: true },
    });
    if (clash) throw conflict(DUPLICATE);
  }
  return inTransaction(
    prisma,
    async (tx) => {
      const { neighborhoods: _n, ...beforeRow } = before;
      const after = await tx.conversation.update({
        where: { id },
        data: {
          title: input.title,
          heldOn: input.heldOn,
          host: input.host,
          languages: input.languages,
          format: input.format,
          participantCount: input.participantCount,
          summary: input.summary,
          notes: input.notes,
          transcript: input.transcript,
        },
      });
      if (input.neighborhoodIds) {
        await tx.conversationNeighborhood.deleteMany({ where: { conversationId: id } });
        await tx.conversationNeighborhood.createMany({
          data: input.neighborhoodIds.map((neighborhoodId) => ({ conversationId: id, neighborhoodId })),
        });
      }
      const beforeIds = before.neighborhoods.map((n) => n.neighborhoodId);
      const log: AuditRecord[] = [
        {
          action: 'conversation.update',
          entity: 'Conversation',
          entityId: id,
          before: { ...beforeRow, neighborhoodIds: beforeIds },
          after: { ...after, neighborhoodIds: input.neighborhoodIds ?? beforeIds },
        },
      ];
      await addConcerns(tx, identity, after, addedConcerns, log);
      for (const patch of patches) {
        const updated = await tx.concern.update({
          where: { id: patch.id },
          data: {
            summary: patch.summary,
            detail: patch.detail,
            themes: patch.themes,
            language: patch.language,
            neighborhoodId: patch.neighborhoodId,
            supportCount: patch.supportCount,
            mentionCount: patch.mentionCount,
            ...(patch.location !== undefined ? pointColumns(patch.location) : {}),
            ...(patch.contact !== undefined
              ? {
                  contactName: patch.contact?.name ?? null,
                  contactEmail: patch.contact?.email ?? null,
                  contactPhone: patch.contact?.phone ?? null,
                }
              : {}),
          },
        });
        log.push({
          action: 'concern.update',
          entity: 'Concern',
          entityId: patch.id,
          before: byId.get(patch.id),
          after: updated,
        });
      }
      await audit(tx, actorOf(identity), log);
      return after;
    },
    DUPLICATE,
  );
}

/**
 * A patch that moves a concern's point or neighborhood is checked against the point it will have; a
 * new point without a neighborhood keeps the current one if it holds the point, else takes the one that does.
 */
async function placePatches(
  prisma: EngagementPrisma,
  patches: UpdateConversationInput['updateConcerns'],
  byId: Map<string, Concern>,
): Promise<UpdateConversationInput['updateConcerns']> {
  const checked = patches.map((patch) => {
    const before = byId.get(patch.id) as Concern;
    const touched = patch.location !== undefined || patch.neighborhoodId !== undefined;
    const stored =
      before.latitude !== null && before.longitude !== null
        ? { latitude: before.latitude, longitude: before.longitude }
        : null;
    const location = patch.location !== undefined ? patch.location : stored;
    return touched ? { ...patch, location: location as typeof patch.location } : { ...patch, location: undefined };
  });
  const keep = patches.map((patch) => (patch.neighborhoodId === undefined ? byId.get(patch.id)?.neighborhoodId : null));
  const placed = await placeConcernsOrRefuse(prisma, checked, 'input.updateConcerns', keep);
  return placed.map((p, i) => {
    const patch = patches[i] as (typeof patches)[number];
    const moved = patch.location !== undefined && patch.location !== null;
    return { ...patch, neighborhoodId: moved || patch.neighborhoodId !== undefined ? p.neighborhoodId : undefined };
  });
}

export async function publishConversation(ctx: Context, { id }: { id: string }) {
  const { prisma, identity } = ctx;
  const before = await prisma.conversation.findUnique({ where: { id } });
  if (!before) throw notFound('Conversation', id);
  if (before.status === 'PUBLISHED') throw conflict('This conversation is already published');
  return inTransaction(prisma, async (tx) => {
    const after = await tx.conversation.update({
      where: { id },
      data: { status: 'PUBLISHED', publishedAt: new Date() },
    });
    await tx.concern.updateMany({ where: { conversationId: id }, data: { published: true } });
    await audit(tx, actorOf(identity), [
      { action: 'conversation.publish', entity: 'Conversation', entityId: id, before, after },
    ]);
    return after;
  });
}

/** Ids of conversations whose generated "search" column matches the words (websearch syntax, bound). */
export async function searchConversationIds(prisma: EngagementPrisma, words: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Conversation" WHERE "search" @@ websearch_to_tsquery('english', ${words})`;
  return rows.map((r) => r.id);
}
