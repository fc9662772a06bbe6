import { createInitiativeMatcher } from '@civic/alignment/match';
import { describeReason } from '@civic/alignment/reasons';
import type { InitiativeForMatching, Language } from '@civic/alignment/types';
import { DEPARTMENTS } from '@civic/reference-data/departments';
import type { InitiativesPrisma } from '../db.ts';

/** What matching needs from a concern (the fields `@requires` brings from engagement). */
export interface ConcernForSuggestion {
  summary: string;
  detail: string | null;
  englishText: string | null;
  themes: readonly string[];
  language: string | null;
  /** Initiatives staff already aligned with or dismissed for this concern. */
  excludedIds: readonly string[];
}

export interface InitiativeSuggestion {
  initiativeId: string;
  score: number;
  reasons: string[];
}

const DEPARTMENT_NAMES = new Map(DEPARTMENTS.map((d) => [d.id, d.name]));

/** Any change to an initiative or its measures changes this (several instances share one database). */
async function planVersion(prisma: InitiativesPrisma): Promise<string> {
  const [row] = await prisma.$queryRaw<{ version: string }[]>`
    SELECT concat_ws(':',
      (SELECT count(*) FROM "Initiative"), (SELECT max("updatedAt") FROM "Initiative"),
      (SELECT count(*) FROM "Measure"), (SELECT max("updatedAt") FROM "Measure")) AS version`;
  return row?.version ?? '';
}

async function loadInitiatives(prisma: InitiativesPrisma): Promise<InitiativeForMatching[]> {
  const rows = await prisma.initiative.findMany({
    select: {
      id: true,
      code: true,
      title: true,
      description: true,
      whyItMatters: true,
      whatWeHaveBeenDoing: true,
      whatsNext: true,
      themes: true,
      leadDepartmentId: true,
      measures: { select: { name: true }, orderBy: { position: 'asc' } },
    },
    orderBy: { code: 'asc' },
  });
  return rows.map((i) => ({
    id: i.id,
    code: i.code,
    title: i.title,
    description: i.description,
    narratives: [i.whyItMatters, i.whatWeHaveBeenDoing, i.whatsNext].filter((n): n is string => Boolean(n)),
    measureNames: i.measures.map((m) => m.name).filter((n): n is string => Boolean(n)),
    themes: i.themes,
    leadDepartmentName: i.leadDepartmentId ? (DEPARTMENT_NAMES.get(i.leadDepartmentId) ?? null) : null,
  }));
}

type Rank = ReturnType<typeof createInitiativeMatcher>['rank'];

/** The engine's matcher over the strategic plan, rebuilt when the plan's version changes. */
export class InitiativeMatcherCache {
  private built: { version: string; rank: Rank } | null = null;
  private building: Promise<{ version: string; rank: Rank }> | null = null;

  constructor(private readonly prisma: InitiativesPrisma) {}

  async current(): Promise<Rank> {
    const version = await planVersion(this.prisma);
    if (this.built?.version === version) return this.built.rank;
    if (!this.building) {
      this.building = loadInitiatives(this.prisma)
        .then((initiatives) => ({ version, rank: createInitiativeMatcher(initiatives).rank }))
        .finally(() => {
          this.building = null;
        });
    }
    this.built = await this.building;
    return this.built.rank;
  }
}

export function asLanguage(tag: string | null | undefined): Language {
  return (tag ?? '').toLowerCase().startsWith('es') ? 'es' : 'en';
}

export async function suggestInitiatives(
  cache: InitiativeMatcherCache,
  requests: readonly { concern: ConcernForSuggestion; first: number; language: Language }[],
): Promise<InitiativeSuggestion[][]> {
  if (requests.length === 0) return [];
  const rank = await cache.current();
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
            neighborhoodId: null,
            excludedIds: concern.excludedIds,
          },
          first,
        ).map((match) => ({
          initiativeId: match.id,
          score: Math.round(match.score * 1000) / 1000,
          reasons: match.reasons.map((reason) => describeReason(reason, language)),
        })),
  );
}
