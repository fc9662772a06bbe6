import { durhamNeighborhoods, resolveNeighborhoodName } from './durham-neighborhoods.ts';
import { stableId } from './stable-id.ts';

/**
 * Durham's 237 published neighborhoods (see `durham-neighborhoods.ts` for boundaries, every ward,
 * school zones and the full indicators with their sources), flattened to the figures the seeds and
 * filters use. Shares are 0–1; a figure is null where the Compass has no data for the area.
 */
export interface NeighborhoodSeed {
  id: string;
  slug: string;
  name: string;
  nameEs: string;
  /** The ward holding most of the neighborhood's area; null for the 13 neighborhoods outside the city's wards. */
  ward: number | null;
  /** Share of people below the poverty line, 0–1 (ACS 2014–2018, tract-weighted). */
  povertyRate: number | null;
  /** Share of residents who are people of color, 0–1 (ACS 2019–2023). */
  peopleOfColorShare: number | null;
  /** Median household income in US dollars (ACS 2019–2023, household-weighted). */
  medianHouseholdIncome: number | null;
  /** CDC/ATSDR SVI 2018 overall percentile rank, 0–1 (tract-weighted). */
  sviOverall: number | null;
}

export const NEIGHBORHOODS: readonly NeighborhoodSeed[] = durhamNeighborhoods().map((n) => ({
  id: n.id,
  slug: n.slug,
  name: n.name,
  nameEs: n.nameEs,
  ward: n.ward,
  povertyRate: n.indicators.povertyRate.value,
  peopleOfColorShare: n.indicators.peopleOfColorShare.value,
  medianHouseholdIncome:
    n.indicators.medianHouseholdIncome.value === null ? null : Math.round(n.indicators.medianHouseholdIncome.value),
  sviOverall: n.indicators.sviOverall.value,
}));

/**
 * The 12 demo neighborhoods used before the published ones (ids `stableId('neighborhood', slug)`),
 * each with the published neighborhood it stands for (`data/durham/demo-aliases.csv`). Stored
 * concerns and conversations under these ids are moved to the published ids.
 */
export const LEGACY_NEIGHBORHOODS: readonly { id: string; slug: string; name: string; neighborhoodId: string }[] = [
  ['east-durham', 'East Durham'],
  ['northeast-central-durham', 'Northeast Central Durham'],
  ['cleveland-holloway', 'Cleveland-Holloway'],
  ['old-north-durham', 'Old North Durham'],
  ['walltown', 'Walltown'],
  ['west-end', 'West End'],
  ['trinity-park', 'Trinity Park'],
  ['lakewood', 'Lakewood'],
  ['hayti', 'Hayti'],
  ['southside', 'Southside'],
  ['forest-hills', 'Forest Hills'],
  ['few-gardens', 'Few Gardens'],
].map(([slug, name]) => {
  const target = resolveNeighborhoodName(name as string);
  if (!target) throw new Error(`demo neighborhood ${name} has no alias`);
  return {
    id: stableId('neighborhood', slug as string),
    slug: slug as string,
    name: name as string,
    neighborhoodId: target.id,
  };
});

/**
 * The equity-priority rule: the thresholds on the published indicators that make a neighborhood
 * an equity priority area. A neighborhood is one when its SVI overall percentile is at least
 * `sviOverallAtLeast`, or when both its poverty rate and its people-of-color share reach their
 * thresholds. A neighborhood without figures is never one (no data is not evidence).
 */
export interface EquityRule {
  sviOverallAtLeast: number;
  povertyRateAtLeast: number;
  peopleOfColorShareAtLeast: number;
}

export const DEFAULT_EQUITY_RULE: EquityRule = {
  sviOverallAtLeast: 0.7,
  povertyRateAtLeast: 0.25,
  peopleOfColorShareAtLeast: 0.6,
};

export type EquityInputs = {
  povertyRate: number | null;
  peopleOfColorShare: number | null;
  sviOverall?: number | null;
};

/** Which clauses of the rule a neighborhood meets ("why is this a priority area?"); empty when none. */
export function equityPriorityReasons(
  n: EquityInputs,
  rule: EquityRule = DEFAULT_EQUITY_RULE,
): ('SVI_OVERALL' | 'POVERTY_AND_PEOPLE_OF_COLOR')[] {
  const reasons: ('SVI_OVERALL' | 'POVERTY_AND_PEOPLE_OF_COLOR')[] = [];
  if (n.sviOverall != null && n.sviOverall >= rule.sviOverallAtLeast) reasons.push('SVI_OVERALL');
  if (
    n.povertyRate != null &&
    n.peopleOfColorShare != null &&
    n.povertyRate >= rule.povertyRateAtLeast &&
    n.peopleOfColorShare >= rule.peopleOfColorShareAtLeast
  ) {
    reasons.push('POVERTY_AND_PEOPLE_OF_COLOR');
  }
  return reasons;
}

export function isEquityPriority(n: EquityInputs, rule: EquityRule = DEFAULT_EQUITY_RULE): boolean {
  return equityPriorityReasons(n, rule).length > 0;
}
