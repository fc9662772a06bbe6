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
  /** Minimum raw score of the primary theme (below it: no theme). */
  minScore?: number;
  /** Weight of what the examples taught against the lexicon's prior. */
  exampleWeight?: number;
  maxThemes?: number;
}

const DEFAULTS: Required<ThemeTaggerOptions> = {
  secondaryRatio: 0.45,
  minScore: 0.5,
  exampleWeight: 0.6,
  maxThemes: 3,
};

/** The weight a concept's n-th theme gets. */
const RANK_WEIGHTS = [1, 0.6, 0.4];

const conceptThemeMap = new Map<string, { code: string; weight: number }[]>(
  LEXICON.map((e) => [e.concept, e.themes.map((code, i) => ({ code, weight: RANK_WEIGHTS[i] ?? 0.3 }))]),
);

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

function featureKeys(text: string, language: Language | null | undefined, englishText?: string | null): string[] {
  const a = analyze(text, language ?? null, englishText ?? null);
  return [...a.concepts.map((c) => `c:${c}`), ...new Set(a.stems.map((s) => `s:${s}`))];
}

export function createThemeTagger(
  examples: readonly ThemeExample[] = [],
  options: ThemeTaggerOptions = {},
): ThemeTagger {
  const opts = { ...DEFAULTS, ...options };
  const valid = new Set<string>(THEMES.map((t) => t.code));
  const taxonomy = taxonomyStems();

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
        m.set(code, (m.get(code) ?? 0) + (RANK_WEIGHTS[i] ?? 0.3));
      });
      learnt.set(f, m);
    }
  }

  return {
    tag(concern: ConcernText): ThemeTag[] {
      const language = concernLanguage(concern);
      const text = `${concern.summary}. ${concern.detail ?? ''}`;
      const scores = new Map<string, number>();
      const add = (code: string, w: number) => {
        if (valid.has(code)) scores.set(code, (scores.get(code) ?? 0) + w);
      };
      const keys = featureKeys(text, language, concern.englishText);
      for (const f of keys) {
        if (f.startsWith('c:')) {
          const c = f.slice(2);
          for (const { code, weight } of conceptThemeMap.get(c) ?? []) add(code, weight * conceptWeight(c));
        } else {
          for (const code of taxonomy.get(f) ?? []) add(code, 0.5);
        }
        const m = learnt.get(f);
        if (m && n > 0) {
          const d = df.get(f) ?? 1;
          const idf = Math.log(1 + n / d);
          let total = 0;
          for (const w of m.values()) total += w;
          for (const [code, w] of m) add(code, (opts.exampleWeight * idf * w) / total);
        }
      }
      const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      const top = ranked[0];
      if (!top || top[1] < opts.minScore) return [];
      const kept = ranked.filter(([, s]) => s >= top[1] * opts.secondaryRatio).slice(0, opts.maxThemes);
      return kept.map(([code, s]) => ({ code, confidence: round(s / (s + 1)) }));
    },
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
