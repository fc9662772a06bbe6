import { badInput } from '@civic/server-kit/errors';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import {
  CONTENT_FIELDS,
  type ContentEntity,
  contentLanguage,
  DIRECTORY_TRANSLATION_INPUT,
  type LocalizedText,
  localize,
  setDirectoryTranslation,
  textOf,
} from '../domain/content-translations.ts';

export const DirectoryText = builder.objectRef<LocalizedText>('DirectoryText').implement({
  description:
    'One field of directory content in the language asked for: the version staff wrote, else a machine translation (labelled), else the original in its own language.',
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The field it is, e.g. "description" or "eligibility".' }),
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

export const LANGUAGE_ARG =
  'Return the "en" or "es" version (staff\'s, else the machine\'s, else the original); omitted: as entered.';

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
  return (localize(await ctx.loaders.content.load(`${entity}:${id}`), field, original, lang)?.text ?? original) as T;
}

/**
 * Every translatable field of one entity in `language`, or only `fields` when given (fields with no
 * text are left out). A field the entity does not translate is a BAD_USER_INPUT error.
 */
export async function contentIn(
  ctx: Context,
  entity: ContentEntity,
  id: string,
  originals: object,
  language: string,
  fields?: readonly string[] | null,
): Promise<LocalizedText[]> {
  const lang = contentLanguage(language);
  const known: readonly string[] = CONTENT_FIELDS[entity];
  const unknown = fields?.find((f) => !known.includes(f));
  if (unknown !== undefined) {
    throw badInput(`${entity} has no translatable field "${unknown}"`, [
      { field: 'fields', message: `Use ${known.join(', ')}` },
    ]);
  }
  const rows = await ctx.loaders.content.load(`${entity}:${id}`);
  return known
    .filter((field) => !fields || fields.includes(field))
    .flatMap((field) => localize(rows, field, textOf(originals, field), lang) ?? []);
}

export const FIELDS_ARG = 'Only these fields, e.g. ["name"] (default: all of them).';

const SetDirectoryTranslationInput = builder.inputType('SetDirectoryTranslationInput', {
  description: 'A staff version of one field of directory content in the language other than the original.',
  fields: (t) => DIRECTORY_TRANSLATION_INPUT.fields(t),
});

builder.mutationFields((t) => ({
  setDirectoryTranslation: t.field({
    type: DirectoryText,
    nullable: true,
    description:
      'Writes or corrects the Spanish (or English) version of one field of an organization or service, with the permissions of updateService (staff of its department, its partner, an administrator). Recorded in the change log; a staff version is never replaced by the machine. Returns the field in that language (null: the field has no text).',
    args: { input: t.arg({ type: SetDirectoryTranslationInput, required: true, description: 'What to write.' }) },
    resolve: (_root, { input }, ctx) => setDirectoryTranslation(ctx, input),
  }),
}));
