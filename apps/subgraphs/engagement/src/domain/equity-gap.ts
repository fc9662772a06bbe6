import type { EngagementPrisma } from '../db.ts';
import type { Neighborhood } from '../generated/prisma/client.ts';
import { publicConcernSql } from './visibility.ts';

export interface GapRow {
  /** Loaded with the report (one statement for all rows), so that no row waits on a loader. */
  neighborhood: Neighborhood | null;
  theme: string | null;
  concerns: number;
  support: number;
  equityPriority: boolean;
}

/**
 * Published, accepted concerns with nothing aligned, counted by neighborhood and theme; equity-priority
 * areas first, then the largest gaps. Concerns are grouped by their own columns first and the few
 * hundred groups are then joined to their neighborhoods, rather than carrying names through the sort.
 */
export async function equityGapReport(prisma: EngagementPrisma, ward: number | null): Promise<GapRow[]> {
  const groups = await prisma.$queryRaw<(Omit<GapRow, 'neighborhood'> & { neighborhoodId: string | null })[]>`
    SELECT g."neighborhoodId", g.theme, g.concerns, g.support,
           coalesce(n."equityPriority", false) AS "equityPriority"
    FROM (
      SELECT c."neighborhoodId", t.theme, count(*)::int AS concerns,
             coalesce(sum(c."supportCount"), 0)::int AS support
      FROM "Concern" c
      LEFT JOIN LATERAL unnest(c."themes") AS t(theme) ON true
      WHERE ${publicConcernSql('c')}
        AND NOT EXISTS (SELECT 1 FROM "Alignment" a WHERE a."concernId" = c."id")
        AND (${ward}::int IS NULL
             OR c."neighborhoodId" IN (SELECT w."id" FROM "Neighborhood" w WHERE w."ward" = ${ward}::int))
      GROUP BY c."neighborhoodId", t.theme
    ) g
    LEFT JOIN "Neighborhood" n ON n."id" = g."neighborhoodId"
    ORDER BY "equityPriority" DESC, g.concerns DESC, n."name" ASC NULLS LAST, g.theme ASC NULLS LAST`;
  const ids = [...new Set(groups.flatMap((g) => (g.neighborhoodId ? [g.neighborhoodId] : [])))];
  const neighborhoods = ids.length > 0 ? await prisma.neighborhood.findMany({ where: { id: { in: ids } } }) : [];
  const byId = new Map(neighborhoods.map((n) => [n.id, n]));
  return groups.map(({ neighborhoodId, ...g }) => ({
    ...g,
    neighborhood: neighborhoodId ? (byId.get(neighborhoodId) ?? null) : null,
  }));
}
