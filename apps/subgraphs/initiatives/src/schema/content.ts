import { badInput } from '@civic/server-kit/errors';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import {
  CONTENT_FIELDS,
  type ContentEntity,
  type ContentLanguage,
  contentLanguage,
  type LocalizedText,
  localize,
  ORIGINAL_LANGUAGE,
} from '../domain/content-translations.ts';
import { setPlanTranslation, setPlanTranslationFields, textOf } from '../domain/plan-translation.ts';
import type { ContentTranslation } from '../generated/prisma/client.ts';

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

/**
 * The stored versions of an entity's fields, then `pick` over them. None are read for the original
 * language, which shows the columns: that answer is returned at once, not as a promise, so a list of
 * initiatives with their content completes without a promise per field (the dashboard asks for
 * thousands of them).
 */
function withRows<T>(
  ctx: Context,
  entity: ContentEntity,
  id: string,
  language: ContentLanguage,
  pick: (rows: readonly ContentTranslation[]) => T,
): T | Promise<T> {
  if (language === ORIGINAL_LANGUAGE) return pick([]);
  return ctx.loaders.content.load(`${entity}:${id}`).then(pick);
}

/** The value of a text field with an optional `language` argument. */
export function textIn<T extends string | null>(
  ctx: Context,
  entity: ContentEntity,
  id: string,
  field: string,
  original: T,
  language: string | null | undefined,
): T | Promise<T> {
  if (language == null) return original;
  const lang = contentLanguage(language);
  return withRows(ctx, entity, id, lang, (rows) => (localize(rows, field, original, lang)?.text ?? original) as T);
}

/**
 * Every translatable field of one entity in `language`, or only `fields` when given (fields with no
 * text are left out). A field the entity does not translate is a BAD_USER_INPUT error.
 */
export function contentIn(
  ctx: Context,
  entity: ContentEntity,
  id: string,
  originals: object,
  language: string,
  fields?: readonly string[] | null,
): LocalizedText[] | Promise<LocalizedText[]> {
  const lang = contentLanguage(language);
  const known: readonly string[] = CONTENT_FIELDS[entity];
  const unknown = fields?.find((f) => !known.includes(f));
  if (unknown !== undefined) {
    throw badInput(`${entity} has no translatable field "${unknown}"`, [
      { field: 'fields', message: `Use ${known.join(', ')}` },
    ]);
  }
  const asked = fields ? known.filter((field) => fields.includes(field)) : known;
  return withRows(ctx, entity, id, lang, (rows) =>
    asked.flatMap((field) => localize(rows, field, textOf(originals, field), lang) ?? []),
  );
}

export const FIELDS_ARG = 'Only these fields, e.g. ["title"] (default: all of them).';

export const LANGUAGE_ARG =
  'Return the "en" or "es" version (staff\'s, else the machine\'s, else the original); omitted: as entered.';

const SetPlanTranslationInput = builder.inputType('SetPlanTranslationInput', {
  description: 'A staff version of one field of plan content in the language other than the original.',
  fields: (t) => setPlanTranslationFields.fields(t),
});

builder.mutationFields((t) => ({
  setPlanTranslation: t.field({
    type: PlanText,
    nullable: true,
    description:
      'Writes or corrects the Spanish (or English) version of one field of plan content. Staff of the lead department (initiatives and their measures) or an administrator; goals and objectives: administrators. A staff version is never replaced by the machine. Returns the field in that language (null: the field has no text).',
    args: { input: t.arg({ type: SetPlanTranslationInput, required: true, description: 'What to write.' }) },
    resolve: (_root, { input }, ctx) => setPlanTranslation(ctx, input),
  }),
}));
