import { createHash } from 'node:crypto';
import { createServiceMatcher } from '@civic/alignment/match';
import { describeReason } from '@civic/alignment/reasons';
import { createThemeTagger } from '@civic/alignment/themes';
import type { Language, ServiceForMatching } from '@civic/alignment/types';
import { loadStrategicPlan } from '@civic/reference-data/strategic-plan';
import type { ResourcesPrisma } from '../db.ts';
import type { Service } from '../generated/prisma/client.ts';
import { refreshCoverage } from './matching-coverage.ts';
import { neighborhoodCoverageIndex, neighborhoodName } from './matching-neighborhoods.ts';

/** What matching needs from a concern (the fields `@requires` brings from engagement). */
export interface ConcernForSuggestion {
  summary: string;
  detail: string | null;
  englishText: string | null;
  themes: readonly string[];
  language: string | null;
  neighborhoodId: string | null;
  /** Services staff already aligned with or dismissed for this concern. */
  excludedIds: readonly string[];
}

export interface Suggestion {
  serviceId: string;
  score: number;
  reasons: string[];
  /** The service's row as the matcher read it, at the table version this request checked. */
  service: Service | undefined;
}

interface Built {
  version: string;
  rank: ReturnType<typeof createServiceMatcher>['rank'];
  /** The active services' rows, read with the matcher at `version`: a suggestion's service needs no statement of its own. */
  rows: ReadonlyMap<string, Service>;
  /**
   * Suggestions already ranked with this matcher, keyed by everything ranking reads (the concern's fields, `first`
   * and the reader's language): the same concern asks again on every page view, and its answer only changes with
   * its own fields or with the directory (a new version builds a new matcher, with an empty memo).
   */
  ranked: Map<string, Suggestion[]>;
}

/** Ranked answers kept per matcher (least recently used dropped first): about 1 kB each (five suggestions and their reasons). */
const RANKED_LIMIT = 5000;

/**
 * The version of the service table: any insert, update or delete changes it. Several instances of
 * the subgraph share one database, so each checks it before ranking instead of trusting its memory.
 */
interface TableVersion {
  version: string;
  stale: boolean;
}

/**
 * One row read: the counter a statement trigger bumps in every write to "Service" (migration
 * service_table_version), and whether any service's coverage awaits recomputation (a partial index).
 */
async function tableVersion(prisma: ResourcesPrisma): Promise<TableVersion> {
  const [row] = await prisma.$queryRaw<{ version: bigint | null; stale: boolean }[]>`
    SELECT (SELECT "version" FROM "ServiceTableVersion" WHERE "id" = 1) AS version,
      EXISTS (SELECT 1 FROM "Service" WHERE NOT "coverageComputed") AS stale`;
  if (row?.version === null || row?.version === undefined) {
    throw new Error('the ServiceTableVersion row is missing: run the resources migrations');
  }
  return { version: String(row.version), stale: row.stale };
}

interface LoadedServices {
  rows: Map<string, Service>;
  forMatching: ServiceForMatching[];
}

async function loadServices(prisma: ResourcesPrisma): Promise<LoadedServices> {
  const found = await prisma.service.findMany({
    where: { status: 'ACTIVE' },
    include: { organization: { select: { name: true } } },
    orderBy: { id: 'asc' },
  });
  const tagger = createThemeTagger();
  const rows = new Map<string, Service>();
  const forMatching = found.map(({ organization, ...s }) => {
    rows.set(s.id, s);
    return {
      id: s.id,
      name: s.name,
      description: s.description,
      organizationName: organization.name,
      status: s.status.toLowerCase(),
      // The stored themes (staff's, or an import's keyword guesses) and what the engine's tagger reads in the
      // service's own text: the theme agreement that ranking and abstention weigh.
      themes: [
        ...new Set([
          ...s.themes,
          ...tagger.tag({ summary: `${s.name}. ${s.description ?? ''}`, language: 'en' }).map((t) => t.code),
        ]),
      ],
      languages: s.languages,
      eligibility: s.eligibilityDescription,
      minimumAge: s.minimumAge,
      maximumAge: s.maximumAge,
      fees: s.feesDescription,
      coverage: { citywide: s.coverageCitywide, neighborhoodIds: s.coverageNeighborhoodIds },
    };
  });
  return { rows, forMatching };
}

let planTexts: string[] | null = null;

/**
 * What the city decides, funds and builds, in its own words: the published strategic plan's initiatives. The engine
 * contrasts it with the directory to tell a need a service meets from a policy ask (its abstention).
 */
function policyTexts(): string[] {
  planTexts ??= loadStrategicPlan().goals.flatMap((g) =>
    g.objectives.flatMap((o) =>
      o.initiatives.flatMap((i) =>
        [i.title, i.summary?.description, i.summary?.why, i.summary?.doing, i.summary?.next].filter((t): t is string =>
          Boolean(t),
        ),
      ),
    ),
  );
  return planTexts;
}

/**
 * The engine's matcher over the active services, kept in memory and rebuilt when the table's
 * version changes (a service created, edited, closed or imported, here or by another instance).
 * Services whose coverage is stale are recomputed first, so a new area is honoured at once.
 */
export class ServiceMatcherCache {
  private built: Built | null = null;
  private building: Promise<Built> | null = null;
  private refreshing: Promise<unknown> | null = null;
  private checking: Promise<TableVersion> | null = null;
  private nextCheck: Promise<TableVersion> | null = null;

  constructor(private readonly prisma: ResourcesPrisma) {}

  private check(): Promise<TableVersion> {
    const started: Promise<TableVersion> = tableVersion(this.prisma).finally(() => {
      if (this.checking === started) this.checking = null;
    });
    this.checking = started;
    return started;
  }

  /**
   * The table's version read by a statement that started after this call: a write acknowledged before a request
   * arrived is always seen. Callers that arrive while a check is in flight (it may have started before their
   * caller's write) share the one check that starts when it ends, so concurrent requests cost one statement per
   * round trip rather than one each.
   */
  private freshVersion(): Promise<TableVersion> {
    if (!this.checking) return this.check();
    this.nextCheck ??= this.checking
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        this.nextCheck = null;
        // A check started after the one in flight ended also started after every caller waiting here arrived.
        return this.checking ?? this.check();
      });
    return this.nextCheck;
  }

  async current(): Promise<Built> {
    let { version, stale } = await this.freshVersion();
    if (stale) {
      // Concurrent requests wait for one recomputation rather than each starting its own.
      this.refreshing ??= refreshCoverage(this.prisma, neighborhoodCoverageIndex()).finally(() => {
        this.refreshing = null;
      });
      await this.refreshing;
      ({ version } = await tableVersion(this.prisma));
    }
    if (this.built?.version === version) return this.built;
    if (!this.building) {
      this.building = loadServices(this.prisma)
        .then(({ rows, forMatching }) => ({
          version,
          rank: createServiceMatcher(forMatching, { policyTexts: policyTexts() }).rank,
          rows,
          ranked: new Map(),
        }))
        .finally(() => {
          this.building = null;
        });
    }
    this.built = await this.building;
    return this.built;
  }
}

export function asLanguage(tag: string | null | undefined): Language {
  return (tag ?? '').toLowerCase().startsWith('es') ? 'es' : 'en';
}

/**
 * Suggestions for many concerns (one gateway request): one version check, then in-memory ranking.
 * Reasons are worded in `language`, the caller's.
 */
export async function suggestForConcerns(
  cache: ServiceMatcherCache,
  requests: readonly { concern: ConcernForSuggestion; first: number; language: Language }[],
): Promise<Suggestion[][]> {
  if (requests.length === 0) return [];
  const built = await cache.current();
  return requests.map(({ concern, first, language }) => {
    if (first === 0) return [];
    const key = rankedKey(concern, first, language);
    const known = built.ranked.get(key);
    if (known) {
      // Most recently used last: the first key is the one to drop.
      built.ranked.delete(key);
      built.ranked.set(key, known);
      return known;
    }
    const suggestions = rankOne(built, concern, first, language);
    built.ranked.set(key, suggestions);
    if (built.ranked.size > RANKED_LIMIT) built.ranked.delete(built.ranked.keys().next().value as string);
    return suggestions;
  });
}

/**
 * Every input of `rankOne`, hashed (a concern's text can be kilobytes): two requests with the same key get the same
 * suggestions from the same matcher.
 */
function rankedKey(concern: ConcernForSuggestion, first: number, language: Language): string {
  const inputs = JSON.stringify([
    first,
    language,
    concern.summary,
    concern.detail,
    concern.englishText,
    concern.language,
    concern.themes,
    concern.neighborhoodId,
    concern.excludedIds,
  ]);
  return createHash('sha256').update(inputs).digest('base64');
}

function rankOne(built: Built, concern: ConcernForSuggestion, first: number, language: Language): Suggestion[] {
  return built
    .rank(
      {
        summary: concern.summary,
        detail: concern.detail,
        englishText: concern.englishText,
        language: concern.language,
        themes: concern.themes,
        neighborhoodId: concern.neighborhoodId,
        neighborhoodName: neighborhoodName(concern.neighborhoodId, language),
        excludedIds: concern.excludedIds,
      },
      first,
    )
    .map((match) => ({
      serviceId: match.id,
      score: Math.round(match.score * 1000) / 1000,
      reasons: match.reasons.map((reason) => describeReason(reason, language)),
      service: built.rows.get(match.id),
    }));
}
