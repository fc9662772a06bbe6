import { actorOf } from '@civic/graphql-kit/actor';
import { inTransaction } from '@civic/graphql-kit/write';
import { badInput, conflict, notFound } from '@civic/server-kit/errors';
import type { Context } from '../context.ts';
import type { EngagementPrisma } from '../db.ts';
import type { CitywideConcern, ProposedGroup, SuggestionDismissal } from '../generated/prisma/client.ts';
import { audit } from './audit.ts';

const MAX_TITLE = 200;

async function proposedGroup(prisma: EngagementPrisma, id: string): Promise<ProposedGroup> {
  const group = await prisma.proposedGroup.findUnique({ where: { id } });
  if (!group) throw notFound('ProposedCitywideConcern', id);
  if (group.state !== 'PROPOSED') throw conflict(`This group was already decided (${group.state.toLowerCase()})`);
  return group;
}

/** The group's concerns that still exist and are not in a citywide concern yet. */
async function openMembers(prisma: EngagementPrisma, group: ProposedGroup) {
  return prisma.concern.findMany({
    where: { id: { in: group.memberIds }, citywideConcernId: null },
    orderBy: { id: 'asc' },
  });
}

function mostCommonThemes(lists: string[][]): string[] {
  const counts = new Map<string, number>();
  for (const list of lists) for (const theme of list) counts.set(theme, (counts.get(theme) ?? 0) + 1);
  return [...counts.entries()]
    .filter(([, n]) => n * 2 >= lists.length)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 3)
    .map(([theme]) => theme);
}

/** Accepts a proposed group as a new citywide concern (or into an existing one), in one transaction. */
export async function acceptProposedGroup(
  ctx: Context,
  input: { id: string; title?: string | null; summary?: string | null; citywideConcernId?: string | null },
): Promise<CitywideConcern> {
  const { prisma, identity } = ctx;
  const group = await proposedGroup(prisma, input.id);
  const members = await openMembers(prisma, group);
  if (members.length === 0) throw conflict('Every concern of this group is already in a citywide concern');
  let target: CitywideConcern | null = null;
  if (input.citywideConcernId) {
    target = await prisma.citywideConcern.findUnique({ where: { id: input.citywideConcernId } });
    if (!target) throw notFound('CitywideConcern', input.citywideConcernId);
  }
  const representative = members.find((m) => m.id === group.representativeId) ?? members[0];
  const title = (input.title ?? representative?.summary ?? '').trim().slice(0, MAX_TITLE);
  if (!target && !title) throw badInput('A title is needed', [{ field: 'input.title', message: 'required' }]);
  if (!target && (await prisma.citywideConcern.findUnique({ where: { title } }))) {
    throw conflict('A citywide concern with this title already exists');
  }
  return inTransaction(
    prisma,
    async (tx) => {
      const citywide =
        target ??
        (await tx.citywideConcern.create({
          data: {
            title,
            summary: input.summary?.trim() || null,
            themes: mostCommonThemes(members.map((m) => m.themes)),
            createdBy: identity.subject,
          },
        }));
      const ids = members.map((m) => m.id);
      await tx.concern.updateMany({
        where: { id: { in: ids }, citywideConcernId: null },
        data: { citywideConcernId: citywide.id },
      });
      const decided = await tx.proposedGroup.updateMany({
        where: { id: group.id, state: 'PROPOSED' },
        data: {
          state: 'ACCEPTED',
          decidedBy: identity.subject,
          decidedAt: new Date(),
          citywideConcernId: citywide.id,
        },
      });
      if (decided.count !== 1) throw conflict('This group was already decided');
      await audit(tx, actorOf(identity), [
        ...(target
          ? []
          : [{ action: 'citywide.create', entity: 'CitywideConcern', entityId: citywide.id, after: citywide }]),
        {
          action: 'proposedGroup.accept',
          entity: 'ProposedGroup',
          entityId: group.id,
          after: { citywideConcernId: citywide.id, concernIds: ids },
        },
        ...ids.map((id) => ({
          action: 'concern.merge',
          entity: 'Concern',
          entityId: id,
          before: { citywideConcernId: null },
          after: { citywideConcernId: citywide.id },
        })),
      ]);
      return citywide;
    },
    'A citywide concern with this title already exists',
  );
}

export async function dismissProposedGroup(ctx: Context, { id }: { id: string }): Promise<ProposedGroup> {
  const { prisma, identity } = ctx;
  await proposedGroup(prisma, id);
  return inTransaction(prisma, async (tx) => {
    const decided = await tx.proposedGroup.updateMany({
      where: { id, state: 'PROPOSED' },
      data: { state: 'DISMISSED', decidedBy: identity.subject, decidedAt: new Date() },
    });
    if (decided.count !== 1) throw conflict('This group was already decided');
    await audit(tx, actorOf(identity), [{ action: 'proposedGroup.dismiss', entity: 'ProposedGroup', entityId: id }]);
    return tx.proposedGroup.findUniqueOrThrow({ where: { id } });
  });
}

/**
 * Splits a group in two: `concernIds` and the rest. The group is decided (never proposed again);
 * each half of two or more concerns becomes a proposal of its own, with an id derived from the group's.
 */
export async function splitProposedGroup(
  ctx: Context,
  { id, concernIds }: { id: string; concernIds: string[] },
): Promise<ProposedGroup[]> {
  const { prisma, identity } = ctx;
  const group = await proposedGroup(prisma, id);
  const chosen = new Set(concernIds);
  const stray = concernIds.find((c) => !group.memberIds.includes(c));
  if (stray)
    throw badInput('Not a member of this group', [{ field: 'concernIds', message: `${stray} is not in the group` }]);
  const part = group.memberIds.filter((m) => chosen.has(m));
  const rest = group.memberIds.filter((m) => !chosen.has(m));
  if (part.length === 0 || rest.length === 0) {
    throw badInput('A split needs concerns on both sides', [{ field: 'concernIds', message: 'choose some, not all' }]);
  }
  return inTransaction(prisma, async (tx) => {
    const decided = await tx.proposedGroup.updateMany({
      where: { id, state: 'PROPOSED' },
      data: { state: 'SPLIT', decidedBy: identity.subject, decidedAt: new Date() },
    });
    if (decided.count !== 1) throw conflict('This group was already decided');
    const halves: ProposedGroup[] = [];
    for (const [n, members] of [part, rest].entries()) {
      if (members.length < 2) continue;
      const representativeId = members.includes(group.representativeId)
        ? group.representativeId
        : (members[0] as string);
      halves.push(
        await tx.proposedGroup.create({
          data: { id: `${id}/split-${n + 1}`, memberIds: members, representativeId, cohesion: group.cohesion },
        }),
      );
    }
    await audit(tx, actorOf(identity), [
      { action: 'proposedGroup.split', entity: 'ProposedGroup', entityId: id, after: { parts: [part, rest] } },
    ]);
    return halves;
  });
}

export async function dismissSuggestion(
  ctx: Context,
  input: { concernId: string; serviceId?: string | null; initiativeId?: string | null },
): Promise<SuggestionDismissal> {
  const { prisma, identity } = ctx;
  const serviceId = input.serviceId?.trim() || null;
  const initiativeId = input.initiativeId?.trim() || null;
  if (!serviceId === !initiativeId) {
    throw badInput('Give a serviceId or an initiativeId, not both', [
      { field: 'serviceId', message: 'exactly one of serviceId and initiativeId' },
    ]);
  }
  for (const [field, value] of [
    ['serviceId', serviceId],
    ['initiativeId', initiativeId],
  ] as const) {
    if (value && value.length > 100) throw badInput('Id too long', [{ field, message: 'at most 100 characters' }]);
  }
  const concern = await prisma.concern.findUnique({ where: { id: input.concernId } });
  if (!concern) throw notFound('Concern', input.concernId);
  const target = serviceId ? { serviceId } : { initiativeId };
  const existing = await prisma.suggestionDismissal.findFirst({ where: { concernId: concern.id, ...target } });
  if (existing) return existing;
  return inTransaction(prisma, async (tx) => {
    const dismissal = await tx.suggestionDismissal.create({
      data: { concernId: concern.id, ...target, dismissedBy: identity.subject },
    });
    await audit(tx, actorOf(identity), [
      { action: 'suggestion.dismiss', entity: 'SuggestionDismissal', entityId: dismissal.id, after: dismissal },
    ]);
    return dismissal;
  });
}
