import { isAdmin } from '@civic/graphql-kit/roles';
import { inTransaction, parseInput } from '@civic/graphql-kit/write';
import { badInput, forbidden, notFound, unauthenticated } from '@civic/server-kit/errors';
import { z } from 'zod';
import type { Context } from '../context.ts';
import { PlanContentEntity } from '../schema/enums.ts';
import { actorName, audit } from './audit.ts';
import {
  CONTENT_ENTITIES,
  CONTENT_FIELDS,
  type ContentEntity,
  contentLanguage,
  type LocalizedText,
  localize,
  ORIGINAL_LANGUAGE,
  queueContentTranslation,
  sourceHash,
} from './content-translations.ts';
import { canEditInitiative } from './initiative-access.ts';
import { inputTable } from './input-table.ts';

const TRANSLATION_MAX = 20_000;

export const setPlanTranslationFields = inputTable({
  entity: {
    schema: z.enum(CONTENT_ENTITIES as [ContentEntity, ...ContentEntity[]]),
    field: (t) => t.field({ type: PlanContentEntity, required: true, description: 'The kind of content.' }),
  },
  id: { schema: z.string(), field: (t) => t.id({ required: true, description: 'Its id.' }) },
  field: {
    schema: z.string(),
    field: (t) => t.string({ required: true, description: 'The field, e.g. "title" (see PlanContentEntity).' }),
  },
  language: {
    schema: z.string(),
    field: (t) => t.string({ required: true, description: '"es" (or "en" for content entered in Spanish).' }),
  },
  text: {
    schema: z
      .string()
      .nullish()
      .transform((text) => text?.trim() ?? '')
      .pipe(z.string().max(TRANSLATION_MAX, `At most ${TRANSLATION_MAX} characters`)),
    field: (t) =>
      t.string({ description: 'The text; null or empty removes the staff version, and the machine translates again.' }),
  },
});

export type SetPlanTranslationInput = z.input<typeof setPlanTranslationFields.schema>;

/** The text of one field of a row (null when it holds none). */
export function textOf(row: object, field: string): string | null {
  const value = (row as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : null;
}

/** The row a translation belongs to: its original texts and, for plan items under an initiative, its lead. */
async function owner(
  ctx: Context,
  entity: ContentEntity,
  id: string,
): Promise<{ originals: object; initiativeId: string | null; lead: string | null }> {
  switch (entity) {
    case 'GOAL': {
      const g = await ctx.prisma.goal.findUnique({ where: { id } });
      if (!g) throw notFound('Goal', id);
      return {
        originals: { title: g.title, statement: g.statement, whyItMatters: g.why },
        initiativeId: null,
        lead: null,
      };
    }
    case 'OBJECTIVE': {
      const o = await ctx.prisma.objective.findUnique({ where: { id } });
      if (!o) throw notFound('Objective', id);
      return { originals: { title: o.title }, initiativeId: null, lead: null };
    }
    case 'INITIATIVE': {
      const i = await ctx.prisma.initiative.findUnique({ where: { id } });
      if (!i) throw notFound('Initiative', id);
      return { originals: i, initiativeId: i.id, lead: i.leadDepartmentId };
    }
    case 'MEASURE': {
      const m = await ctx.prisma.measure.findUnique({ where: { id }, include: { initiative: true } });
      if (!m) throw notFound('Measure', id);
      return { originals: m, initiativeId: m.initiativeId, lead: m.initiative.leadDepartmentId };
    }
    case 'OBSERVATION': {
      const o = await ctx.prisma.observation.findUnique({
        where: { id },
        include: { measure: { include: { initiative: true } } },
      });
      if (!o) throw notFound('Observation', id);
      return { originals: o, initiativeId: o.measure.initiativeId, lead: o.measure.initiative.leadDepartmentId };
    }
  }
}

/**
 * Writes (or, with no text, removes) the staff version of one field of plan content; the machine never
 * replaces it. Returns the field in that language (null: the field has no text).
 */
export async function setPlanTranslation(ctx: Context, input: SetPlanTranslationInput): Promise<LocalizedText | null> {
  if (ctx.identity.role === 'PUBLIC') throw unauthenticated('Sign in as city staff to translate plan content');
  const { entity, id, field, text } = parseInput(
    setPlanTranslationFields.schema,
    input,
    null,
    'The translation was not saved',
  );
  const fields: readonly string[] = CONTENT_FIELDS[entity];
  if (!fields.includes(field)) {
    throw badInput(`${entity} has no translatable field "${field}"`, [
      { field: 'field', message: `Use one of ${fields.join(', ')}` },
    ]);
  }
  const language = contentLanguage(input.language);
  if (language === ORIGINAL_LANGUAGE) {
    throw badInput('That is the language the content was entered in: change the original instead', [
      { field: 'language', message: `The original is in "${ORIGINAL_LANGUAGE}"` },
    ]);
  }
  const target = await owner(ctx, entity, id);
  const allowed =
    isAdmin(ctx.identity) ||
    (target.initiativeId !== null && canEditInitiative(ctx.identity, { leadDepartmentId: target.lead }));
  if (!allowed) {
    throw forbidden(
      target.initiativeId
        ? 'Only staff of the lead department (or an administrator) can translate this content'
        : 'Only an administrator can translate goals and objectives',
    );
  }
  const original = textOf(target.originals, field);
  if (text && !original?.trim()) {
    throw badInput('The field has no original text to translate', [{ field: 'field', message: 'It is empty' }]);
  }
  const by = actorName(ctx.identity);
  const key = { entity, entityId: id, field, language };
  await inTransaction(ctx.prisma, async (tx) => {
    const before = await tx.contentTranslation.findUnique({ where: { entity_entityId_field_language: key } });
    if (text) {
      const data = {
        text,
        sourceLanguage: ORIGINAL_LANGUAGE,
        machineTranslated: false,
        sourceHash: sourceHash((original as string).trim()),
        updatedBy: by,
      };
      await tx.contentTranslation.upsert({
        where: { entity_entityId_field_language: key },
        create: { ...key, ...data },
        update: data,
      });
    } else {
      await tx.contentTranslation.deleteMany({ where: { ...key, machineTranslated: false } });
    }
    const details = { entity, field, language, text: [before?.text ?? null, text || null] };
    if (target.initiativeId) {
      await audit(tx, {
        initiativeId: target.initiativeId,
        action: 'content.translation',
        subjectId: id,
        actor: by,
        details,
      });
    } else {
      ctx.logger.info('audit', { action: 'content.translation', subjectId: id, actor: by, ...details });
    }
  });
  if (!text) await queueContentTranslation(ctx.prisma, entity, [id]);
  ctx.loaders.content.clear(`${entity}:${id}`);
  return localize(await ctx.loaders.content.load(`${entity}:${id}`), field, original, language);
}
