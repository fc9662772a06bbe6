import { conflict, ErrorCode, notFound } from '@civic/server-kit/errors';
import type { Identity } from '@civic/server-kit/identity';
import { GraphQLError } from 'graphql';
import type { z } from 'zod';
import type { EngagementPrisma } from '../db.ts';
import type { Alignment, CitywideConcern, Concern } from '../generated/prisma/client.ts';
import { audit } from './audit.ts';
import { recordStatusEvent } from './follow.ts';
import {
  ALLOWED_TRANSITIONS,
  type alignInput,
  type mergeInput,
  type moderationInput,
  type statusChangeInput,
} from './inputs.ts';
import { inTransaction } from './write.ts';

async function requireConcern(prisma: EngagementPrisma, id: string): Promise<Concern> {
  const concern = await prisma.concern.findUnique({ where: { id } });
  if (!concern) throw notFound('Concern', id);
  return concern;
}

export async function moderateConcern(
  prisma: EngagementPrisma,
  identity: Identity,
  input: z.infer<typeof moderationInput>,
): Promise<Concern> {
  const before = await requireConcern(prisma, input.concernId);
  if (before.moderation === input.moderation) throw conflict(`This concern is already ${input.moderation}`);
  return inTransaction(prisma, async (tx) => {
    const after = await tx.concern.update({ where: { id: before.id }, data: { moderation: input.moderation } });
    await audit(tx, identity, [
      {
        action: 'concern.moderate',
        entity: 'Concern',
        entityId: before.id,
        before,
        after: { ...after, reason: input.reason },
      },
    ]);
    return after;
  });
}

export async function changeConcernStatus(
  prisma: EngagementPrisma,
  identity: Identity,
  input: z.infer<typeof statusChangeInput>,
): Promise<Concern> {
  const before = await requireConcern(prisma, input.concernId);
  if (!ALLOWED_TRANSITIONS[before.status]?.includes(input.status)) {
    throw conflict(`A concern cannot go from ${before.status} to ${input.status}`);
  }
  if (input.status === 'ALIGNED' && (await prisma.alignment.count({ where: { concernId: before.id } })) === 0) {
    throw conflict('Align the concern with an initiative or a resource before marking it ALIGNED');
  }
  if (
    input.status === 'ADDRESSED' &&
    !input.evidenceActionOn &&
    (await prisma.alignment.count({ where: { concernId: before.id, serviceId: { not: null } } })) === 0
  ) {
    throw evidenceRequired();
  }
  return inTransaction(prisma, async (tx) => {
    const after = await tx.concern.update({ where: { id: before.id }, data: { status: input.status } });
    const change = await tx.concernStatusChange.create({
      data: {
        concernId: before.id,
        fromStatus: before.status,
        toStatus: input.status,
        publicNote: input.publicNote,
        publicNoteLanguage: input.publicNoteLanguage,
        publicNoteTranslation: input.publicNoteTranslation,
        evidenceActionOn: input.evidenceActionOn,
        changedBy: identity.subject ?? '',
      },
    });
    await audit(tx, identity, [
      {
        action: 'concern.status',
        entity: 'Concern',
        entityId: before.id,
        before,
        after: {
          ...after,
          publicNote: input.publicNote,
          publicNoteLanguage: input.publicNoteLanguage,
          publicNoteTranslation: input.publicNoteTranslation,
          evidenceActionOn: input.evidenceActionOn,
        },
      },
    ]);
    await recordStatusEvent(prisma, tx, change.id);
    return after;
  });
}

/** ADDRESSED needs evidence the public can see: an aligned service, or a dated action with its note. */
function evidenceRequired(): GraphQLError {
  return new GraphQLError(
    'A concern can be marked ADDRESSED only with public evidence: align a service, or give evidenceActionOn (the day the city acted) with a public note describing it',
    {
      extensions: {
        code: ErrorCode.BAD_USER_INPUT,
        reason: 'EVIDENCE_REQUIRED',
        problems: [{ field: 'args.evidenceActionOn', message: 'ADDRESSED requires public evidence' }],
      },
    },
  );
}

export async function mergeIntoCitywideConcern(
  prisma: EngagementPrisma,
  identity: Identity,
  input: z.infer<typeof mergeInput>,
): Promise<CitywideConcern> {
  const concerns = await prisma.concern.findMany({ where: { id: { in: input.concernIds } } });
  const known = new Set(concerns.map((c) => c.id));
  const missing = input.concernIds.find((id) => !known.has(id));
  if (missing) throw notFound('Concern', missing);
  let target: CitywideConcern | null = null;
  if (input.citywideConcernId) {
    target = await prisma.citywideConcern.findUnique({ where: { id: input.citywideConcernId } });
    if (!target) throw notFound('CitywideConcern', input.citywideConcernId);
  } else if (input.newCitywideConcern) {
    const clash = await prisma.citywideConcern.findUnique({ where: { title: input.newCitywideConcern.title } });
    if (clash) throw conflict('A citywide concern with this title already exists');
  }
  const grouped = concerns.find((c) => c.citywideConcernId !== null);
  if (grouped) {
    throw conflict(
      grouped.citywideConcernId === target?.id
        ? `Concern ${grouped.id} is already in this citywide concern`
        : `Concern ${grouped.id} is already in another citywide concern`,
    );
  }
  return inTransaction(
    prisma,
    async (tx) => {
      const citywide =
        target ??
        (await tx.citywideConcern.create({
          data: {
            title: input.newCitywideConcern?.title ?? '',
            summary: input.newCitywideConcern?.summary ?? null,
            themes: input.newCitywideConcern?.themes ?? [],
            createdBy: identity.subject ?? '',
          },
        }));
      await tx.concern.updateMany({
        where: { id: { in: input.concernIds } },
        data: { citywideConcernId: citywide.id },
      });
      await audit(tx, identity, [
        ...(target
          ? []
          : [{ action: 'citywide.create', entity: 'CitywideConcern', entityId: citywide.id, after: citywide }]),
        ...concerns.map((c) => ({
          action: 'concern.merge',
          entity: 'Concern',
          entityId: c.id,
          before: { citywideConcernId: null },
          after: { citywideConcernId: citywide.id },
        })),
      ]);
      return citywide;
    },
    'A citywide concern with this title already exists',
  );
}

export async function alignConcern(
  prisma: EngagementPrisma,
  identity: Identity,
  input: z.infer<typeof alignInput>,
): Promise<Alignment> {
  const concern = await requireConcern(prisma, input.concernId);
  const target = input.initiativeId ? { initiativeId: input.initiativeId } : { serviceId: input.serviceId ?? '' };
  const existing = await prisma.alignment.findFirst({ where: { concernId: concern.id, ...target } });
  if (existing) throw conflict('This concern is already aligned with it');
  return inTransaction(
    prisma,
    async (tx) => {
      const alignment = await tx.alignment.create({
        data: { concernId: concern.id, ...target, rationale: input.rationale, alignedBy: identity.subject ?? '' },
      });
      await audit(tx, identity, [
        { action: 'alignment.create', entity: 'Alignment', entityId: alignment.id, after: alignment },
      ]);
      // The first alignment of a NEW concern is the city's first answer: it becomes ALIGNED by itself.
      const moved = await tx.concern.updateMany({
        where: { id: concern.id, status: 'NEW' },
        data: { status: 'ALIGNED' },
      });
      if (moved.count === 1) {
        const change = await tx.concernStatusChange.create({
          data: { concernId: concern.id, fromStatus: 'NEW', toStatus: 'ALIGNED', changedBy: identity.subject ?? '' },
        });
        await audit(tx, identity, [
          {
            action: 'concern.status',
            entity: 'Concern',
            entityId: concern.id,
            before: { status: 'NEW' },
            after: { status: 'ALIGNED', byAlignment: alignment.id },
          },
        ]);
        await recordStatusEvent(prisma, tx, change.id);
      }
      return alignment;
    },
    'This concern is already aligned with it',
  );
}

export async function unalignConcern(prisma: EngagementPrisma, identity: Identity, id: string): Promise<Alignment> {
  const before = await prisma.alignment.findUnique({ where: { id } });
  if (!before) throw notFound('Alignment', id);
  return inTransaction(prisma, async (tx) => {
    await tx.alignment.delete({ where: { id } });
    await audit(tx, identity, [{ action: 'alignment.delete', entity: 'Alignment', entityId: id, before }]);
    return before;
  });
}
