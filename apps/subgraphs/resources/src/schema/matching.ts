import { badInput } from '@civic/server-kit/errors';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { Theme } from './scalars.ts';
import { Service } from './service.ts';

interface ConcernFields {
  summary?: string;
  detail?: string | null;
  themes?: string[];
  language?: string | null;
  ward?: number | null;
  neighborhoodId?: string | null;
}

interface SuggestionShape {
  score: number;
  reasons: string[];
  serviceId: string;
}

const ResourceSuggestion = builder.objectRef<SuggestionShape>('ResourceSuggestion').implement({
  description: 'A service suggested for a concern, with its score and the reasons for it.',
  fields: (t) => ({
    score: t.exposeFloat('score', {
      description:
        'Weighted sum: 3 per shared theme; 2.5 if it serves the neighborhood, else 2 its ward, else 0.5 citywide; 1 for a non-English language match; up to 1 for text relevance (Postgres ts_rank).',
    }),
    reasons: t.exposeStringList('reasons', {
      description: "Why it was suggested, e.g. 'Matches theme: Housing', 'Serves East Durham', 'Offered in Spanish'.",
    }),
    resource: t.field({
      type: Service,
      description: 'The suggested service.',
      resolve: async (s, _args, ctx: Context) => {
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
  }),
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Concern id (owned by engagement).' }),
    suggestedResources: t.field({
      type: [ResourceSuggestion],
      nullable: true,
      description:
        'Active services that may help with this concern, best first: theme, service area, language and text relevance (only services that serve the concern’s area).',
      args: { first: t.arg.int({ defaultValue: 5, description: 'How many suggestions (0–20).' }) },
      requires: builder.selection<ConcernFields>('summary detail themes language ward neighborhoodId'),
      resolve: (concern, args, ctx: Context) => {
        const first = args.first ?? 5;
        if (first < 0 || first > 20) {
          throw badInput('first must be between 0 and 20', [{ field: 'first', message: 'Between 0 and 20' }]);
        }
        return ctx.loaders.suggestions.load({
          concernId: concern.id,
          first,
          concern: {
            summary: concern.summary ?? '',
            detail: concern.detail ?? null,
            themes: concern.themes ?? [],
            language: concern.language ?? 'en',
            ward: concern.ward ?? null,
            neighborhoodId: concern.neighborhoodId ?? null,
          },
        });
      },
    }),
  }),
});
