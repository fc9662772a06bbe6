import type { StoredCoverage } from './coverage-invalidation.ts';
import { coverageOf, isTextOnlyArea, readTextArea } from './matching-coverage.ts';
import { neighborhoodCoverageIndex } from './matching-neighborhoods.ts';

/** How far a service's area is known in published neighborhoods. */
export type AreaCoverageStatus = 'CITYWIDE' | 'NEIGHBORHOODS' | 'NONE' | 'UNKNOWN';

export interface AreaStatus {
  coverage: AreaCoverageStatus;
  /** Parts of a text-only area that name no ward, published neighborhood or the whole city, as given. */
  unresolved: string[];
}

/**
 * A service's area as the directory shows it: all of the city, some neighborhoods, none of them (an
 * area lying outside the city), or unknown (words naming nothing we can place: shown as given, never
 * counted as the whole city). The stored coverage is read when computed.
 */
export function areaStatusOf(service: StoredCoverage): AreaStatus {
  const index = neighborhoodCoverageIndex();
  const textOnly = isTextOnlyArea(service);
  const read = textOnly ? readTextArea(index, service.serviceAreaDescription ?? '') : null;
  const coverage =
    service.coverageComputed && service.coverageCitywide !== undefined
      ? { citywide: service.coverageCitywide, neighborhoodIds: service.coverageNeighborhoodIds ?? [] }
      : coverageOf(index, service);
  const unresolved = read?.unresolved ?? [];
  if (coverage.citywide) return { coverage: 'CITYWIDE', unresolved };
  if (coverage.neighborhoodIds.length > 0) return { coverage: 'NEIGHBORHOODS', unresolved };
  return { coverage: textOnly ? 'UNKNOWN' : 'NONE', unresolved };
}
