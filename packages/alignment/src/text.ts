/**
 * Language identification, tokenizing, stemming and the bilingual concept lexicon: the shared
 * front end of tagging, similarity and ranking. A text becomes language-independent concept
 * tokens (`c:evict`) plus word stems (`s:evict`), so a Spanish concern and its English paraphrase
 * share features even with no translator.
 */
/// <reference path="./snowball-stemmers.d.ts" />
import { newStemmer } from 'snowball-stemmers';
import { LEXICON } from './lexicon.ts';
import type { Language } from './types.ts';

export { type ConceptEntry, LEXICON } from './lexicon.ts';
export type { Language } from './types.ts';

const EN_STOP = new Set(
  `a about above after again against all am an and any are aren't as at be because been before being below between both
  but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each few for from further had
  hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how how's i i'd
  i'll i'm i've if in into is isn't it it's its itself let's me more most mustn't my myself nor of off on once only or
  other ought our ours ourselves over own same shan't she she'd she'll she's should shouldn't so some such than that
  that's the their theirs them themselves then there there's these they they'd they'll they're they've this those through
  to too under until up very was wasn't we we'd we'll we're we've were weren't what what's when when's where where's which
  while who who's whom why why's with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves
  just also get got getting gets go going goes went need needs needed want wants please even still every like really
  one two three many much lot lots us im dont cant wont thats theres ive youre would could should will make made
  people folks everyone anyone someone somebody nobody something thing things way ways city durham year years day days
  time times week weeks month months since ago now new old back around near here there other another`.split(/\s+/),
);

const ES_STOP = new Set(
  `a al algo algunas algunos ante antes como con contra cual cuando de del desde donde durante e el ella ellas ellos en
  entre era erais eran eras eres es esa esas ese eso esos esta estaba estaban estado estamos estan están estar estas este
  esto estos estoy fue fueron fui ha han has hasta hay la las le les lo los me mi mis mucho muchos muy más mas nada ni nos
  nosotros o os otra otras otro otros para pero poco por porque que qué quien quienes se sea ser si sí siempre sin sobre
  son su sus también tan tanto te tenemos tener tengo tiene tienen todo todos tu tus un una uno unos usted ustedes y ya yo
  hace hacen hacer puede pueden podemos quiero queremos necesitamos necesita necesito favor ciudad año años día días
  semana semanas mes meses vez veces ahora nadie nunca cada gente vecinos vecino cosa cosas aquí allí así bien`.split(
    /\s+/,
  ),
);

/** Words frequent in one language and rare in the other: the language-identification signal. */
const EN_MARKERS = new Set(
  `the and of to is in it that for are was on with they this have at be not but our my we can you there no what
  from by their has been would your so if will about when get just need because all out one it's don't can't`.split(
    /\s+/,
  ),
);
const ES_MARKERS = new Set(
  `el la los las de del que y en un una es por con para no se su sus al lo más pero como hay muy nos mi mis está están
  son porque cuando también ya todo tiene tienen nuestro nuestra nuestros hace necesitamos queremos ni sin`.split(
    /\s+/,
  ),
);

const WORD_RE = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/** Lowercased words in reading order (apostrophes kept inside words, digits kept). */
export function words(text: string): string[] {
  return (text.toLowerCase().normalize('NFC').match(WORD_RE) ?? []).map((w) => w.replace(/’/g, "'"));
}

export function detectLanguage(text: string): Language {
  const ws = words(text);
  let en = 0;
  let es = 0;
  for (const w of ws) {
    if (EN_MARKERS.has(w)) en += 1;
    if (ES_MARKERS.has(w)) es += 1;
    if (/[ñ¿¡]/.test(w)) es += 1.5;
    else if (/[áéíóú]/.test(w)) es += 0.75;
    if (/^\w+(?:ción|ciones|mente|idad|amos|emos)$/u.test(w)) es += 0.5;
    if (/^\w+(?:ing|tion|'s|'t|ly)$/u.test(w)) en += 0.5;
  }
  return es > en ? 'es' : 'en';
}

/** Maps a free-form language value ("es", "es-MX", "Spanish", "español") to a Language, or null. */
export function normalizeLanguage(value: string | null | undefined): Language | null {
  if (!value) return null;
  const v = value.trim().toLowerCase();
  if (v.startsWith('es') || v.startsWith('spa') || v === 'español') return 'es';
  if (v.startsWith('en') || v.startsWith('eng') || v === 'inglés') return 'en';
  return null;
}

const stemmers = { en: newStemmer('english'), es: newStemmer('spanish') };
const stemCache = { en: new Map<string, string>(), es: new Map<string, string>() };

function stripAccents(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

export function stem(word: string, language: Language): string {
  const cache = stemCache[language];
  let s = cache.get(word);
  if (s === undefined) {
    const bare = word.replace(/'s$/, '').replace(/'/g, '');
    s = stripAccents(stemmers[language].stem(bare));
    if (cache.size > 50_000) cache.clear();
    cache.set(word, s);
  }
  return s;
}

/**
 * First-person singular pronouns and possessives, and Spanish's commonest first-person verbs (Spanish drops the
 * pronoun): closed word classes, not topic words.
 */
const FIRST_PERSON_SINGULAR = new Set(
  `i i'm im i've ive i'd i'll me my mine myself yo mi mis mí conmigo mío mía tengo necesito quiero puedo estoy soy vivo
  sé`.split(/\s+/),
);

/** Does the text speak of the writer's own situation (or their family's) in the first person singular? */
export function speaksForSelf(text: string): boolean {
  return words(text).some((w) => FIRST_PERSON_SINGULAR.has(w));
}

/** Deontic modals that put an obligation on someone ("the city should…", "deberían…"): a closed word class, no topic words. */
const OBLIGATION = new Set(
  `should shouldn't shouldnt must mustn't ought debería deberían debe deben debieran debiera`.split(/\s+/),
);

/** Does the text say what someone (the city, the police, landlords) should or must do? */
export function asksOthers(text: string): boolean {
  return words(text).some((w) => OBLIGATION.has(w));
}

export function isStopWord(word: string, language: Language): boolean {
  return language === 'en' ? EN_STOP.has(word) : ES_STOP.has(word);
}

/** Content-word stems of a text (stop words and one-letter words dropped). */
export function tokenize(text: string, language: Language = detectLanguage(text)): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (w.length < 2 || EN_STOP.has(w) || ES_STOP.has(w) || /^\d+$/.test(w)) continue;
    out.push(stem(w, language));
  }
  return out;
}

// The lexicon compiled to stem sequences per language, indexed by first stem.
interface CompiledForm {
  stems: string[];
  /** The form as written, accents stripped (single-word forms). */
  surface: string;
  concept: number;
  /** Match only the word as written, not every word with the same stem. */
  exact?: boolean;
}
interface CompiledLexicon {
  byFirst: Map<string, CompiledForm[]>;
}
const compiled: Record<Language, CompiledLexicon> = { en: { byFirst: new Map() }, es: { byFirst: new Map() } };
const conceptWeights: number[] = [];
const conceptConsumes: boolean[] = [];
const conceptNames: string[] = [];

function compileLexicon(): void {
  LEXICON.forEach((entry, i) => {
    conceptNames.push(entry.concept);
    conceptWeights.push(entry.weight ?? 1);
    conceptConsumes.push(entry.consumes ?? true);
    for (const language of ['en', 'es'] as const) {
      for (const form of entry[language]) {
        const stems = words(form).map((w) => stem(w, language));
        if (stems.length === 0) continue;
        const first = stems[0] as string;
        const list = compiled[language].byFirst.get(first) ?? [];
        const surface = stripAccents(form.toLowerCase());
        if (!list.some((f) => f.concept === i && f.stems.join(' ') === stems.join(' ') && f.surface === surface)) {
          list.push({ stems, surface, concept: i });
        }
        compiled[language].byFirst.set(first, list);
      }
    }
  });
  // A one-word stem two concepts share (park/parking) matches only the words as written.
  for (const language of ['en', 'es'] as const) {
    for (const list of compiled[language].byFirst.values()) {
      const singles = list.filter((f) => f.stems.length === 1);
      if (new Set(singles.map((f) => f.concept)).size > 1) for (const f of singles) f.exact = true;
    }
  }
  for (const language of ['en', 'es'] as const) {
    for (const list of compiled[language].byFirst.values()) list.sort((a, b) => b.stems.length - a.stems.length);
  }
}
compileLexicon();

export function conceptWeight(concept: string): number {
  const i = conceptNames.indexOf(concept);
  return i < 0 ? 1 : (conceptWeights[i] ?? 1);
}

export function conceptThemes(concept: string): readonly string[] {
  return LEXICON.find((e) => e.concept === concept)?.themes ?? [];
}

/** Up to this many words may stand between two words of a lexicon phrase. */
const PHRASE_GAP = 2;

/** The lexicon concepts a text mentions, once each, in order of first mention. */
export function concepts(text: string, language: Language = detectLanguage(text)): string[] {
  const ws = words(text);
  const found = new Set<number>();
  // Forms of the text's own language first; the other language's forms catch mixed-language concerns.
  for (const lang of language === 'en' ? (['en', 'es'] as const) : (['es', 'en'] as const)) {
    const stems = ws.map((w) => stem(w, lang));
    const lex = compiled[lang];
    const primary = lang === language;
    // Longest forms first; a word a phrase used is not read again on its own ("cuenta de la luz" is a bill, not a light).
    const consumed = new Uint8Array(stems.length);
    const matches: { concept: number; positions: number[] }[] = [];
    for (let i = 0; i < stems.length; i++) {
      const candidates = lex.byFirst.get(stems[i] as string);
      if (!candidates) continue;
      for (const form of candidates) {
        if (form.stems.length === 1) {
          const w = ws[i] as string;
          if (EN_STOP.has(w) || ES_STOP.has(w)) continue;
          // Across languages, and for short Spanish stems (Snowball joins para/parada, solo/solar), only the word as written.
          const exact = form.exact || !primary || (lang === 'es' && (stems[i] as string).length < 5);
          if (exact && stripAccents(w) !== form.surface) continue;
        }
        const positions = [i];
        let at = i;
        for (let k = 1; k < form.stems.length; k++) {
          let hit = -1;
          for (let j = at + 1; j <= Math.min(stems.length - 1, at + 1 + PHRASE_GAP); j++) {
            if (stems[j] === form.stems[k]) {
              hit = j;
              break;
            }
          }
          if (hit < 0) break;
          positions.push(hit);
          at = hit;
        }
        if (positions.length === form.stems.length) matches.push({ concept: form.concept, positions });
      }
    }
    matches.sort((a, b) => b.positions.length - a.positions.length);
    for (const m of matches) {
      if (m.positions.length === 1 && consumed[m.positions[0] as number]) continue;
      found.add(m.concept);
      if (m.positions.length > 1 && conceptConsumes[m.concept]) for (const p of m.positions) consumed[p] = 1;
    }
  }
  return [...found].map((i) => conceptNames[i] as string);
}

export interface AnalyzedText {
  language: Language;
  /** Concept names (no prefix). */
  concepts: string[];
  /** Content-word stems of the text, and of its English translation when given. */
  stems: string[];
}

/** The language a concern is in: its stated language when recognisable, else detected from its words. */
export function concernLanguage(text: { summary: string; detail?: string | null; language?: string | null }): Language {
  return normalizeLanguage(text.language) ?? detectLanguage(`${text.summary} ${text.detail ?? ''}`);
}

export function analyze(text: string, language?: Language | null, englishText?: string | null): AnalyzedText {
  const lang = language ?? detectLanguage(text);
  const cs = new Set(concepts(text, lang));
  const stems = tokenize(text, lang);
  if (englishText && lang !== 'en') {
    for (const c of concepts(englishText, 'en')) cs.add(c);
    stems.push(...tokenize(englishText, 'en'));
  }
  return { language: lang, concepts: [...cs], stems };
}

export type SparseVector = Map<string, number>;

/** Feature counts of an analyzed text: concepts weigh `conceptBoost` times a word stem. */
export function features(a: AnalyzedText, conceptBoost = 2): SparseVector {
  const v: SparseVector = new Map();
  for (const c of a.concepts) v.set(`c:${c}`, conceptBoost * conceptWeight(c));
  for (const s of a.stems) v.set(`s:${s}`, (v.get(`s:${s}`) ?? 0) + 1);
  return v;
}

export function normalize(v: SparseVector): SparseVector {
  let n = 0;
  for (const x of v.values()) n += x * x;
  n = Math.sqrt(n);
  if (n === 0) return v;
  for (const [k, x] of v) v.set(k, x / n);
  return v;
}

export function dot(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [k, x] of small) {
    const y = large.get(k);
    if (y !== undefined) s += x * y;
  }
  return s;
}
