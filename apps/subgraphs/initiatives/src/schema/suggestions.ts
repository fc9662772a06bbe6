import { badInput } from '@civic/server-kit/errors';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { asLanguage } from '../domain/initiative-suggestions.ts';
import { Initiative } from './initiative.ts';
import { Theme } from './scalars.ts';

interface ConcernFields {
  summary?: string;
  detail?: string | null;
  language?: string | null;
  themes?: string[];
  englishText?: string | null;
  excludedSuggestionIds?: string[] | null;
}

interface SuggestionShape {
  score: number;
  reasons: string[];
  initiativeId: string;
}

const InitiativeSuggestion = builder.objectRef<SuggestionShape>('InitiativeSuggestion').implement({
  description: 'A strategic-plan initiative suggested for a concern, with its score and the reasons for it.',
  fields: (t) => ({
    score: t.exposeFloat('score', {
      description:
        'How well the initiative addresses the concern, 0–1 (the alignment engine: title, description, narratives, measures, themes). Nothing below the calibrated threshold is suggested.',
    }),
    reasons: t.exposeStringList('reasons', {
      description: "Why it was suggested, in the caller's language.",
    }),
    initiative: t.field({
      type: Initiative,
      description: 'The suggested initiative.',
      resolve: async (s, _args, ctx: Context) => {
        const initiative = await ctx.loaders.initiative.load(s.initiativeId);
        if (!initiative) throw new Error(`suggested initiative ${s.initiativeId} vanished`);
        return initiative;
      },
    }),
  }),
});

const Concern = builder.externalRef('Concern', builder.selection<{ id: string }>('id'));

Concern.implement({
  externalFields: (t) => ({
    summary: t.string(),
    detail: t.string({ nullable: true }),
    language: t.string(),
    themes: t.field({ type: [Theme] }),
    englishText: t.string({ nullable: true }),
    excludedSuggestionIds: t.idList(),
  }),
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Concern id (owned by engagement).' }),
    suggestedInitiatives: t.field({
      type: [InitiativeSuggestion],
      nullable: true,
      cost: 10,
      listSize: { slicingArguments: ['first'], requireOneSlicingArgument: false },
      description:
        'Strategic-plan initiatives that address this concern, best first, never one staff already aligned or dismissed for it. Empty when none fits well enough.',
      args: {
        first: t.arg.int({ defaultValue: 5, description: 'How many suggestions (0–20).' }),
        language: t.arg.string({ required: false, description: 'Language of the reasons: en (default) or es.' }),
      },
      requires: builder.selection<ConcernFields>('summary detail language themes englishText excludedSuggestionIds'),
      resolve: (concern, args, ctx: Context) => {
        const first = args.first ?? 5;
        if (first < 0 || first > 20) {
          throw badInput('first must be between 0 and 20', [{ field: 'first', message: 'Between 0 and 20' }]);
        }
        if (args.language && !/^(en|es)(-[A-Za-z0-9]{2,8})*$/i.test(args.language.trim())) {
          throw badInput('language must be en or es', [{ field: 'language', message: 'en or es' }]);
        }
        return ctx.loaders.initiativeSuggestions.load({
          concernId: concern.id,
          first,
          language: asLanguage(args.language ?? 'en'),
          concern: {
            summary: concern.summary ?? '',
            detail: concern.detail ?? null,
            englishText: concern.englishText ?? null,
            themes: concern.themes ?? [],
            language: concern.language ?? 'en',
            excludedIds: concern.excludedSuggestionIds ?? [],
          },
        });
      },
    }),
  }),
});
