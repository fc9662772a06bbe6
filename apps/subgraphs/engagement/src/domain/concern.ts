import { actorOf } from '@civic/graphql-kit/actor';
import { inTransaction, parseInput } from '@civic/graphql-kit/write';
import { conflict, ErrorCode, notFound } from '@civic/server-kit/errors';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import type { Context } from '../context.ts';
import type { EngagementPrisma } from '../db.ts';
import type { Alignment, CitywideConcern, Concern, ConcernStatusChange, Prisma } from '../generated/prisma/client.ts';
import { ConcernStatus, ModerationState } from '../schema/enums.ts';
import { ConcernLocationInputRef, NewCitywideConcernInputRef, ResidentContactInputRef } from '../schema/input-refs.ts';
import { Theme } from '../schema/scalars.ts';
import { audit } from './audit.ts';
import { locationRule } from './concern-location.ts';
import { recordStatusEvent } from './follow.ts';
import {
  argTable,
  CHANGING,
  CREATING,
  count,
  type InputFieldTable,
  type InputMode,
  id,
  inputTable,
  LIMITS,
  language,
  optionalText,
  text,
  themes,
} from './input-rules.ts';
import { canonicalNeighborhoodId } from './neighborhood-names.ts';
import { recordAlignmentWebhook, recordStatusChangeWebhook } from './webhook-delivery.ts';

export const ALLOWED_TRANSITIONS: Record<string, readonly string[]> = {
  NEW: ['UNDER_REVIEW', 'NOT_FEASIBLE'],
  UNDER_REVIEW: ['ALIGNED', 'NOT_FEASIBLE', 'NEW'],
  ALIGNED: ['IN_PROGRESS', 'UNDER_REVIEW', 'NOT_FEASIBLE'],
  IN_PROGRESS: ['ADDRESSED', 'NOT_FEASIBLE', 'ALIGNED'],
  ADDRESSED: ['UNDER_REVIEW'],
  NOT_FEASIBLE: ['UNDER_REVIEW'],
};

const MODERATIONS = ['PENDING', 'ACCEPTED', 'REJECTED'] as const;
const notInFuture = (d: Date) => d.getTime() <= Date.now() + 86_400_000;

export const RESIDENT_CONTACT_INPUT = inputTable({
  name: { field: (t) => t.string({ required: false, description: 'Name.' }), schema: optionalText(200) },
  email: {
    field: (t) => t.string({ required: false, description: 'Email address.' }),
    schema: z
      .string()
      .trim()
      .email('must be an email address')
      .max(320)
      .nullish()
      .transform((v) => v ?? null),
  },
  phone: {
    field: (t) => t.string({ required: false, description: 'Phone number.' }),
    schema: z
      .string()
      .trim()
      .regex(/^[+0-9 ().-]{7,25}$/, 'must be a phone number')
      .nullish()
      .transform((v) => v ?? null),
  },
});
const contact = RESIDENT_CONTACT_INPUT.schema.nullish();

/** The fields a new concern and a concern patch share; a new one gets defaults, a patch leaves them out. */
function concernFields<Creates extends boolean>(mode: InputMode<Creates>) {
  return {
    detail: {
      field: (t) => t.string({ required: false, description: `Longer description (≤ ${LIMITS.detail} characters).` }),
      schema: mode.opt(optionalText(LIMITS.detail)),
    },
    themes: {
      field: (t) => t.field({ type: [Theme], required: false, description: 'Themes (at most 5).' }),
      schema: mode.def(themes, []),
    },
    language: {
      field: (t) => t.string({ required: false, description: 'BCP-47 language of the text (default "en").' }),
      schema: mode.def(language, 'en'),
    },
    neighborhoodId: {
      field: (t) => t.id({ required: false, description: 'Neighborhood it concerns (none: citywide).' }),
      schema: mode.opt(id.nullish().transform((v) => (v ? canonicalNeighborhoodId(v) : null))),
    },
    location: {
      field: (t) =>
        t.field({
          type: ConcernLocationInputRef,
          required: false,
          description:
            'The point it is about, when known. It must lie in the city (a neighborhood or council ward); without neighborhoodId the neighborhood is the one holding it, with one they must agree. Exact for staff, rounded to ~100 m for everyone else.',
        }),
      schema: mode.opt(locationRule),
    },
    supportCount: {
      field: (t) => t.int({ required: false, description: 'Residents who supported it (default 0).' }),
      schema: mode.def(count(1_000_000), 0),
    },
    mentionCount: {
      field: (t) => t.int({ required: false, description: 'Times it was raised (default 1).' }),
      schema: mode.def(count(1_000_000), 1),
    },
    contact: {
      field: (t) =>
        t.field({ type: ResidentContactInputRef, required: false, description: 'Resident contact (staff only).' }),
      schema: contact,
    },
  } satisfies InputFieldTable;
}

export const CONCERN_INPUT = inputTable({
  summary: {
    field: (t) =>
      t.string({ required: true, description: `Public one-line summary (≤ ${LIMITS.summary} characters).` }),
    schema: text(LIMITS.summary),
  },
  moderation: {
    field: (t) => t.field({ type: ModerationState, required: false, description: 'Moderation (default PENDING).' }),
    schema: z.enum(MODERATIONS).default('PENDING'),
  },
  ...concernFields(CREATING),
});
export const concernInput = CONCERN_INPUT.schema;
export type ConcernInput = z.infer<typeof concernInput>;

export const CONCERN_PATCH_INPUT = inputTable({
  id: { field: (t) => t.id({ required: true, description: 'The concern.' }), schema: id },
  summary: {
    field: (t) => t.string({ required: false, description: 'Public one-line summary.' }),
    schema: text(LIMITS.summary).optional(),
  },
  ...concernFields(CHANGING),
});
export const concernPatch = CONCERN_PATCH_INPUT.schema;
export type ConcernPatch = z.infer<typeof concernPatch>;

/** moderateConcern's arguments. */
export const MODERATION_ARGS = argTable({
  concernId: { field: (t) => t.id({ required: true, description: 'The concern.' }), schema: id },
  moderation: {
    field: (t) => t.field({ type: ModerationState, required: true, description: 'The new state.' }),
    schema: z.enum(MODERATIONS),
  },
  reason: {
    field: (t) => t.string({ required: false, description: 'Why (kept in the audit log).' }),
    schema: optionalText(LIMITS.publicNote),
  },
});

/** changeConcernStatus's arguments. */
export const STATUS_CHANGE_ARGS = argTable({
  concernId: { field: (t) => t.id({ required: true, description: 'The concern.' }), schema: id },
  status: {
    field: (t) => t.field({ type: ConcernStatus, required: true, description: 'The new status.' }),
    schema: z.enum(['NEW', 'UNDER_REVIEW', 'ALIGNED', 'IN_PROGRESS', 'ADDRESSED', 'NOT_FEASIBLE']),
  },
  publicNote: {
    field: (t) => t.string({ required: true, description: `The city’s public response (≤ ${LIMITS.publicNote}).` }),
    schema: text(LIMITS.publicNote),
  },
  publicNoteLanguage: {
    field: (t) => t.string({ required: false, description: 'Language of publicNote: "en" (default) or "es".' }),
    schema: z
      .enum(['en', 'es'], { message: 'must be "en" or "es"' })
      .nullish()
      .transform((v) => v ?? 'en'),
  },
  publicNoteTranslation: {
    field: (t) =>
      t.string({
        required: false,
        description:
          'The note in the other language, written by staff. Without it the note is machine-translated (labelled so) in the background.',
      }),
    schema: optionalText(LIMITS.publicNote),
  },
  evidenceActionOn: {
    field: (t) =>
      t.field({
        type: 'DateTime',
        required: false,
        description:
          'Evidence for ADDRESSED: when the city acted (publicNote says what it did). ADDRESSED needs this or an aligned service; otherwise BAD_USER_INPUT with extensions.reason EVIDENCE_REQUIRED.',
      }),
    schema: z
      .date()
      .refine(notInFuture, 'must not be in the future')
      .nullish()
      .transform((v) => v ?? null),
  },
});

export const NEW_CITYWIDE_CONCERN_INPUT = inputTable({
  title: {
    field: (t) => t.string({ required: true, description: 'Public title (unique).' }),
    schema: text(LIMITS.title),
  },
  summary: {
    field: (t) => t.string({ required: false, description: 'Public summary.' }),
    schema: optionalText(LIMITS.detail),
  },
  themes: {
    field: (t) => t.field({ type: [Theme], required: false, description: 'Themes.' }),
    schema: themes.default([]),
  },
});

export const MERGE_INPUT = inputTable({
  concernIds: {
    field: (t) => t.idList({ required: true, description: 'The concerns.' }),
    schema: z
      .array(id)
      .min(1, 'at least one concern')
      .max(LIMITS.concernsPerWrite)
      .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a concern'),
  },
  citywideConcernId: {
    field: (t) => t.id({ required: false, description: 'An existing citywide concern.' }),
    schema: id.nullish(),
  },
  newCitywideConcern: {
    field: (t) =>
      t.field({ type: NewCitywideConcernInputRef, required: false, description: 'Create this citywide concern.' }),
    schema: NEW_CITYWIDE_CONCERN_INPUT.schema.nullish(),
  },
});

export const ALIGN_INPUT = inputTable({
  concernId: { field: (t) => t.id({ required: true, description: 'The concern.' }), schema: id },
  initiativeId: {
    field: (t) => t.id({ required: false, description: 'An Initiative id (initiatives subgraph).' }),
    schema: id.nullish(),
  },
  serviceId: {
    field: (t) => t.id({ required: false, description: 'A Service id (resources subgraph).' }),
    schema: id.nullish(),
  },
  rationale: {
    field: (t) => t.string({ required: true, description: `Why they meet (≤ ${LIMITS.rationale} characters).` }),
    schema: text(LIMITS.rationale),
  },
});

const moderationArgs = MODERATION_ARGS.schema;
export const statusChangeArgs = STATUS_CHANGE_ARGS.schema;
const mergeInput = MERGE_INPUT.schema.refine((v) => Boolean(v.citywideConcernId) !== Boolean(v.newCitywideConcern), {
  message: 'give exactly one of citywideConcernId and newCitywideConcern',
  path: ['citywideConcernId'],
});
const alignInput = ALIGN_INPUT.schema.refine((v) => Boolean(v.initiativeId) !== Boolean(v.serviceId), {
  message: 'give exactly one of initiativeId and serviceId',
  path: ['initiativeId'],
});

export async function requireConcern(prisma: EngagementPrisma, id: string): Promise<Concern> {
  const concern = await prisma.concern.findUnique({ where: { id } });
  if (!concern) throw notFound('Concern', id);
  return concern;
}

/** moderateConcern(concernId, moderation, reason). */
export async function moderateConcern(ctx: Context, args: unknown): Promise<Concern> {
  const input = parseInput(moderationArgs, args, 'args');
  const { prisma } = ctx;
  const before = await requireConcern(prisma, input.concernId);
  if (before.moderation === input.moderation) throw conflict(`This concern is already ${input.moderation}`);
  return inTransaction(prisma, async (tx) => {
    const after = await tx.concern.update({ where: { id: before.id }, data: { moderation: input.moderation } });
    await audit(tx, actorOf(ctx.identity), [
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

export type StatusStep = Omit<z.infer<typeof statusChangeArgs>, 'concernId'>;

/** The rules of one status step, checked before anything is written (CONFLICT, EVIDENCE_REQUIRED). */
export async function checkStatusStep(
  prisma: EngagementPrisma | Prisma.TransactionClient,
  before: Concern,
  step: StatusStep,
): Promise<void> {
  if (!ALLOWED_TRANSITIONS[before.status]?.includes(step.status)) {
    throw conflict(`A concern cannot go from ${before.status} to ${step.status}`);
  }
  if (step.status === 'ALIGNED' && (await prisma.alignment.count({ where: { concernId: before.id } })) === 0) {
    throw conflict('Align the concern with an initiative or a resource before marking it ALIGNED');
  }
  if (
    step.status === 'ADDRESSED' &&
    !step.evidenceActionOn &&
    (await prisma.alignment.count({ where: { concernId: before.id, serviceId: { not: null } } })) === 0
  ) {
    throw evidenceRequired();
  }
}

/**
 * Writes one status step in the caller's transaction: the concern, its public history entry and the
 * audit entry. The caller queues the follower event (recordStatusEvent) for one or many steps.
 */
export async function writeStatusStep(
  ctx: Context,
  tx: Prisma.TransactionClient,
  before: Concern,
  step: StatusStep,
  auditExtra: Record<string, unknown> = {},
): Promise<{ concern: Concern; change: ConcernStatusChange }> {
  const after = await tx.concern.update({ where: { id: before.id }, data: { status: step.status } });
  const change = await tx.concernStatusChange.create({
    data: {
      concernId: before.id,
      fromStatus: before.status,
      toStatus: step.status,
      publicNote: step.publicNote,
      publicNoteLanguage: step.publicNoteLanguage,
      publicNoteTranslation: step.publicNoteTranslation,
      evidenceActionOn: step.evidenceActionOn,
      changedBy: ctx.identity.subject,
    },
  });
  await audit(tx, actorOf(ctx.identity), [
    {
      action: 'concern.status',
      entity: 'Concern',
      entityId: before.id,
      before,
      after: {
        ...after,
        publicNote: step.publicNote,
        publicNoteLanguage: step.publicNoteLanguage,
        publicNoteTranslation: step.publicNoteTranslation,
        evidenceActionOn: step.evidenceActionOn,
        ...auditExtra,
      },
    },
  ]);
  await recordStatusChangeWebhook(ctx.prisma, tx, change);
  return { concern: after, change };
}

/** changeConcernStatus(concernId, status, publicNote, …). */
export async function changeConcernStatus(ctx: Context, args: unknown): Promise<Concern> {
  const { concernId, ...step } = parseInput(statusChangeArgs, args, 'args');
  const { prisma } = ctx;
  const before = await requireConcern(prisma, concernId);
  await checkStatusStep(prisma, before, step);
  return inTransaction(prisma, async (tx) => {
    const { concern, change } = await writeStatusStep(ctx, tx, before, step);
    await recordStatusEvent(prisma, tx, [change.id]);
    return concern;
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

export async function mergeIntoCitywideConcern(ctx: Context, rawInput: unknown): Promise<CitywideConcern> {
  const input = parseInput(mergeInput, rawInput);
  const { prisma, identity } = ctx;
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
            createdBy: identity.subject,
          },
        }));
      await tx.concern.updateMany({
        where: { id: { in: input.concernIds } },
        data: { citywideConcernId: citywide.id },
      });
      await audit(tx, actorOf(ctx.identity), [
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

export async function alignConcern(ctx: Context, rawInput: unknown): Promise<Alignment> {
  const input = parseInput(alignInput, rawInput);
  const { prisma, identity } = ctx;
  const concern = await requireConcern(prisma, input.concernId);
  const target = input.initiativeId ? { initiativeId: input.initiativeId } : { serviceId: input.serviceId ?? '' };
  const existing = await prisma.alignment.findFirst({ where: { concernId: concern.id, ...target } });
  if (existing) throw conflict('This concern is already aligned with it');
  return inTransaction(
    prisma,
    async (tx) => {
      const alignment = await tx.alignment.create({
        data: { concernId: concern.id, ...target, rationale: input.rationale, alignedBy: identity.subject },
      });
      await audit(tx, actorOf(ctx.identity), [
        { action: 'alignment.create', entity: 'Alignment', entityId: alignment.id, after: alignment },
      ]);
      await recordAlignmentWebhook(prisma, tx, 'ALIGNMENT_CREATED', alignment);
      // The first alignment of a NEW concern is the city's first answer: it becomes ALIGNED by itself.
      const moved = await tx.concern.updateMany({
        where: { id: concern.id, status: 'NEW' },
        data: { status: 'ALIGNED' },
      });
      if (moved.count === 1) {
        const change = await tx.concernStatusChange.create({
          data: { concernId: concern.id, fromStatus: 'NEW', toStatus: 'ALIGNED', changedBy: identity.subject },
        });
        await audit(tx, actorOf(ctx.identity), [
          {
            action: 'concern.status',
            entity: 'Concern',
            entityId: concern.id,
            before: { status: 'NEW' },
            after: { status: 'ALIGNED', byAlignment: alignment.id },
          },
        ]);
        await recordStatusEvent(prisma, tx, [change.id]);
        await recordStatusChangeWebhook(prisma, tx, change);
      }
      return alignment;
    },
    'This concern is already aligned with it',
  );
}

export async function unalignConcern(ctx: Context, { alignmentId: id }: { alignmentId: string }): Promise<Alignment> {
  const { prisma } = ctx;
  const before = await prisma.alignment.findUnique({ where: { id } });
  if (!before) throw notFound('Alignment', id);
  return inTransaction(prisma, async (tx) => {
    await tx.alignment.delete({ where: { id } });
    await audit(tx, actorOf(ctx.identity), [{ action: 'alignment.delete', entity: 'Alignment', entityId: id, before }]);
    await recordAlignmentWebhook(prisma, tx, 'ALIGNMENT_REMOVED', before);
    return before;
  });
}
