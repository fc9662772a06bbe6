import type { Language } from '@civic/alignment/types';
import { byIds, groupedBy } from '@civic/graphql-kit/loaders';
import type { SubgraphContextBase } from '@civic/server-kit/subgraph';
import DataLoader from 'dataloader';
import type { ResourcesPrisma } from './db.ts';
import { AreaCoverageCache, type AreaTheme, type AreaThemeCoverage } from './domain/area-coverage.ts';
import { createContentLoader } from './domain/content-translations.ts';
import {
  type ConcernForSuggestion,
  ServiceMatcherCache,
  type Suggestion,
  suggestForConcerns,
} from './domain/matching.ts';
import type { ChangeRecord, Organization, Program, Service, ServiceInitiativeLink } from './generated/prisma/client.ts';

export interface Context extends SubgraphContextBase {
  prisma: ResourcesPrisma;
  loaders: ReturnType<typeof createLoaders>;
}

export interface SuggestionRequest {
  concernId: string;
  concern: ConcernForSuggestion;
  first: number;
  language: Language;
}

/** One matcher per database client (per process), shared by every request. */
const matchers = new WeakMap<ResourcesPrisma, ServiceMatcherCache>();

export function serviceMatcher(prisma: ResourcesPrisma): ServiceMatcherCache {
  let cache = matchers.get(prisma);
  if (!cache) {
    cache = new ServiceMatcherCache(prisma);
    matchers.set(prisma, cache);
  }
  return cache;
}

/** One coverage table per database client (per process), shared by every request. */
const areaCoverages = new WeakMap<ResourcesPrisma, AreaCoverageCache>();

export function areaCoverage(prisma: ResourcesPrisma): AreaCoverageCache {
  let cache = areaCoverages.get(prisma);
  if (!cache) {
    cache = new AreaCoverageCache(prisma);
    areaCoverages.set(prisma, cache);
  }
  return cache;
}

/** Per-request loaders: N references, N initiatives or N concerns cost one query each. */
function createLoaders(prisma: ResourcesPrisma) {
  return {
    content: createContentLoader(prisma),
    organization: byIds<Organization>((ids) => prisma.organization.findMany({ where: { id: { in: ids } } })),
    service: byIds<Service>((ids) => prisma.service.findMany({ where: { id: { in: ids } } })),
    program: byIds<Program>((ids) => prisma.program.findMany({ where: { id: { in: ids } } })),
    linksByInitiative: groupedBy<ServiceInitiativeLink>(
      (row) => row.initiativeId,
      (ids) =>
        prisma.serviceInitiativeLink.findMany({
          where: { initiativeId: { in: ids } },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        }),
    ),
    changesByResource: groupedBy<ChangeRecord>(
      (row) => row.resourceId,
      (ids) =>
        prisma.changeRecord.findMany({
          where: { resourceId: { in: ids } },
          orderBy: [{ lastActionDate: 'desc' }, { id: 'desc' }],
        }),
    ),
    /** Every neighborhood × theme an operation asks about (the equity gap report's rows): one batch. */
    areaCoverage: new DataLoader<AreaTheme, AreaThemeCoverage, string>((keys) => areaCoverage(prisma).coverage(keys), {
      cacheKeyFn: (k) => `${k.neighborhoodId}:${k.theme}`,
    }),
    suggestions: new DataLoader<SuggestionRequest, Suggestion[], string>(
      (requests) => suggestForConcerns(serviceMatcher(prisma), requests),
      { cacheKeyFn: (r) => `${r.concernId}:${r.first}:${r.language}` },
    ),
  };
}

export function createContext(base: SubgraphContextBase, prisma: ResourcesPrisma): Context {
  return { ...base, prisma, loaders: createLoaders(prisma) };
}
