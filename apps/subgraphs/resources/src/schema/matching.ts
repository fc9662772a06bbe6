import { badInput } from '@civic/server-kit/errors';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { asLanguage, type Suggestion } from '../domain/matching.ts';
import { Theme } from './scalars.ts';
import { Service } from './service.ts';

interface ConcernFields {
  summary?: string;
  detail?: string | null;
  themes?: string[];
  language?: string | null;
  ward?: number | null;
  neighborhoodId?: string | null;
  englishText?: string | null;
  excludedSuggestionIds?: string[] | null;
}

/** The caller's language for reasons: 'en' or 'es' (a region such as es-US is accepted). */
export function readerLanguage(language: string | null | undefined) {
  if (language === null || language === undefined) return 'en';
  if (!/^(en|es)(-[A-Za-z0-9]{2,8})*$/i.test(language.trim())) {
    throw badInput('language must be en or es', [{ field: 'language', message: 'en or es' }]);
  }
  return asLanguage(language.trim());
}

const ResourceSuggestion = builder.objectRef<Suggestion>('ResourceSuggestion').implement({
  description: 'A service suggested for a concern, with its score and the reasons for it.',
  fields: (t) => ({
    score: t.exposeFloat('score', {
      description:
        'How well the service fits the concern, 0–1 (the alignment engine: what the service does for it, themes, area, language). Nothing below the calibrated threshold is suggested.',
    }),
    reasons: t.exposeStringList('reasons', {
      description:
        "Why it was suggested, in the caller's language, e.g. 'Serves Walltown', 'Offered in Spanish', 'Helps with: eviction'.",
    }),
    resource: t.field({
      type: Service,
      description: 'The suggested service.',
      resolve: async (s, _args, ctx: Context) => {
        if (s.service) {
          ctx.loaders.service.prime(s.serviceId, s.service);
          return s.service;
        }
        const service = await ctx.loaders.service.load(s.serviceId);
        if (!service) throw new Error(`suggested service ${s.serviceId} vanished`);
        return service;
      },
    }),
  }),
});

const Concern = builder.externalRef('Concern', builder.selection<{ id: string }>('id'));

Concern.implement({
  externalFields: (t) => ({
    summary: t.string(),
    detail: t.string({ nullable: true }),
    themes: t.field({ type: [Theme] }),
    language: t.string(),
    ward: t.int({ nullable: true }),
    neighborhoodId: t.id({ nullable: true }),
    englishText: t.string({ nullable: true }),
    excludedSuggestionIds: t.idList(),
  }),
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Concern id (owned by engagement).' }),
    suggestedResources: t.field({
      type: [ResourceSuggestion],
      nullable: true,
      cost: 10,
      listSize: { slicingArguments: ['first'], requireOneSlicingArgument: false },
      description:
        'Active services that may help with this concern, best first, only services whose area covers the concern’s neighborhood, never one staff already aligned or dismissed for it. Empty when nothing fits well enough: no suggestion rather than a wrong one.',
      args: {
        first: t.arg.int({ defaultValue: 5, description: 'How many suggestions (0–20).' }),
        language: t.arg.string({
          required: false,
          description: 'Language of the reasons: en (default) or es.',
        }),
      },
      requires: builder.selection<ConcernFields>(
        'summary detail themes language ward neighborhoodId englishText excludedSuggestionIds',
      ),
      resolve: (concern, args, ctx: Context) => {
        const first = args.first ?? 5;
        if (first < 0 || first > 20) {
          throw badInput('first must be between 0 and 20', [{ field: 'first', message: 'Between 0 and 20' }]);
        }
        const language = readerLanguage(args.language);
        return ctx.loaders.suggestions.load({
          concernId: concern.id,
          first,
          language,
          concern: {
            summary: concern.summary ?? '',
            detail: concern.detail ?? null,
            englishText: concern.englishText ?? null,
            themes: concern.themes ?? [],
            language: concern.language ?? 'en',
            neighborhoodId: concern.neighborhoodId ?? null,
            excludedIds: concern.excludedSuggestionIds ?? [],
          },
        });
      },
    }),
  }),
});
