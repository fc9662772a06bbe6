import { conflict, notFound } from '@civic/server-kit/errors';
import type { Identity } from '@civic/server-kit/identity';
import type { EngagementPrisma } from '../db.ts';
import type { Concern, Conversation, Prisma } from '../generated/prisma/client.ts';
import { type AuditRecord, audit } from './audit.ts';
import { insertConcerns } from './bulk-insert.ts';
import type { ConcernInput, CreateConversationInput, UpdateConversationInput } from './inputs.ts';
import { inTransaction } from './write.ts';

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

/** A concern to add; imports also give its id in the source and when it was said. */
type NewConcern = ConcernInput & { sourceExternalId?: string | null; createdAt?: Date };

function concernData(c: NewConcern, conversation: Pick<Conversation, 'id' | 'status'>) {
  return {
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
    identity.subject ?? '',
  );
  for (const c of created) log.push({ action: 'concern.create', entity: 'Concern', entityId: c.id, after: c });
  return created;
}

export async function createConversation(
  prisma: EngagementPrisma,
  identity: Identity,
  input: CreateConversationInput,
): Promise<Conversation> {
  await requireNeighborhoods(prisma, [...input.neighborhoodIds, ...input.concerns.map((c) => c.neighborhoodId)]);
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
          createdBy: identity.subject ?? '',
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
      await addConcerns(tx, identity, conversation, input.concerns, log);
      await audit(tx, identity, log);
      return conversation;
    },
    DUPLICATE,
  );
}

export async function updateConversation(
  prisma: EngagementPrisma,
  identity: Identity,
  id: string,
  input: UpdateConversationInput,
): Promise<Conversation> {
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
      await addConcerns(tx, identity, after, input.addConcerns, log);
      for (const patch of input.updateConcerns) {
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
      await audit(tx, identity, log);
      return after;
    },
    DUPLICATE,
  );
}

export async function publishConversation(prisma: EngagementPrisma, identity: Identity, id: string) {
  const before = await prisma.conversation.findUnique({ where: { id } });
  if (!before) throw notFound('Conversation', id);
  if (before.status === 'PUBLISHED') throw conflict('This conversation is already published');
  return inTransaction(prisma, async (tx) => {
    const after = await tx.conversation.update({
      where: { id },
      data: { status: 'PUBLISHED', publishedAt: new Date() },
    });
    await tx.concern.updateMany({ where: { conversationId: id }, data: { published: true } });
    await audit(tx, identity, [
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
