import type { EngagementPrisma } from '../db.ts';
import type { Neighborhood } from '../generated/prisma/client.ts';

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
 * areas first, then the largest gaps. The counts are kept by triggers in "EquityGapCount" (migration
 * 20261203211500_equity_gap_counts) in the transaction of every concern and alignment write, so the
 * report reads a few hundred rows whatever the number of concerns; the neighborhoods are joined here,
 * without the columns in `omit` (a boundary is most of a neighborhood's size and the report rarely maps it).
 */
export async function equityGapReport(
  prisma: EngagementPrisma,
  ward: number | null,
  omit: { boundary?: true; indicators?: true } = {},
): Promise<GapRow[]> {
  const groups = await prisma.$queryRaw<(Omit<GapRow, 'neighborhood'> & { neighborhoodId: string | null })[]>`
    SELECT g."neighborhoodId", g.theme, g.concerns, g.support,
           coalesce(n."equityPriority", false) AS "equityPriority"
    FROM "EquityGapCount" g
    LEFT JOIN "Neighborhood" n ON n."id" = g."neighborhoodId"
    WHERE ${ward}::int IS NULL OR n."ward" = ${ward}::int
    ORDER BY "equityPriority" DESC, g.concerns DESC, n."name" ASC NULLS LAST, g.theme ASC NULLS LAST`;
  const ids = [...new Set(groups.flatMap((g) => (g.neighborhoodId ? [g.neighborhoodId] : [])))];
  const neighborhoods = ids.length > 0 ? await prisma.neighborhood.findMany({ where: { id: { in: ids } }, omit }) : [];
  const byId = new Map(neighborhoods.map((n) => [n.id, n]));
  return groups.map(({ neighborhoodId, ...g }) => ({
    ...g,
    neighborhood: neighborhoodId ? (byId.get(neighborhoodId) ?? null) : null,
  }));
}
