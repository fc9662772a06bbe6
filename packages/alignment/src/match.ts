/**
 * Ranking services and strategic-plan initiatives for a concern, as a caseworker would: what the
 * service does for this concern (concepts and words shared with its name, description and
 * eligibility, weighted by how rare they are across the directory), theme agreement, the area it
 * serves and the resident's language. Hard rules first (active only, service area, excluded ids,
 * age, homeowners-only services never for renters); below a calibrated text score it abstains.
 */
import {
  analyze,
  asksOthers,
  conceptWeight,
  concernLanguage,
  detectLanguage,
  normalizeLanguage,
  speaksForSelf,
  words,
} from './text.ts';
import type {
  ConcernForMatching,
  InitiativeForMatching,
  Language,
  RankedMatch,
  Reason,
  ServiceForMatching,
} from './types.ts';

export interface MatcherOptions {
  /** Below this text relevance nothing is suggested. */
  minRelevance?: number;
  /** A concept counts this many times a word stem. */
  conceptBoost?: number;
  themeBonus?: number;
  areaBonus?: number;
  languageBonus?: number;
  /** Multiplier for a Spanish concern and a service not offered in Spanish. */
  languagePenalty?: number;
  /**
   * Least share of the concern's concepts (weighted by rarity; concepts nothing in the collection mentions weigh
   * most) an item must cover: a concern about something no service does gets nothing.
   */
  minCoverage?: number;
  /** Once the best item clears the thresholds, others are listed down to this share of its relevance. */
  followRatio?: number;
  /** 1: cosine. Below 1 a concern that says several things is not penalised as much for the things no item covers. */
  concernNormPower?: number;
  /** Also score the summary alone and keep the better cosine (the summary usually names the need; detail dilutes it). */
  summaryAlone?: boolean;
  /** How much of a concern's machine translation (`englishText`) is read: 0 ignores it, 1 reads it like the original. */
  translationWeight?: number;
  /** ...and never below this relevance. */
  minFollowRelevance?: number;
  /** `cosine` of TF-IDF vectors, or `bm25`: the share of the concern's weighted terms the item carries (see Collection.bm25). */
  scoring?: 'cosine' | 'bm25';
  k1?: number;
  b?: number;
  /** How much a concern's words that no item uses count against it (`bm25` only). */
  unseenWeight?: number;
  /** Pivoted length normalisation of items: 1 is plain cosine; below 1 a long item is penalised less for its length. */
  docPivotSlope?: number;
  /**
   * How far a concern that reads like the directory (a need a service meets) rather than like `policyTexts` (the
   * strategic plan: something the city decides or builds) lowers the relevance it needs, per unit of log-odds.
   */
  requestTypeWeight?: number;
  /** With the request-type model: the relevance a concern that reads neither way (log-odds 0) needs. */
  requestTypeThreshold?: number;
  /**
   * Added to the relevance of a service whose own text says it is for speakers of the concern's language (not English):
   * staff refer a resident who writes in Spanish to a service built for Spanish speakers for almost any need.
   */
  languageCommunityBonus?: number;
  /**
   * How much less relevance a concern needs when the resident speaks of their own situation in the first person
   * singular ("my landlord", "necesito"): a person asking for help for themselves has a need a service may meet,
   * a statement about the city more often asks the city to decide something.
   */
  personalWeight?: number;
  /**
   * How much more relevance a concern needs when it says what someone else should or must do ("the city should…",
   * "deberían…"): a demand addressed to the city asks it to decide something, where a service meets a need.
   */
  obligationWeight?: number;
}

export interface ServiceMatcherOptions extends MatcherOptions {
  /**
   * Text about what the city decides, funds and builds (the strategic plan's initiatives): with the directory, it
   * trains the request-type model behind abstention. Without it the threshold is the same for every concern.
   */
  policyTexts?: readonly string[];
  /** How much a service's name, description and eligibility each count in its text profile. */
  fieldWeights?: readonly [number, number, number];
}

const SERVICE_DEFAULTS: Required<MatcherOptions> = {
  minRelevance: 0.3,
  conceptBoost: 8,
  themeBonus: 0.15,
  areaBonus: 0.1,
  languageBonus: 0.1,
  languagePenalty: 0.85,
  minCoverage: 0,
  followRatio: 0.3,
  minFollowRelevance: 0.1,
  concernNormPower: 1,
  translationWeight: 0.25,
  summaryAlone: true,
  scoring: 'cosine',
  k1: 1.2,
  b: 0.75,
  unseenWeight: 0,
  docPivotSlope: 1,
  requestTypeWeight: 0.1,
  requestTypeThreshold: 0.43,
  languageCommunityBonus: 0.15,
  personalWeight: 0.2,
  obligationWeight: 0.1,
};

const INITIATIVE_DEFAULTS: Required<MatcherOptions> = {
  minRelevance: 0.15,
  conceptBoost: 8,
  themeBonus: 0.15,
  areaBonus: 0,
  languageBonus: 0,
  languagePenalty: 1,
  minCoverage: 0.15,
  followRatio: 0.4,
  minFollowRelevance: 0.1,
  concernNormPower: 1,
  translationWeight: 0,
  summaryAlone: true,
  scoring: 'cosine',
  k1: 1.2,
  b: 0.75,
  unseenWeight: 0,
  docPivotSlope: 1,
  requestTypeWeight: 0,
  requestTypeThreshold: 0.15,
  languageCommunityBonus: 0,
  personalWeight: 0,
  obligationWeight: 0,
};

export interface Matcher<C = ConcernForMatching> {
  rank(concern: C, first: number): RankedMatch[];
}

/** Every eligible item with the signals the gate reads (for calibration harnesses). */
export interface ScoredCandidate {
  id: string;
  score: number;
  relevance: number;
  cosine: number;
  coverage: number;
  /** The relevance this concern needs before anything is suggested. */
  threshold: number;
  /** What the gate compares with `threshold`: the text relevance weighed by theme, area and language. */
  gated: number;
}

/** A piece of an item's own text that can be quoted as what it helps with. */
interface Clause {
  text: string;
  keys: Set<string>;
}

interface Profile {
  id: string;
  vector: Map<string, number>;
  /** Raw field-weighted term frequencies and their sum (for BM25). */
  tf: Map<string, number>;
  length: number;
  clauses: Clause[];
  themes: readonly string[];
}

type Field = { text: string | null | undefined; weight: number; quotable: boolean };

function keysOf(text: string, language: Language, conceptBoost: number): Map<string, number> {
  const a = analyze(text, language);
  const v = new Map<string, number>();
  for (const c of a.concepts) v.set(`c:${c}`, conceptBoost * conceptWeight(c));
  for (const s of a.stems) v.set(`s:${s}`, (v.get(`s:${s}`) ?? 0) + 1);
  return v;
}

function splitClauses(text: string): string[] {
  return text
    .split(/(?<=[.;:!?])\s+|\s*[;:()]\s*|,\s+(?:such as|including|and|or|plus|with)\s+|\s+such as\s+/i)
    .map((c) => c.trim().replace(/[.,;:]+$/, ''))
    .filter((c) => words(c).length >= 2);
}

/** Weighted TF-IDF profiles over a collection, with an IDF learnt from the collection itself. */
class Collection {
  readonly profiles: Profile[];
  readonly idf: Map<string, number>;
  readonly n: number;

  constructor(
    items: { id: string; fields: Field[]; themes: readonly string[] }[],
    private readonly conceptBoost: number,
    private readonly concernNormPower = 1,
    private readonly translationWeight = 0.5,
    docPivotSlope = 1,
  ) {
    const raw = items.map((item) => {
      const v = new Map<string, number>();
      const clauses: Clause[] = [];
      for (const f of item.fields) {
        if (!f.text) continue;
        const lang = detectLanguage(f.text);
        for (const [k, x] of keysOf(f.text, lang, conceptBoost)) v.set(k, (v.get(k) ?? 0) + x * f.weight);
        if (f.quotable) {
          for (const c of splitClauses(f.text)) clauses.push({ text: c, keys: new Set(keysOf(c, lang, 1).keys()) });
        }
      }
      return { id: item.id, v, clauses, themes: item.themes };
    });
    this.n = raw.length;
    const df = new Map<string, number>();
    for (const r of raw) for (const k of r.v.keys()) df.set(k, (df.get(k) ?? 0) + 1);
    this.idf = new Map([...df].map(([k, d]) => [k, Math.log(1 + (this.n + 1) / (d + 0.5))]));
    // Pivoted length normalisation: a service that does many things is not penalised in full for its length.
    const norms = raw.map((r) => this.norm(r.v));
    const averageNorm = norms.reduce((a, b) => a + b, 0) / (norms.length || 1);
    this.profiles = raw.map((r, i) => ({
      id: r.id,
      vector: this.weigh(r.v, 1, (1 - docPivotSlope) * averageNorm + docPivotSlope * (norms[i] as number)),
      tf: r.v,
      length: [...r.v.values()].reduce((a, b) => a + b, 0),
      clauses: r.clauses,
      themes: r.themes,
    }));
    this.averageLength = this.profiles.reduce((a, p) => a + p.length, 0) / (this.n || 1);
  }

  readonly averageLength: number;

  /**
   * Share of the concern's term weight (IDF-weighted) that an item's text carries, each term saturating BM25-style
   * with how often the item says it, relative to its length. 0–1 whatever the concern's length; words no item in
   * the collection uses count against it with `unseenWeight` of the rarest IDF.
   */
  bm25(query: Map<string, number>, profile: Profile, k1: number, b: number, unseenWeight: number) {
    const shared = new Map<string, number>();
    const unseen = Math.log(1 + (this.n + 1) / 0.5) * unseenWeight;
    const lengthNorm = k1 * (1 - b + (b * profile.length) / (this.averageLength || 1));
    let num = 0;
    let den = 0;
    for (const [k, q] of query) {
      const idf = this.idf.get(k);
      den += q * (idf ?? unseen);
      if (idf === undefined) continue;
      const tf = profile.tf.get(k);
      if (tf === undefined) continue;
      const x = q * idf * (tf / (tf + lengthNorm));
      num += x;
      shared.set(k, x);
    }
    return { score: den === 0 ? 0 : num / den, shared };
  }

  private termWeight(k: string, tf: number): number | undefined {
    const idf = this.idf.get(k);
    return idf === undefined ? undefined : (1 + Math.log(Math.max(tf, 1e-9) + 1)) * idf;
  }

  private norm(v: Map<string, number>): number {
    let n = 0;
    for (const [k, tf] of v) n += (this.termWeight(k, tf) ?? 0) ** 2;
    return Math.sqrt(n);
  }

  weigh(v: Map<string, number>, normPower = 1, fixedNorm?: number): Map<string, number> {
    const out = new Map<string, number>();
    let norm = 0;
    for (const [k, tf] of v) {
      const w = this.termWeight(k, tf);
      if (w === undefined) continue;
      out.set(k, w);
      norm += w * w;
    }
    norm = fixedNorm ?? (Math.sqrt(norm) ** normPower || 1);
    for (const [k, w] of out) out.set(k, w / norm);
    return out;
  }

  concernVector(concern: ConcernForMatching): {
    vector: Map<string, number>;
    query: Map<string, number>;
    language: Language;
    concepts: Map<string, number>;
  } {
    const language = concernLanguage(concern);
    const own = analyze(`${concern.summary}. ${concern.detail ?? ''}`, language);
    const translated =
      concern.englishText && language !== 'en' && this.translationWeight > 0
        ? analyze(concern.englishText, 'en')
        : null;
    const v = new Map<string, number>();
    const concepts = new Map<string, number>();
    const unseen = Math.log(1 + (this.n + 1) / 0.5);
    const ownConcepts = new Set(own.concepts);
    for (const c of new Set([...own.concepts, ...(translated?.concepts ?? [])])) {
      // A concept only the machine translation found counts half: apertium's literal renderings misfire.
      const w = conceptWeight(c) * (ownConcepts.has(c) ? 1 : this.translationWeight);
      v.set(`c:${c}`, this.conceptBoost * w);
      concepts.set(`c:${c}`, w * (this.idf.get(`c:${c}`) ?? unseen));
    }
    // The resident's words and their translation say the same thing once: each counts half.
    const share = translated ? 1 / (1 + this.translationWeight) : 1;
    for (const s of own.stems) v.set(`s:${s}`, (v.get(`s:${s}`) ?? 0) + share);
    for (const s of translated?.stems ?? []) v.set(`s:${s}`, (v.get(`s:${s}`) ?? 0) + share * this.translationWeight);
    return { vector: this.weigh(v, this.concernNormPower), query: v, language, concepts };
  }
}

/** Share of the concern's concept weight that the item shares. */
function coverage(concepts: Map<string, number>, shared: Map<string, number>): number {
  let total = 0;
  let covered = 0;
  for (const [k, w] of concepts) {
    total += w;
    if (shared.has(k)) covered += w;
  }
  return total === 0 ? 0 : covered / total;
}

/** The better of the whole concern's and its summary's cosine with an item. */
function best(
  whole: Map<string, number>,
  summary: Map<string, number> | null,
  item: Map<string, number>,
): { score: number; shared: Map<string, number> } {
  const a = cosine(whole, item);
  if (!summary) return a;
  const b = cosine(summary, item);
  return b.score > a.score ? b : a;
}

function cosine(a: Map<string, number>, b: Map<string, number>): { score: number; shared: Map<string, number> } {
  const shared = new Map<string, number>();
  let s = 0;
  for (const [k, x] of a) {
    const y = b.get(k);
    if (y !== undefined) {
      s += x * y;
      shared.set(k, x * y);
    }
  }
  return { score: s, shared };
}

/** Up to two clauses of the item's own text that carry most of what it shares with the concern. */
function helpsWith(profile: Profile, shared: Map<string, number>): string[] {
  const scored = profile.clauses
    .map((c) => {
      let s = 0;
      for (const k of c.keys) s += shared.get(k) ?? 0;
      return { c, s };
    })
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s);
  const out: string[] = [];
  for (const { c } of scored) {
    const text = c.text.length > 90 ? `${c.text.slice(0, 87).replace(/\s+\S*$/, '')}…` : c.text;
    if (!out.some((o) => o.toLowerCase() === text.toLowerCase())) out.push(text);
    if (out.length === 2) break;
  }
  return out;
}

/** The age range a concern speaks for, from what it says (null: not said). */
function concernAges(concern: ConcernForMatching, language: Language): [number, number] | null {
  const a = analyze(`${concern.summary}. ${concern.detail ?? ''}`, language, concern.englishText ?? null);
  const cs = new Set(a.concepts);
  const ranges: [number, number][] = [];
  if (cs.has('senior')) ranges.push([55, 120]);
  // Child care is the parent's need (a parent who needs daycare to attend a class is the adult the class serves).
  if (cs.has('child') || cs.has('afterschool')) ranges.push([0, 12]);
  if (cs.has('teen') || cs.has('internship')) ranges.push([12, 24]);
  if (ranges.length === 0) return null;
  return [Math.min(...ranges.map((r) => r[0])), Math.max(...ranges.map((r) => r[1]))];
}

/**
 * Whether a concern speaks for someone who rents (a tenant, a landlord, an eviction), and does not also
 * say the person owns a home.
 */
function concernRents(concern: ConcernForMatching, language: Language): boolean {
  const a = analyze(`${concern.summary}. ${concern.detail ?? ''}`, language, concern.englishText ?? null);
  const cs = new Set(a.concepts);
  return (cs.has('tenant') || cs.has('landlord') || cs.has('evict')) && !cs.has('homeowner');
}

// A service's eligibility that limits it to people who own the home they live in (HSDS eligibility_description).
const OWNERS_ONLY =
  /\b(?:home ?owners?|owner[- ]occupied|owner-occupants?|own (?:and live in )?(?:their|the|a|your) (?:own )?homes?|propietarios? de (?:la |su )?(?:vivienda|casa)|dueños? de (?:la |su )?(?:vivienda|casa)|vivienda ocupada por (?:su|el) (?:dueño|propietario))\b/i;
const RENTERS_TOO = /\b(?:tenants?|renters?|rental|inquilin[oa]s?|arrendatari[oa]s?)\b/i;

/** A service only homeowners may use: its eligibility names owners and no renters. */
function ownersOnly(s: ServiceForMatching): boolean {
  return s.eligibility != null && OWNERS_ONLY.test(s.eligibility) && !RENTERS_TOO.test(s.eligibility);
}

function agesFit(ages: [number, number] | null, min: number | null, max: number | null): boolean {
  if (!ages) return true;
  const lo = min ?? 0;
  const hi = max ?? 200;
  return ages[0] <= hi && ages[1] >= lo;
}

interface Candidate {
  match: RankedMatch;
  relevance: number;
  confident: boolean;
  coverage?: number;
  raw?: number;
  threshold?: number;
  gated?: number;
  /** Quoted reasons are worded only for what is returned: the item's profile and what it shares with the concern. */
  quote?: { profile: Profile; shared: Map<string, number> };
}

/**
 * Abstain unless the best candidate is confident; then list it and the others that come close enough.
 */
function gate(candidates: Candidate[], opts: Required<MatcherOptions>, first: number): RankedMatch[] {
  const best = candidates.filter((c) => c.confident).sort((a, b) => b.relevance - a.relevance)[0];
  if (!best) return [];
  const floor = Math.max(opts.minFollowRelevance, best.relevance * opts.followRatio);
  return candidates
    .filter((c) => c.confident || c.relevance >= floor)
    .sort((a, b) => b.match.score - a.match.score || (a.match.id < b.match.id ? -1 : 1))
    .slice(0, first)
    .map((c) => {
      if (!c.quote) return c.match;
      const phrases = helpsWith(c.quote.profile, c.quote.shared);
      return {
        ...c.match,
        reasons: phrases.length > 0 ? [{ kind: 'helps-with', phrases } as Reason, ...c.match.reasons] : c.match.reasons,
      };
    });
}

/**
 * Does a concern read like a need a service meets, or like something the city decides or builds? Multinomial naive
 * Bayes (document frequencies, add-`alpha` smoothing) over concept and word-stem features, trained on the directory's
 * own text against policy text (the strategic plan). `odds` is the mean log-odds per feature times the square root of
 * their number: > 0 reads like the directory. Features neither corpus has are ignored.
 */
export class RequestTypeModel {
  private readonly logOdds = new Map<string, number>();

  constructor(serviceTexts: readonly string[], policyTexts: readonly string[], alpha = 1) {
    const count = (texts: readonly string[]) => {
      const df = new Map<string, number>();
      let total = 0;
      for (const t of texts) {
        for (const k of new Set(RequestTypeModel.features(t, detectLanguage(t)))) {
          df.set(k, (df.get(k) ?? 0) + 1);
          total++;
        }
      }
      return { df, total };
    };
    const a = count(serviceTexts);
    const b = count(policyTexts);
    const vocabulary = new Set([...a.df.keys(), ...b.df.keys()]);
    for (const k of vocabulary) {
      this.logOdds.set(
        k,
        Math.log(((a.df.get(k) ?? 0) + alpha) / (a.total + alpha * vocabulary.size)) -
          Math.log(((b.df.get(k) ?? 0) + alpha) / (b.total + alpha * vocabulary.size)),
      );
    }
  }

  static features(text: string, language: Language): string[] {
    const a = analyze(text, language);
    return [...a.concepts.map((c) => `c:${c}`), ...a.stems.map((x) => `s:${x}`)];
  }

  odds(concern: ConcernForMatching): number {
    const language = concernLanguage(concern);
    const own = RequestTypeModel.features(`${concern.summary}. ${concern.detail ?? ''}`, language);
    let sum = 0;
    let n = 0;
    for (const k of new Set(own)) {
      const x = this.logOdds.get(k);
      if (x === undefined) continue;
      sum += x;
      n++;
    }
    return n === 0 ? 0 : sum / Math.sqrt(n);
  }
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function isActive(s: ServiceForMatching): boolean {
  return s.status.trim().toLowerCase() === 'active';
}

/** Words by which a service's own text says it is for a language's speakers. */
const LANGUAGE_COMMUNITY: Record<Exclude<Language, 'en'>, RegExp> = {
  es: /\b(spanish|spanish-speaking|latino|latina|latinos|latinx|hispanic|español|hispano|hispanohablante)\b/i,
};

function forSpeakersOf(s: ServiceForMatching, language: Language): boolean {
  if (language === 'en') return false;
  const text = [s.name, s.description, s.eligibility].filter(Boolean).join(' ');
  return LANGUAGE_COMMUNITY[language].test(text) && offersLanguage(s.languages, language);
}

function offersLanguage(languages: readonly string[], language: Language): boolean {
  return languages.some((l) => normalizeLanguage(l) === language);
}

export interface ServiceMatcher extends Matcher {
  candidates(concern: ConcernForMatching): ScoredCandidate[];
}

export function createServiceMatcher(
  services: readonly ServiceForMatching[],
  options: ServiceMatcherOptions = {},
): ServiceMatcher {
  const { policyTexts, fieldWeights = [1.5, 1, 0.4], ...rest } = options;
  const opts = { ...SERVICE_DEFAULTS, ...rest };
  const requestType =
    policyTexts && policyTexts.length > 0 && opts.requestTypeWeight > 0
      ? new RequestTypeModel(
          services.filter(isActive).map((s) => [s.name, s.description, s.eligibility].filter(Boolean).join('. ')),
          policyTexts,
        )
      : null;
  const byId = new Map(services.map((s) => [s.id, s]));
  // Only active services are ever suggested, and only they shape the IDF (as when the subgraph loads active ones only).
  const collection = new Collection(
    services.filter(isActive).map((s) => ({
      id: s.id,
      themes: s.themes,
      fields: [
        { text: s.name, weight: fieldWeights[0], quotable: true },
        { text: s.description, weight: fieldWeights[1], quotable: true },
        { text: s.eligibility, weight: fieldWeights[2], quotable: false },
      ],
    })),
    opts.conceptBoost,
    opts.concernNormPower,
    opts.translationWeight,
    opts.docPivotSlope,
  );
  const byProfile = new Map(collection.profiles.map((p) => [p.id, p]));
  const vector0 = (concern: ConcernForMatching) => collection.concernVector(concern).vector;
  // Inverted index with weights: a service that shares no feature with a concern has cosine 0, so a concern's dot
  // products are accumulated over its features' postings, and only services that can reach `minFollowRelevance` are
  // scored in full (plus, for a language other than English, the services for its speakers, whose bonus stands
  // without shared words).
  const postings = new Map<string, { index: number[]; weight: number[] }>();
  collection.profiles.forEach((profile, i) => {
    for (const [k, w] of profile.vector) {
      let list = postings.get(k);
      if (!list) {
        list = { index: [], weight: [] };
        postings.set(k, list);
      }
      list.index.push(i);
      list.weight.push(w);
    }
  });
  const speakers = new Map<Language, Uint8Array>();
  const speakersOf = (language: Language) => {
    let marks = speakers.get(language);
    if (!marks) {
      marks = Uint8Array.from(collection.profiles, (p) =>
        forSpeakersOf(byId.get(p.id) as ServiceForMatching, language) ? 1 : 0,
      );
      speakers.set(language, marks);
    }
    return marks;
  };
  function profilesFor(language: Language, vectors: (Map<string, number> | null)[]): Profile[] {
    if (opts.scoring !== 'cosine') return collection.profiles;
    const community = opts.languageCommunityBonus > 0 && language !== 'en' ? speakersOf(language) : null;
    const best = new Float64Array(collection.profiles.length);
    for (const v of vectors) {
      if (!v) continue;
      const dot = new Float64Array(collection.profiles.length);
      for (const [k, q] of v) {
        const list = postings.get(k);
        if (!list) continue;
        for (let j = 0; j < list.index.length; j++) {
          const i = list.index[j] as number;
          dot[i] = (dot[i] as number) + q * (list.weight[j] as number);
        }
      }
      for (let i = 0; i < dot.length; i++) if ((dot[i] as number) > (best[i] as number)) best[i] = dot[i] as number;
    }
    // A margin below the follow floor: the accumulated sums may differ from the exact cosine in the last bits.
    const floor = opts.minFollowRelevance - 1e-9;
    const out: Profile[] = [];
    for (let i = 0; i < best.length; i++) {
      const bonus = community?.[i] ? opts.languageCommunityBonus : 0;
      if ((best[i] as number) + bonus >= floor) out.push(collection.profiles[i] as Profile);
    }
    return out;
  }
  function score(concern: ConcernForMatching): Candidate[] {
    const { vector, query, language, concepts } = collection.concernVector(concern);
    if (vector.size === 0) return [];
    const summary =
      opts.summaryAlone && concern.detail
        ? collection.concernVector({ ...concern, detail: null, englishText: null })
        : null;
    const summaryVector = summary?.vector ?? null;
    const relevanceOf = (profile: Profile) => {
      if (opts.scoring === 'cosine') return best(vector, summaryVector, profile.vector);
      const whole = collection.bm25(query, profile, opts.k1, opts.b, opts.unseenWeight);
      if (!summary) return whole;
      const alone = collection.bm25(summary.query, profile, opts.k1, opts.b, opts.unseenWeight);
      return alone.score > whole.score ? alone : whole;
    };
    const excluded = new Set(concern.excludedIds ?? []);
    const ages = concernAges(concern, language);
    const rents = concernRents(concern, language);
    const said = `${concern.summary}. ${concern.detail ?? ''}`;
    const personal = opts.personalWeight > 0 && speaksForSelf(said) ? opts.personalWeight : 0;
    const obliges = opts.obligationWeight > 0 && asksOthers(said) ? opts.obligationWeight : 0;
    const needed =
      (requestType
        ? opts.requestTypeThreshold - opts.requestTypeWeight * requestType.odds(concern)
        : opts.minRelevance) -
      personal +
      obliges;
    const out: Candidate[] = [];
    for (const profile of profilesFor(language, [vector, summaryVector])) {
      const s = byId.get(profile.id) as ServiceForMatching;
      if (!isActive(s)) continue;
      if (excluded.has(s.id)) continue;
      const limited = !s.coverage.citywide;
      if (limited && (!concern.neighborhoodId || !s.coverage.neighborhoodIds.includes(concern.neighborhoodId)))
        continue;
      if (!agesFit(ages, s.minimumAge, s.maximumAge)) continue;
      if (rents && ownersOnly(s)) continue;
      const text = relevanceOf(profile);
      const shared = text.shared;
      const community = opts.languageCommunityBonus > 0 && language !== 'en' && forSpeakersOf(s, language);
      const relevance = text.score + (community ? opts.languageCommunityBonus : 0);
      if (relevance < opts.minFollowRelevance) continue;
      const covered = coverage(concepts, shared);
      const reasons: Reason[] = [];
      let bonus = 0;
      const commonTheme = concern.themes.find((t) => s.themes.includes(t));
      if (commonTheme) {
        bonus += opts.themeBonus * (concern.themes[0] === commonTheme ? 1 : 0.5);
        reasons.push({ kind: 'theme', code: commonTheme });
      }
      if (limited && concern.neighborhoodId) {
        bonus += opts.areaBonus;
        reasons.push({
          kind: 'serves-neighborhood',
          neighborhoodName: concern.neighborhoodName ?? concern.neighborhoodId,
        });
      } else if (!limited) {
        reasons.push({ kind: 'serves-citywide' });
      }
      let factor = 1;
      if (language !== 'en') {
        if (offersLanguage(s.languages, language)) {
          bonus += opts.languageBonus;
          reasons.push({ kind: 'language', language });
        } else factor = opts.languagePenalty;
      }
      const score = Math.min(1, relevance * factor * (1 + bonus));
      // What makes a concern answerable is what the service's text shares with it, weighed by theme, area and
      // language as the score is; the language-community bonus only reorders.
      const gated = text.score * factor * (1 + bonus);
      const confident = gated >= needed && covered >= opts.minCoverage;
      out.push({
        match: { id: s.id, score: round(score), reasons },
        relevance,
        confident,
        coverage: covered,
        raw: score,
        threshold: needed,
        gated,
        quote: { profile, shared },
      });
    }
    return out;
  }
  return {
    rank(concern, first) {
      if (first <= 0) return [];
      return gate(score(concern), opts, first);
    },
    candidates(concern) {
      return score(concern)
        .map((c) => ({
          id: c.match.id,
          score: c.raw ?? c.match.score,
          relevance: c.relevance,
          cosine: cosine(vector0(concern), byProfile.get(c.match.id)?.vector ?? new Map()).score,
          coverage: c.coverage ?? 0,
          threshold: c.threshold ?? opts.minRelevance,
          gated: c.gated ?? 0,
        }))
        .sort((a, b) => b.score - a.score);
    },
  };
}

export function createInitiativeMatcher(
  initiatives: readonly InitiativeForMatching[],
  options: MatcherOptions = {},
): Matcher {
  const opts = { ...INITIATIVE_DEFAULTS, ...options };
  const byId = new Map(initiatives.map((i) => [i.id, i]));
  const collection = new Collection(
    initiatives.map((i) => ({
      id: i.id,
      themes: i.themes,
      fields: [
        { text: i.title, weight: 1.5, quotable: true },
        { text: i.description, weight: 1, quotable: true },
        ...i.narratives.map((t) => ({ text: t, weight: 0.5, quotable: false })),
        ...i.measureNames.map((t) => ({ text: t, weight: 0.5, quotable: false })),
      ],
    })),
    opts.conceptBoost,
    opts.concernNormPower,
    opts.translationWeight,
    opts.docPivotSlope,
  );
  return {
    rank(concern, first) {
      if (first <= 0) return [];
      const { vector, concepts } = collection.concernVector(concern);
      if (vector.size === 0) return [];
      const summaryVector =
        opts.summaryAlone && concern.detail
          ? collection.concernVector({ ...concern, detail: null, englishText: null }).vector
          : null;
      const excluded = new Set(concern.excludedIds ?? []);
      const out: Candidate[] = [];
      for (const profile of collection.profiles) {
        const it = byId.get(profile.id) as InitiativeForMatching;
        if (excluded.has(it.id)) continue;
        const { score: relevance, shared } = best(vector, summaryVector, profile.vector);
        if (relevance < opts.minFollowRelevance) continue;
        const confident = relevance >= opts.minRelevance && coverage(concepts, shared) >= opts.minCoverage;
        const reasons: Reason[] = [
          { kind: 'plan', initiativeCode: it.code, leadDepartmentName: it.leadDepartmentName },
        ];
        const phrases = helpsWith(profile, shared);
        if (phrases.length > 0) reasons.push({ kind: 'helps-with', phrases });
        let bonus = 0;
        const commonTheme = concern.themes.find((t) => it.themes.includes(t));
        if (commonTheme) {
          bonus += opts.themeBonus * (concern.themes[0] === commonTheme ? 1 : 0.5);
          reasons.push({ kind: 'theme', code: commonTheme });
        }
        const concernKeys = new Set(shared.keys());
        for (const m of it.measureNames) {
          const mk = keysOf(m, 'en', 1);
          if ([...mk.keys()].some((k) => concernKeys.has(k))) {
            reasons.push({ kind: 'measure', measureName: m });
            break;
          }
        }
        out.push({
          match: { id: it.id, score: round(Math.min(1, relevance * (1 + bonus))), reasons },
          relevance,
          confident,
        });
      }
      return gate(out, opts, first);
    },
  };
}
