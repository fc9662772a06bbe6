/**
 * Theme tagging: 0–3 taxonomy codes for a concern, primary first, each with a confidence.
 * Evidence comes from three places: the bilingual concept lexicon (each concept points at the
 * themes it belongs to), the taxonomy's own labels and keywords, and examples whose themes a
 * person decided (staff-tagged concerns, services, initiatives), learnt as feature–theme
 * associations.
 */
import { THEMES } from '@civic/taxonomy/themes';
import { analyze, conceptWeight, concernLanguage, LEXICON, stem, words } from './text.ts';
import type { ConcernText, Language, ThemeExample, ThemeTag } from './types.ts';

export interface ThemeTagger {
  tag(concern: ConcernText): ThemeTag[];
}

export interface ThemeTaggerOptions {
  /** Share of the top theme's score another theme needs to be kept. */
  secondaryRatio?: number;
  /** Share of the top theme's score a third theme needs. */
  thirdRatio?: number;
  /** Minimum raw score of the primary theme (below it: no theme). */
  minScore?: number;
  /** Weight of what the examples taught against the lexicon's prior. */
  exampleWeight?: number;
  maxThemes?: number;
  /** Weight of a concept's first, second and third theme. */
  rankWeights?: readonly number[];
  /** Weight of a taxonomy keyword or label word. */
  keywordWeight?: number;
  /** A theme's score is its strongest piece of evidence plus this share of the rest (repeats add less). */
  stackFactor?: number;
  /**
   * Cross-cutting themes (equity: who is affected, not what about) kept beside the topical ones when their own
   * evidence reaches `lensMinScore`, however strong the topical themes are.
   */
  lensThemes?: readonly string[];
  lensMinScore?: number;
}

const DEFAULTS: Required<ThemeTaggerOptions> = {
  secondaryRatio: 0.45,
  thirdRatio: 0.7,
  minScore: 0.3,
  exampleWeight: 0.6,
  maxThemes: 3,
  rankWeights: [1, 1, 0.8],
  keywordWeight: 0,
  stackFactor: 0.7,
  lensThemes: ['EQUITY'],
  lensMinScore: 0.8,
};

/** Taxonomy keywords and labels (English words, Spanish labels) as stem → themes. */
function taxonomyStems(): Map<string, Set<string>> {
  const m = new Map<string, Set<string>>();
  const add = (w: string, lang: Language, code: string) => {
    const ws = words(w);
    if (ws.length !== 1) return;
    const s = `s:${stem(ws[0] as string, lang)}`;
    const set = m.get(s) ?? new Set<string>();
    set.add(code);
    m.set(s, set);
  };
  for (const t of THEMES) {
    for (const k of t.keywords) add(k, 'en', t.code);
    for (const w of words(t.label.en)) if (w.length > 3) add(w, 'en', t.code);
    for (const w of words(t.label.es)) if (w.length > 3) add(w, 'es', t.code);
  }
  return m;
}

function featureKeys(text: string, language: Language | null | undefined): string[] {
  const a = analyze(text, language ?? null);
  return [...a.concepts.map((c) => `c:${c}`), ...new Set(a.stems.map((s) => `s:${s}`))];
}

/** What only the machine translation adds counts this much (it is noisier than the resident's own words). */
const TRANSLATION_WEIGHT = 0.5;

export function createThemeTagger(
  examples: readonly ThemeExample[] = [],
  options: ThemeTaggerOptions = {},
): ThemeTagger {
  const opts = { ...DEFAULTS, ...options };
  const valid = new Set<string>(THEMES.map((t) => t.code));
  const taxonomy = taxonomyStems();
  const rank = (i: number) => opts.rankWeights[i] ?? opts.rankWeights[opts.rankWeights.length - 1] ?? 0.3;
  const conceptThemeMap = new Map<string, { code: string; weight: number }[]>(
    LEXICON.map((e) => [e.concept, e.themes.map((code, i) => ({ code, weight: rank(i) }))]),
  );

  // feature → theme → weight, from the examples (each example's primary theme counts most).
  const learnt = new Map<string, Map<string, number>>();
  const df = new Map<string, number>();
  let n = 0;
  for (const ex of examples) {
    const themes = ex.themes.filter((t) => valid.has(t));
    if (themes.length === 0) continue;
    n += 1;
    for (const f of new Set(featureKeys(ex.text, ex.language))) {
      df.set(f, (df.get(f) ?? 0) + 1);
      const m = learnt.get(f) ?? new Map<string, number>();
      themes.forEach((code, i) => {
        m.set(code, (m.get(code) ?? 0) + rank(i));
      });
      learnt.set(f, m);
    }
  }

  return {
    tag(concern: ConcernText): ThemeTag[] {
      const language = concernLanguage(concern);
      const text = `${concern.summary}. ${concern.detail ?? ''}`;
      const evidence = new Map<string, number[]>();
      const add = (code: string, w: number) => {
        if (!valid.has(code)) return;
        const list = evidence.get(code) ?? [];
        list.push(w);
        evidence.set(code, list);
      };
      const own = featureKeys(text, language);
      const ownSet = new Set(own);
      const translated =
        concern.englishText && language !== 'en'
          ? featureKeys(concern.englishText, 'en').filter((f) => !ownSet.has(f))
          : [];
      const weighted: [string, number][] = [
        ...own.map((f): [string, number] => [f, 1]),
        ...translated.map((f): [string, number] => [f, TRANSLATION_WEIGHT]),
      ];
      for (const [f, fw] of weighted) {
        if (f.startsWith('c:')) {
          const c = f.slice(2);
          for (const { code, weight } of conceptThemeMap.get(c) ?? []) add(code, fw * weight * conceptWeight(c));
        } else {
          for (const code of taxonomy.get(f) ?? []) add(code, fw * opts.keywordWeight);
        }
        const m = learnt.get(f);
        if (m && n > 0) {
          const d = df.get(f) ?? 1;
          const idf = Math.log(1 + n / d);
          let total = 0;
          for (const w of m.values()) total += w;
          for (const [code, w] of m) add(code, (fw * opts.exampleWeight * idf * w) / total);
        }
      }
      const scores = new Map<string, number>();
      for (const [code, list] of evidence) {
        const max = Math.max(...list);
        const sum = list.reduce((a, b) => a + b, 0);
        scores.set(code, max + opts.stackFactor * (sum - max));
      }
      const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      const top = ranked[0];
      if (!top || top[1] < opts.minScore) return [];
      const kept = ranked
        .filter(
          ([, s], i) => s >= top[1] * (i >= 2 ? Math.max(opts.thirdRatio, opts.secondaryRatio) : opts.secondaryRatio),
        )
        .slice(0, opts.maxThemes);
      for (const [code, s] of ranked) {
        if (kept.length >= opts.maxThemes) break;
        if (opts.lensThemes.includes(code) && s >= opts.lensMinScore && !kept.some(([c]) => c === code))
          kept.push([code, s]);
      }
      return kept.map(([code, s]) => ({ code, confidence: round(s / (s + 1)) }));
    },
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
