import { badInput, forbidden, notFound, unauthenticated } from '@civic/server-kit/errors';
import { audit } from '../domain/audit.ts';
import { actor, canEditInitiative } from '../domain/initiative-access.ts';
import { builder } from '../builder.ts';
import {
  CONTENT_FIELDS,
  type ContentEntity,
  type ContentLanguage,
  contentLanguage,
  type LocalizedText,
  localize,
  ORIGINAL_LANGUAGE,
  queueContentTranslation,
  sourceHash,
} from '../domain/content-translations.ts';
import type { Context } from '../context.ts';

export const PlanText = builder.objectRef<LocalizedText>('PlanText').implement({
  description:
    'One field of plan content in the language asked for: the version staff wrote, else a machine translation (labelled), else the original in its own language.',
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The field it is, e.g. "title" or "whyItMatters".' }),
    text: t.exposeString('text', { description: 'The text to show.' }),
    language: t.exposeString('language', {
      description:
        'The language of `text` ("en" or "es"); the original\'s when no version in the asked language exists.',
    }),
    machineTranslated: t.exposeBoolean('machineTranslated', {
      description: 'Whether `text` is a machine translation (show it labelled, with the original).',
    }),
    original: t.exposeString('original', { description: 'The text as entered.' }),
    originalLanguage: t.exposeString('originalLanguage', { description: 'The language it was entered in.' }),
    outdated: t.exposeBoolean('outdated', {
      description: 'A staff translation made before the original last changed (shown until staff update it).',
    }),
  }),
});

export const PlanContentEntity = builder.enumType('PlanContentEntity', {
  description: 'The kinds of plan content that hold text in English and Spanish.',
  values: {
    GOAL: { description: 'A goal: title, statement, whyItMatters.' },
    OBJECTIVE: { description: 'An objective: title.' },
    INITIATIVE: {
      description: 'An initiative: title, description, whyItMatters, whatWeHaveBeenDoing, whatsNext.',
    },
    MEASURE: { description: 'A measure: name, targetLabel.' },
  } as const,
});

function textOf(row: object, field: string): string | null {
  const value = (row as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : null;
}

async function rowsFor(ctx: Context, entity: ContentEntity, id: string) {
  return ctx.loaders.content.load(`${entity}:${id}`);
}

/** The value of a text field with an optional `language` argument. */
export async function textIn<T extends string | null>(
  ctx: Context,
  entity: ContentEntity,
  id: string,
  field: string,
  original: T,
  language: string | null | undefined,
): Promise<T> {
  if (language == null) return original;
  const lang = contentLanguage(language);
  return (localize(await rowsFor(ctx, entity, id), field, original, lang)?.text ?? original) as T;
}

/** Every translatable field of one entity in `language` (fields with no text are left out). */
export async function contentIn(
  ctx: Context,
  entity: ContentEntity,
  id: string,
  originals: object,
  language: string,
): Promise<LocalizedText[]> {
  const lang = contentLanguage(language);
  const rows = await rowsFor(ctx, entity, id);
  return CONTENT_FIELDS[entity].flatMap((field) => localize(rows, field, textOf(originals, field), lang) ?? []);
}

export const LANGUAGE_ARG =
  'Return the "en" or "es" version (staff\'s, else the machine\'s, else the original); omitted: as entered.';

const SetPlanTranslationInput = builder.inputType('SetPlanTranslationInput', {
  description: 'A staff version of one field of plan content in the language other than the original.',
  fields: (t) => ({
    entity: t.field({ type: PlanContentEntity, required: true, description: 'The kind of content.' }),
    id: t.id({ required: true, description: 'Its id.' }),
    field: t.string({ required: true, description: 'The field, e.g. "title" (see PlanContentEntity).' }),
    language: t.string({ required: true, description: '"es" (or "en" for content entered in Spanish).' }),
    text: t.string({
      description: 'The text; null or empty removes the staff version, and the machine translates again.',
    }),
  }),
});

const TRANSLATION_MAX = 20_000;

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
  }
}

builder.mutationFields((t) => ({
  setPlanTranslation: t.field({
    type: PlanText,
    nullable: true,
    description:
      'Writes or corrects the Spanish (or English) version of one field of plan content. Staff of the lead department (initiatives and their measures) or an administrator; goals and objectives: administrators. A staff version is never replaced by the machine. Returns the field in that language (null: the field has no text).',
    args: { input: t.arg({ type: SetPlanTranslationInput, required: true, description: 'What to write.' }) },
    resolve: async (_root, { input }, ctx) => {
      if (ctx.identity.role === 'PUBLIC') throw unauthenticated('Sign in as city staff to translate plan content');
      const entity = input.entity as ContentEntity;
      const fields: readonly string[] = CONTENT_FIELDS[entity];
      if (!fields.includes(input.field)) {
        throw badInput(`${entity} has no translatable field "${input.field}"`, [
          { field: 'field', message: `Use one of ${fields.join(', ')}` },
        ]);
      }
      const language: ContentLanguage = contentLanguage(input.language);
      if (language === ORIGINAL_LANGUAGE) {
        throw badInput('That is the language the content was entered in: change the original instead', [
          { field: 'language', message: `The original is in "${ORIGINAL_LANGUAGE}"` },
        ]);
      }
      const text = input.text?.trim() ?? '';
      if (text.length > TRANSLATION_MAX) {
        throw badInput('The translation was not saved', [
          { field: 'text', message: `At most ${TRANSLATION_MAX} characters` },
        ]);
      }
      const target = await owner(ctx, entity, input.id);
      const allowed =
        ctx.identity.role === 'ADMIN' ||
        (target.initiativeId !== null && canEditInitiative(ctx.identity, { leadDepartmentId: target.lead }));
      if (!allowed) {
        throw forbidden(
          target.initiativeId
            ? 'Only staff of the lead department (or an administrator) can translate this content'
            : 'Only an administrator can translate goals and objectives',
        );
      }
      const original = textOf(target.originals, input.field);
      if (text && !original?.trim()) {
        throw badInput('The field has no original text to translate', [{ field: 'field', message: 'It is empty' }]);
      }
      const by = actor(ctx.identity);
      const key = { entity, entityId: input.id, field: input.field, language };
      await ctx.prisma.$transaction(async (tx) => {
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
        const details = { entity, field: input.field, language, text: [before?.text ?? null, text || null] };
        if (target.initiativeId) {
          await audit(tx, {
            initiativeId: target.initiativeId,
            action: 'content.translation',
            subjectId: input.id,
            actor: by,
            details,
          });
        } else {
          ctx.logger.info('audit', { action: 'content.translation', subjectId: input.id, actor: by, ...details });
        }
      });
      if (!text) await queueContentTranslation(ctx.prisma, entity, [input.id]);
      ctx.loaders.content.clear(`${entity}:${input.id}`);
      return localize(await rowsFor(ctx, entity, input.id), input.field, original, language);
    },
  }),
}));
