import { DEPARTMENTS } from './departments.ts';
import { NEIGHBORHOODS } from './neighborhoods.ts';
import { stableId } from './stable-id.ts';

/**
 * The synthetic dataset behind `civic seed --scale N`: how many rows of each kind, and the ids
 * other subgraphs refer to. Each subgraph generates its own part from the same N, so alignments
 * (engagement) name initiatives and services (initiatives, resources) that exist.
 */
export interface SyntheticCounts {
  wards: number;
  neighborhoods: number;
  conversations: number;
  concerns: number;
  citywideConcerns: number;
  /** Concerns aligned to one initiative (every 4th concern). */
  initiativeAlignments: number;
  /** Concerns aligned to one service (every 5th concern). */
  serviceAlignments: number;
  initiatives: number;
  /** Per initiative. */
  measuresPerInitiative: number;
  /** Per measure. */
  observationsPerMeasure: number;
  /** The city's departments, as organizations (initiatives name them as lead departments). */
  cityDepartments: number;
  organizations: number;
  locations: number;
  services: number;
  /** Services linked to one initiative (every 3rd service). */
  serviceInitiativeLinks: number;
}

const at = (base: number, scale: number, min = 1) => Math.max(min, Math.round(base * scale));

export function syntheticCounts(scale: number): SyntheticCounts {
  if (!(scale > 0) || scale > 100) throw new RangeError(`scale must be > 0 and <= 100, got ${scale}`);
  const concerns = at(20_000, scale);
  const services = at(5_000, scale);
  return {
    wards: 3,
    neighborhoods: NEIGHBORHOODS.length + Math.round(48 * scale),
    conversations: at(1_500, scale),
    concerns,
    citywideConcerns: at(40, scale),
    initiativeAlignments: Math.ceil(concerns / 4),
    serviceAlignments: Math.ceil(concerns / 5),
    initiatives: at(300, scale),
    measuresPerInitiative: 2,
    observationsPerMeasure: 8,
    cityDepartments: DEPARTMENTS.length,
    organizations: at(600, scale),
    locations: at(1_500, scale),
    services,
    serviceInitiativeLinks: Math.ceil(services / 3),
  };
}

export interface SyntheticNeighborhood {
  id: string;
  slug: string;
  name: string;
  ward: number | null;
  povertyRate: number | null;
  peopleOfColorShare: number | null;
  medianHouseholdIncome: number | null;
}

/** The reference neighborhoods, then synthetic ones spread over the three wards. */
export function syntheticNeighborhoods(scale: number): SyntheticNeighborhood[] {
  const count = syntheticCounts(scale).neighborhoods;
  const out: SyntheticNeighborhood[] = NEIGHBORHOODS.map((n) => ({
    id: n.id,
    slug: n.slug,
    name: n.name,
    ward: n.ward,
    povertyRate: n.povertyRate,
    peopleOfColorShare: n.peopleOfColorShare,
    medianHouseholdIncome: n.medianHouseholdIncome,
  }));
  const random = prng(`neighborhoods`);
  for (let i = out.length; i < count; i++) {
    const slug = `synthetic-${i}`;
    out.push({
      id: stableId('neighborhood', slug),
      slug,
      name: `Synthetic Neighborhood ${i}`,
      ward: (i % 3) + 1,
      povertyRate: Math.round(random() * 45) / 100,
      peopleOfColorShare: Math.round(random() * 95) / 100,
      medianHouseholdIncome: 20_000 + Math.round(random() * 100) * 1_000,
    });
  }
  return out;
}

export const syntheticInitiativeId = (index: number) => stableId('synthetic-initiative', String(index));
export const syntheticServiceId = (index: number) => stableId('synthetic-service', String(index));
export const syntheticId = (kind: string, index: number) => stableId(`synthetic-${kind}`, String(index));

/** The fixed instant synthetic timestamps count back from, so runs are identical. */
export const SYNTHETIC_EPOCH = Date.UTC(2026, 0, 1);

/**
 * A seeded pseudo-random generator (mulberry32) in [0, 1): the same stream for the same name,
 * on every machine.
 */
export function prng(name: string): () => number {
  let seed = 0x9e3779b9;
  for (const ch of `civic-synthetic:${name}`) seed = Math.imul(seed ^ ch.charCodeAt(0), 0x85ebca6b) >>> 0;
  return () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks from a list with a seeded generator. */
export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** Words shared by the generated texts, so full-text search finds realistic numbers of rows. */
export const SYNTHETIC_WORDS: Record<string, readonly string[]> = {
  HOUSING: ['rent', 'housing', 'eviction', 'landlord', 'apartment', 'repair', 'affordable'],
  TRANSPORTATION: ['bus', 'traffic', 'road', 'sidewalk', 'crosswalk', 'parking', 'bike'],
  PUBLIC_SAFETY: ['lighting', 'speeding', 'safety', 'police', 'break-ins'],
  PARKS_RECREATION: ['park', 'playground', 'pool', 'trail', 'recreation'],
  ECONOMIC_OPPORTUNITY: ['jobs', 'wages', 'training', 'business', 'grocery'],
  HEALTH: ['clinic', 'health', 'food', 'mental', 'insurance'],
  ENVIRONMENT: ['trees', 'flooding', 'litter', 'heat', 'pollution'],
  INFRASTRUCTURE: ['water', 'sewer', 'potholes', 'drainage', 'internet'],
  YOUTH: ['youth', 'teens', 'afterschool', 'summer', 'mentoring'],
  EDUCATION: ['school', 'library', 'tutoring', 'literacy', 'preschool'],
  CIVIC_ENGAGEMENT: ['meetings', 'voting', 'council', 'outreach', 'translation'],
  ARTS_CULTURE: ['mural', 'festival', 'music', 'museum', 'history'],
  EQUITY: ['displacement', 'access', 'fairness', 'language', 'disability'],
};
