import type { ServiceCoverage } from '@civic/alignment/types';
import { changedInPlace } from '@civic/server-kit/invalidations';
import { type CoverageInput, coverageOf } from './matching-coverage.ts';
import { neighborhoodCoverageIndex } from './matching-neighborhoods.ts';

/** What of a service decides which NeighborhoodThemeCoverage entities count it. */
export interface CoverageRelevant extends CoverageInput {
  status: string;
  themes: readonly string[];
}

/** A stored service: its coverage is read when computed, else computed from its area. */
export interface StoredCoverage extends CoverageRelevant {
  coverageComputed?: boolean;
  coverageCitywide?: boolean;
  coverageNeighborhoodIds?: readonly string[];
}

/** The fields whose change can move a service in or out of a neighborhood × theme's coverage. */
export const COVERAGE_FIELDS: ReadonlySet<string> = new Set([
  'status',
  'themes',
  'servesCitywide',
  'serviceWards',
  'serviceNeighborhoodIds',
  'serviceAreaDescription',
  'serviceAreaGeoJson',
]);

function coverageOfService(service: StoredCoverage): ServiceCoverage {
  if (service.coverageComputed && service.coverageCitywide !== undefined) {
    return { citywide: service.coverageCitywide, neighborhoodIds: [...(service.coverageNeighborhoodIds ?? [])] };
  }
  return coverageOf(neighborhoodCoverageIndex(), service);
}

/** "<neighborhood id>:<theme>" for every pair whose coverage counts the service (none unless active). */
function countedPairs(service: StoredCoverage | null): Set<string> {
  const pairs = new Set<string>();
  if (!service || service.status !== 'ACTIVE' || service.themes.length === 0) return pairs;
  const coverage = coverageOfService(service);
  const neighborhoods = coverage.citywide
    ? neighborhoodCoverageIndex().neighborhoods.map((n) => n.id)
    : coverage.neighborhoodIds;
  for (const id of neighborhoods) for (const theme of service.themes) pairs.add(`${id}:${theme}`);
  return pairs;
}

/**
 * The gateway cache tags of a service write for the coverage it changes: `=NeighborhoodThemeCoverage:<id>`
 * for each neighborhood × theme that counted the service before and not after, or after and not before
 * (null: the service did not exist, or no longer does). The gateway clears the answers holding those
 * entities (and `Neighborhood.serviceCoverage` answers that did not select the id); a write that moves
 * no count records none. The coverage matrix is a derived answer, cleared by every write.
 */
export function coverageInvalidationTags(before: StoredCoverage | null, after: StoredCoverage | null): string[] {
  const was = countedPairs(before);
  const is = countedPairs(after);
  const moved = [...was].filter((p) => !is.has(p)).concat([...is].filter((p) => !was.has(p)));
  return changedInPlace('NeighborhoodThemeCoverage', moved.sort());
}
