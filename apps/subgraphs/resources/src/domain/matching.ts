import { createServiceMatcher } from '@civic/alignment/match';
import { describeReason } from '@civic/alignment/reasons';
import { createThemeTagger } from '@civic/alignment/themes';
import type { Language, ServiceForMatching } from '@civic/alignment/types';
import { loadStrategicPlan } from '@civic/reference-data/strategic-plan';
import type { ResourcesPrisma } from '../db.ts';
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
}

interface Built {
  version: string;
  rank: ReturnType<typeof createServiceMatcher>['rank'];
}

/**
 * The version of the service table: any insert, update or delete changes it. Several instances of
 * the subgraph share one database, so each checks it before ranking instead of trusting its memory.
 */
async function tableVersion(prisma: ResourcesPrisma): Promise<{ version: string; stale: number }> {
  const [row] = await prisma.$queryRaw<{ n: number; last: Date | null; stale: number }[]>`
    SELECT count(*)::int AS n, max("updatedAt") AS last,
      count(*) FILTER (WHERE NOT "coverageComputed")::int AS stale
    FROM "Service"`;
  return { version: `${row?.n ?? 0}:${row?.last?.toISOString() ?? ''}`, stale: row?.stale ?? 0 };
}

async function loadServices(prisma: ResourcesPrisma): Promise<ServiceForMatching[]> {
  const rows = await prisma.service.findMany({
    where: { status: 'ACTIVE' },
    select: {
      id: true,
      name: true,
      description: true,
      status: true,
      themes: true,
      languages: true,
      eligibilityDescription: true,
      minimumAge: true,
      maximumAge: true,
      feesDescription: true,
      coverageCitywide: true,
      coverageNeighborhoodIds: true,
      organization: { select: { name: true } },
    },
    orderBy: { id: 'asc' },
  });
  const tagger = createThemeTagger();
  return rows.map((s) => ({
    id: s.id,
    name: s.name,
    description: s.description,
    organizationName: s.organization.name,
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
  }));
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

  constructor(private readonly prisma: ResourcesPrisma) {}

  async current(): Promise<Built> {
    let { version, stale } = await tableVersion(this.prisma);
    if (stale > 0) {
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
        .then((services) => ({ version, rank: createServiceMatcher(services, { policyTexts: policyTexts() }).rank }))
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
  const { rank } = await cache.current();
  return requests.map(({ concern, first, language }) =>
    first === 0
      ? []
      : rank(
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
        ).map((match) => ({
          serviceId: match.id,
          score: Math.round(match.score * 1000) / 1000,
          reasons: match.reasons.map((reason) => describeReason(reason, language)),
        })),
  );
}
