import type { ResourcesPrisma } from '../db.ts';
import { refreshCoverage } from './matching-coverage.ts';
import { neighborhoodCoverageIndex } from './matching-neighborhoods.ts';

/** A neighborhood and a theme: what the equity gap report asks coverage for. */
export interface AreaTheme {
  neighborhoodId: string;
  theme: string;
}

/** The active services of one theme whose stored coverage (computed by geometry) holds the neighborhood. */
export interface AreaThemeCoverage extends AreaTheme {
  /** By name, then id. */
  serviceIds: string[];
}

interface CoverageTable {
  version: string;
  /** theme → services serving all of the city, by name. */
  citywide: Map<string, string[]>;
  /** theme → neighborhood id → services covering it (not citywide), by name. */
  byNeighborhood: Map<string, Map<string, string[]>>;
  /** id → position by name, to merge the two lists in order. */
  order: Map<string, number>;
}

/**
 * The version of the service table (any insert, update or delete changes it) and how many rows
 * have coverage still to compute (the trigger marks a row whose area changed).
 */
async function tableVersion(prisma: ResourcesPrisma): Promise<{ version: string; stale: number }> {
  const [row] = await prisma.$queryRaw<{ n: number; last: Date | null; stale: number }[]>`
    SELECT count(*)::int AS n, max("updatedAt") AS last,
      (SELECT count(*) FROM "Service" WHERE NOT "coverageComputed")::int AS stale
    FROM "Service"`;
  return { version: `${row?.n ?? 0}:${row?.last?.toISOString() ?? ''}`, stale: row?.stale ?? 0 };
}

async function loadTable(prisma: ResourcesPrisma, version: string): Promise<CoverageTable> {
  const rows = await prisma.service.findMany({
    where: { status: 'ACTIVE' },
    select: { id: true, themes: true, coverageCitywide: true, coverageNeighborhoodIds: true },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
  });
  const citywide = new Map<string, string[]>();
  const byNeighborhood = new Map<string, Map<string, string[]>>();
  const order = new Map<string, number>();
  rows.forEach((s, i) => {
    order.set(s.id, i);
    for (const theme of new Set(s.themes)) {
      if (s.coverageCitywide) {
        const list = citywide.get(theme) ?? [];
        list.push(s.id);
        citywide.set(theme, list);
        continue;
      }
      let hoods = byNeighborhood.get(theme);
      if (!hoods) {
        hoods = new Map();
        byNeighborhood.set(theme, hoods);
      }
      for (const id of new Set(s.coverageNeighborhoodIds)) {
        const list = hoods.get(id) ?? [];
        list.push(s.id);
        hoods.set(id, list);
      }
    }
  });
  return { version, citywide, byNeighborhood, order };
}

/**
 * Which active services cover a neighborhood for a theme, from the coverage stored on each service
 * (computed by geometry: point in polygon, area overlap, wards' neighborhoods). Kept in memory per
 * process and rebuilt when the service table's version changes; rows whose area changed (marked by
 * the trigger) are recomputed first, so an edited area counts at once. One SQL statement per
 * request when nothing changed, whatever the number of neighborhoods and themes asked.
 */
export class AreaCoverageCache {
  private table: CoverageTable | null = null;
  private building: Promise<CoverageTable> | null = null;
  private refreshing: Promise<unknown> | null = null;

  constructor(private readonly prisma: ResourcesPrisma) {}

  private async current(): Promise<CoverageTable> {
    let { version, stale } = await tableVersion(this.prisma);
    if (stale > 0) {
      this.refreshing ??= refreshCoverage(this.prisma, neighborhoodCoverageIndex()).finally(() => {
        this.refreshing = null;
      });
      await this.refreshing;
      ({ version } = await tableVersion(this.prisma));
    }
    if (this.table?.version === version) return this.table;
    this.building ??= loadTable(this.prisma, version).finally(() => {
      this.building = null;
    });
    this.table = await this.building;
    return this.table;
  }

  /**
   * How many active services of each theme cover each neighborhood: counts[i][j] for
   * neighborhoodIds[i] and themes[j]. One table for every area and theme, whatever the city's size
   * (the gap report's rows, one entity reference each, would pass the gateway's entity cap).
   */
  async counts(neighborhoodIds: readonly string[], themes: readonly string[]): Promise<number[][]> {
    const table = await this.current();
    return neighborhoodIds.map((id) =>
      themes.map(
        (theme) => (table.citywide.get(theme)?.length ?? 0) + (table.byNeighborhood.get(theme)?.get(id)?.length ?? 0),
      ),
    );
  }

  async coverage(keys: readonly AreaTheme[]): Promise<AreaThemeCoverage[]> {
    if (keys.length === 0) return [];
    const table = await this.current();
    return keys.map(({ neighborhoodId, theme }) => {
      const citywide = table.citywide.get(theme) ?? [];
      const local = table.byNeighborhood.get(theme)?.get(neighborhoodId) ?? [];
      const serviceIds =
        local.length === 0
          ? citywide
          : [...citywide, ...local].sort((a, b) => (table.order.get(a) ?? 0) - (table.order.get(b) ?? 0));
      return { neighborhoodId, theme, serviceIds };
    });
  }
}
