import type { Language } from '@civic/alignment/types';
import { byIds } from '@civic/graphql-kit/loaders';
import type { SubgraphContextBase } from '@civic/server-kit/subgraph';
import DataLoader from 'dataloader';
import type { InitiativesPrisma } from './db.ts';
import { createContentLoader } from './domain/content-translations.ts';
import {
  type ConcernForSuggestion,
  InitiativeMatcherCache,
  type InitiativeSuggestion,
  suggestInitiatives,
} from './domain/initiative-suggestions.ts';
import type { ConversationStatsSource } from './domain/measure-refresh.ts';
import type { Initiative } from './generated/prisma/client.ts';

export interface Context extends SubgraphContextBase {
  prisma: InitiativesPrisma;
  loaders: ReturnType<typeof createLoaders>;
  /** Engagement's published-conversation counts, read through the gateway. */
  conversationStats: ConversationStatsSource;
}

export interface InitiativeSuggestionRequest {
  concernId: string;
  concern: ConcernForSuggestion;
  first: number;
  language: Language;
}

/** One matcher per database client (per process), shared by every request. */
const matchers = new WeakMap<InitiativesPrisma, InitiativeMatcherCache>();

function initiativeMatcher(prisma: InitiativesPrisma): InitiativeMatcherCache {
  let cache = matchers.get(prisma);
  if (!cache) {
    cache = new InitiativeMatcherCache(prisma);
    matchers.set(prisma, cache);
  }
  return cache;
}

/** Per-request loaders: N entity references cost one query. */
function createLoaders(prisma: InitiativesPrisma) {
  return {
    content: createContentLoader(prisma),
    initiativeSuggestions: new DataLoader<InitiativeSuggestionRequest, InitiativeSuggestion[], string>(
      (requests) => suggestInitiatives(initiativeMatcher(prisma), requests),
      { cacheKeyFn: (r) => `${r.concernId}:${r.first}:${r.language}` },
    ),
    initiative: byIds<Initiative>((ids) => prisma.initiative.findMany({ where: { id: { in: ids } } })),
  };
}

export function createContextFactory(conversationStats: ConversationStatsSource) {
  return (base: SubgraphContextBase, prisma: InitiativesPrisma): Context => ({
    ...base,
    prisma,
    loaders: createLoaders(prisma),
    conversationStats,
  });
}
