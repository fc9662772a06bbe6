import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { englishTextOf, excludedSuggestionIds, isEnglish } from '../domain/alignment-text.ts';
import { Concern } from './concern.ts';
import { Theme } from './scalars.ts';

export const ThemeSource = builder.enumType('ThemeSource', {
  description: 'Who chose a concern’s themes.',
  values: {
    STAFF: { description: 'City staff (or the spreadsheet they imported); never changed automatically.' },
    AUTOMATIC: { description: 'The alignment engine, from the concern’s words; replaced when it learns more.' },
  } as const,
});

export const EnglishTextSource = builder.enumType('EnglishTextSource', {
  description: 'Where a concern’s English text comes from.',
  values: {
    AS_ENTERED: { description: 'The concern was entered in English.' },
    MACHINE_TRANSLATION: { description: 'Machine translation (offline, apertium) of the text as entered.' },
  } as const,
});

const ThemeTag = builder.objectRef<{ theme: string; confidence: number; source: 'STAFF' | 'AUTOMATIC' }>('ThemeTag');
ThemeTag.implement({
  description: 'One of a concern’s themes, with who chose it and how sure the engine is.',
  fields: (t) => ({
    theme: t.field({ type: Theme, description: 'The theme code.', resolve: (tag) => tag.theme as never }),
    confidence: t.exposeFloat('confidence', { description: '0–1; 1 for a staff tag.' }),
    source: t.field({ type: ThemeSource, description: 'Who chose it.', resolve: (tag) => tag.source }),
  }),
});

builder.objectFields(Concern, (t) => ({
  englishText: t.string({
    nullable: true,
    description:
      'Summary and detail in English: as entered when the concern is in English, else a machine translation ' +
      '(see englishTextSource); null until the translation is made.',
    resolve: (c) => englishTextOf(c),
  }),
  englishTextSource: t.field({
    type: EnglishTextSource,
    nullable: true,
    description: 'Whether englishText is the text as entered or a machine translation (null when there is none).',
    resolve: (c) => (isEnglish(c) ? 'AS_ENTERED' : c.englishText ? 'MACHINE_TRANSLATION' : null),
  }),
  excludedSuggestionIds: t.idList({
    description:
      'Ids of the services and initiatives already aligned with this concern or dismissed for it: never suggested again.',
    // Both lists in one statement, shared with the concern's initiatives and resources.
    resolve: async (c, _args, ctx: Context) => {
      const linked = await ctx.loaders.linkedIdsByConcern.load(c.id);
      return excludedSuggestionIds(
        linked.filter((row) => !row.dismissed),
        linked.filter((row) => row.dismissed),
      );
    },
  }),
  themeSource: t.field({
    type: ThemeSource,
    nullable: true,
    description: 'Who chose `themes` (null while the concern has none).',
    resolve: (c) => c.themeSource,
  }),
  themeTags: t.field({
    type: [ThemeTag],
    description: 'The concern’s themes with their source and confidence, in the order of `themes`.',
    resolve: (c) => {
      const source = c.themeSource ?? 'STAFF';
      const confidence = (c.themeConfidence ?? {}) as Record<string, number>;
      return c.themes.map((theme) => ({
        theme,
        source,
        confidence: source === 'STAFF' ? 1 : (confidence[theme] ?? 0),
      }));
    },
  }),
}));
