import { byIds, groupedBy } from '@civic/graphql-kit/loaders';
import type { SubgraphContextBase } from '@civic/server-kit/subgraph';
import DataLoader from 'dataloader';
import type { EngagementPrisma } from './db.ts';
import { DEFAULT_STORED_RULE, type StoredEquityRule, toStored } from './domain/equity-rule.ts';
import { publicConcernSql, visibleConcerns } from './domain/visibility.ts';
import type {
  Alignment,
  CitywideConcern,
  Concern,
  ConcernStatusChange,
  Conversation,
  Neighborhood,
  Prisma,
} from './generated/prisma/client.ts';

export interface Context extends SubgraphContextBase {
  prisma: EngagementPrisma;
  loaders: ReturnType<typeof createLoaders>;
}

type AlignmentWithConcern = Alignment & { concern: Concern };

/** A service or initiative aligned with a concern, or dismissed for it. */
export interface LinkedIds {
  concernId: string;
  serviceId: string | null;
  initiativeId: string | null;
  dismissed: boolean;
}

/**
 * Columns of a neighborhood left out of a read when no field asked for reads them: its indicator series
 * (about 8 kB of JSON) and its boundary are most of a row's size (see heavyColumnsNotAsked).
 */
export interface NeighborhoodOmit {
  boundary?: true;
  indicators?: true;
}

/** One loader per set of columns left out: a request asking for boundaries somewhere still batches each set. */
function byOmittedColumns<T>(create: (omit: NeighborhoodOmit) => T): (omit: NeighborhoodOmit) => T {
  const made = new Map<string, T>();
  return (omit) => {
    const key = `${omit.boundary ? 'boundary' : ''}:${omit.indicators ? 'indicators' : ''}`;
    let loader = made.get(key);
    if (!loader) {
      loader = create(omit);
      made.set(key, loader);
    }
    return loader;
  };
}

/**
 * Per-request loaders: N entity references, or a relation on N listed rows, cost one query each
 * whatever N is. Loaders that return concerns already apply the caller's visibility.
 */
function createLoaders(prisma: EngagementPrisma, identity: SubgraphContextBase['identity']) {
  const visible: Prisma.ConcernWhereInput = visibleConcerns(identity);
  const alignedConcerns = (where: Prisma.AlignmentWhereInput) =>
    prisma.alignment.findMany({
      where: { ...where, concern: visible },
      include: { concern: true },
      orderBy: [{ alignedAt: 'asc' }, { id: 'asc' }],
    });
  return {
    concern: byIds<Concern>((ids) => prisma.concern.findMany({ where: { id: { in: ids } } })),
    neighborhood: byOmittedColumns((omit) =>
      byIds<Neighborhood>((ids) => prisma.neighborhood.findMany({ where: { id: { in: ids } }, omit })),
    ),
    conversation: byIds<Conversation>((ids) => prisma.conversation.findMany({ where: { id: { in: ids } } })),
    citywideConcern: byIds<CitywideConcern>((ids) => prisma.citywideConcern.findMany({ where: { id: { in: ids } } })),
    neighborhoodsByConversation: byOmittedColumns((omit) =>
      groupedBy<{ conversationId: string; neighborhood: Neighborhood }>(
        (row) => row.conversationId,
        (ids) =>
          prisma.conversationNeighborhood.findMany({
            where: { conversationId: { in: ids } },
            include: { neighborhood: { omit } },
            orderBy: { neighborhood: { name: 'asc' } },
          }),
      ),
    ),
    concernsByConversation: groupedBy<Concern>(
      (row) => row.conversationId,
      (ids) =>
        prisma.concern.findMany({
          where: { conversationId: { in: ids }, ...visible },
          orderBy: [{ supportCount: 'desc' }, { id: 'asc' }],
        }),
    ),
    concernsByCitywide: groupedBy<Concern>(
      (row) => row.citywideConcernId,
      (ids) =>
        prisma.concern.findMany({
          where: { citywideConcernId: { in: ids }, ...visible },
          orderBy: [{ supportCount: 'desc' }, { id: 'asc' }],
        }),
    ),
    historyByConcern: groupedBy<ConcernStatusChange>(
      (row) => row.concernId,
      (ids) =>
        prisma.concernStatusChange.findMany({
          where: { concernId: { in: ids } },
          orderBy: [{ changedAt: 'asc' }, { id: 'asc' }],
        }),
    ),
    alignmentsByConcern: groupedBy<Alignment>(
      (row) => row.concernId,
      (ids) =>
        prisma.alignment.findMany({
          where: { concernId: { in: ids } },
          orderBy: [{ alignedAt: 'asc' }, { id: 'asc' }],
        }),
    ),
    /**
     * What the concern page reads of both tables (its initiatives and resources, and the ids its suggestions leave
     * out) in one statement: alignments in the order of alignmentsByConcern, then dismissals by id.
     */
    linkedIdsByConcern: groupedBy<LinkedIds>(
      (row) => row.concernId,
      (ids) => prisma.$queryRaw<LinkedIds[]>`
        SELECT "concernId", "serviceId", "initiativeId", "dismissed" FROM (
          SELECT "concernId", "serviceId", "initiativeId", false AS "dismissed", "alignedAt" AS "at", "id"
          FROM "Alignment" WHERE "concernId" = ANY(${ids}::text[])
          UNION ALL
          SELECT "concernId", "serviceId", "initiativeId", true, NULL, "id"
          FROM "SuggestionDismissal" WHERE "concernId" = ANY(${ids}::text[])
        ) linked
        ORDER BY "dismissed", "at", "id"`,
    ),
    // Same-issue neighbours that are public (published and accepted), whoever asks: closest first.
    neighborsByConcern: groupedBy<{ concernId: string; neighborId: string; score: number }>(
      (row) => row.concernId,
      (ids) => prisma.$queryRaw`
        SELECT n."concernId", n."neighborId", n."score" FROM "ConcernNeighbor" n
        JOIN "Concern" c ON c."id" = n."neighborId"
        WHERE n."concernId" = ANY(${ids}::text[]) AND n."neighborId" <> n."concernId"
          AND ${publicConcernSql('c')}
        ORDER BY n."concernId", n."score" DESC, n."neighborId"`,
    ),
    concernsByInitiative: groupedBy<AlignmentWithConcern>(
      (row) => row.initiativeId,
      (ids) => alignedConcerns({ initiativeId: { in: ids } }),
    ),
    concernsByService: groupedBy<AlignmentWithConcern>(
      (row) => row.serviceId,
      (ids) => alignedConcerns({ serviceId: { in: ids } }),
    ),
    /** The equity-priority rule in force (the stored one, else the documented default); a write primes it. */
    equityRule: new DataLoader<'current', StoredEquityRule>(async (keys) => {
      const row = await prisma.equityPriorityRule.findFirst({ orderBy: { version: 'desc' } });
      return keys.map(() => (row ? toStored(row) : DEFAULT_STORED_RULE));
    }),
  };
}

export function createContext(base: SubgraphContextBase, prisma: EngagementPrisma): Context {
  return { ...base, prisma, loaders: createLoaders(prisma, base.identity) };
}
