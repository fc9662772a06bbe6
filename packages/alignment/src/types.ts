/**
 * The contract between the alignment engine and the subgraphs that run it. Engagement tags
 * concerns and finds the same issue; resources ranks services; initiatives ranks initiatives.
 * Everything here is pure data: no database, no network.
 */

export type Language = 'en' | 'es';

/** A concern's text as a resident gave it. `englishText` is its machine translation when it is not English. */
export interface ConcernText {
  summary: string;
  detail?: string | null;
  language?: string | null;
  englishText?: string | null;
}

export interface ThemeTag {
  code: string;
  /** 0–1. */
  confidence: number;
}

/** Text whose themes a person decided (staff-tagged concerns, services, initiatives): what the tagger learns from. */
export interface ThemeExample {
  text: string;
  language?: Language;
  themes: readonly string[];
}

export interface SimilarityDoc extends ConcernText {
  id: string;
}

export interface SimilarMatch {
  id: string;
  /** 0–1 cosine similarity. */
  score: number;
}

export interface ProposedGroup {
  /** Stable across rebuilds while the group's earliest member stays in it (derived from that member's id). */
  key: string;
  memberIds: string[];
  /** The member whose words best stand for the group (quoted as said, never generated). */
  representativeId: string;
  /** Mean similarity of the members to the representative. */
  cohesion: number;
}

/** Where a service may be suggested. Computed by geometry in the resources subgraph. */
export interface ServiceCoverage {
  citywide: boolean;
  /** Published neighborhood ids the service area covers (empty when citywide). */
  neighborhoodIds: readonly string[];
}

export interface ServiceForMatching {
  id: string;
  name: string;
  description: string | null;
  organizationName: string | null;
  /** HSDS status: active, inactive, defunct, temporarily closed. Only active services are ever suggested. */
  status: string;
  themes: readonly string[];
  /** BCP 47 codes the service is offered in. */
  languages: readonly string[];
  eligibility: string | null;
  minimumAge: number | null;
  maximumAge: number | null;
  fees: string | null;
  coverage: ServiceCoverage;
}

export interface InitiativeForMatching {
  id: string;
  code: string;
  title: string;
  description: string | null;
  /** Why it matters, what we have been doing, what's next. */
  narratives: readonly string[];
  measureNames: readonly string[];
  themes: readonly string[];
  leadDepartmentName: string | null;
}

export interface ConcernForMatching extends ConcernText {
  themes: readonly string[];
  /** Published neighborhood id, or null for city-wide. */
  neighborhoodId: string | null;
  neighborhoodName?: string | null;
  /** Services or initiatives staff already aligned or dismissed for this concern: never suggested again. */
  excludedIds?: readonly string[];
}

/** Why a suggestion was made, as data, so each caller words it in its own language (see reasons.ts). */
export type Reason =
  | { kind: 'helps-with'; phrases: string[] }
  | { kind: 'theme'; code: string }
  | { kind: 'serves-neighborhood'; neighborhoodName: string }
  | { kind: 'serves-citywide' }
  | { kind: 'language'; language: string }
  | { kind: 'plan'; initiativeCode: string; leadDepartmentName: string | null }
  | { kind: 'measure'; measureName: string };

export interface RankedMatch {
  id: string;
  /** 0–1; nothing below the engine's calibrated threshold is returned. */
  score: number;
  reasons: Reason[];
}
