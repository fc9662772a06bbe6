import { stableId } from './stable-id.ts';

/**
 * Demo neighborhoods for Durham's three council wards. Names are real Durham neighborhoods;
 * the ward assignment is approximate and the equity figures are illustrative demo values,
 * not published statistics (a city loads its own from census and city data).
 */
export interface NeighborhoodSeed {
  id: string;
  slug: string;
  name: string;
  ward: number;
  /** Share of households below the poverty line, 0–1 (illustrative). */
  povertyRate: number;
  /** Share of residents who are people of color, 0–1 (illustrative). */
  peopleOfColorShare: number;
  /** Median household income in US dollars (illustrative). */
  medianHouseholdIncome: number;
}

function neighborhood(
  slug: string,
  name: string,
  ward: number,
  povertyRate: number,
  peopleOfColorShare: number,
  medianHouseholdIncome: number,
): NeighborhoodSeed {
  return {
    id: stableId('neighborhood', slug),
    slug,
    name,
    ward,
    povertyRate,
    peopleOfColorShare,
    medianHouseholdIncome,
  };
}

export const NEIGHBORHOODS: readonly NeighborhoodSeed[] = [
  neighborhood('east-durham', 'East Durham', 1, 0.34, 0.86, 31_000),
  neighborhood('northeast-central-durham', 'Northeast Central Durham', 1, 0.38, 0.9, 28_500),
  neighborhood('cleveland-holloway', 'Cleveland-Holloway', 1, 0.27, 0.7, 39_000),
  neighborhood('old-north-durham', 'Old North Durham', 1, 0.15, 0.45, 61_000),
  neighborhood('walltown', 'Walltown', 2, 0.31, 0.78, 34_000),
  neighborhood('west-end', 'West End', 2, 0.29, 0.8, 36_500),
  neighborhood('trinity-park', 'Trinity Park', 2, 0.09, 0.22, 88_000),
  neighborhood('lakewood', 'Lakewood', 2, 0.24, 0.62, 45_000),
  neighborhood('hayti', 'Hayti', 3, 0.36, 0.92, 29_000),
  neighborhood('southside', 'Southside', 3, 0.3, 0.88, 33_000),
  neighborhood('forest-hills', 'Forest Hills', 3, 0.07, 0.25, 102_000),
  neighborhood('few-gardens', 'Few Gardens', 3, 0.41, 0.93, 24_000),
];

/** The rule the demo uses for equity-priority areas: high poverty and a majority of residents of color. */
export function isEquityPriority(n: Pick<NeighborhoodSeed, 'povertyRate' | 'peopleOfColorShare'>): boolean {
  return n.povertyRate >= 0.25 && n.peopleOfColorShare >= 0.6;
}
