/**
 * Offline harness: scores the alignment engine on a labelled set laid out like
 * ../shared/data/alignment (README.md there defines the figures), without a database.
 *
 *   cd packages/alignment && ../../node_modules/.bin/tsx scripts/eval-dev.ts [dataDir] [--no-translate] [--curve]
 *     [--frontier [--quiet]] [--signals] [--misses] [--same-misses] [--themes] [--baseline] [--overlap] [--rerank] [--bridge]
 *     [--halves]
 *
 * Options for experiments come from the environment as JSON: SERVICE_OPTIONS, SIM_OPTIONS, THEME_OPTIONS;
 * THEME_MISSES=<code> with --themes lists the concerns where that theme was missed or wrongly given;
 * DUMP_RANKS=<file> writes each concern's service ranks (to compare with a run through the API).
 *
 * The gold labels are read only to score; the engine sees the concerns as imported (themes blank),
 * the directory and the strategic plan.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { suggestThemes } from '@civic/taxonomy/themes';
import { createInitiativeMatcher, createServiceMatcher } from '../src/match.ts';
import { buildSimilarityIndex, proposeGroups } from '../src/similarity.ts';
import { concernLanguage } from '../src/text.ts';
import { createThemeTagger } from '../src/themes.ts';
import { translate, translatorAvailable } from '../src/translate.ts';
import type {
  ConcernForMatching,
  InitiativeForMatching,
  Language,
  RankedMatch,
  ServiceForMatching,
} from '../src/types.ts';
import { parseCsv } from './csv.ts';

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const here = new URL('.', import.meta.url).pathname;
const dataDir = resolve(args.find((a) => !a.startsWith('--')) ?? join(here, '../../../../shared/data/alignment'));
const durhamDir = resolve(dataDir, '../durham');

const csv = (path: string) => parseCsv(readFileSync(path, 'utf8'));

interface Gold {
  themes: string[];
  services: Record<string, number>;
  initiatives: string[];
  group: string | null;
  language: Language;
}

// ---- load
const concernRows = csv(join(dataDir, 'concerns-dev.csv'));
const gold: Record<string, Gold> = JSON.parse(readFileSync(join(dataDir, 'gold-dev.json'), 'utf8'));
const aliases = new Map(
  csv(join(durhamDir, 'demo-aliases.csv')).map((r) => [r.name as string, r.neighborhood as string]),
);

const languagesByService = new Map<string, string[]>();
for (const r of csv(join(dataDir, 'directory/languages.csv'))) {
  const list = languagesByService.get(r.service_id as string) ?? [];
  list.push(r.code as string);
  languagesByService.set(r.service_id as string, list);
}
const areasByService = new Map<string, string[]>();
for (const r of csv(join(dataDir, 'directory/service_areas.csv'))) {
  const list = areasByService.get(r.service_id as string) ?? [];
  list.push(r.name as string);
  areasByService.set(r.service_id as string, list);
}
const orgs = new Map(csv(join(dataDir, 'directory/organizations.csv')).map((r) => [r.id as string, r.name as string]));

/** A service area named "Neighborhoods: A, B, C" is limited to those; anything else covers the city. */
function coverage(serviceId: string): ServiceForMatching['coverage'] {
  const names = areasByService.get(serviceId) ?? [];
  const limited = names.filter((n) => n.startsWith('Neighborhoods:'));
  if (limited.length === 0 || limited.length < names.length) return { citywide: true, neighborhoodIds: [] };
  const ids = limited.flatMap((n) =>
    n
      .replace(/^Neighborhoods:\s*/, '')
      .split(/,\s*/)
      .map((x) => x.trim()),
  );
  return { citywide: false, neighborhoodIds: ids };
}

const tagger = createThemeTagger([], JSON.parse(process.env.THEME_OPTIONS ?? '{}'));
const num = (s: string | undefined) => (s && s.trim() !== '' ? Number(s) : null);

const services: ServiceForMatching[] = csv(join(dataDir, 'directory/services.csv')).map((r) => {
  const text = `${r.name}. ${r.description}`;
  return {
    id: r.id as string,
    name: r.name as string,
    description: r.description || null,
    organizationName: orgs.get(r.organization_id as string) ?? null,
    status: r.status as string,
    themes: [
      ...new Set([
        ...tagger.tag({ summary: text, language: 'en' }).map((t) => t.code),
        // The stored themes of an HSDS import (the taxonomy's keyword guesses), as the resources subgraph keeps them.
        ...suggestThemes(`${r.name} ${r.description}`),
      ]),
    ],
    languages: languagesByService.get(r.id as string) ?? ['en'],
    eligibility: r.eligibility_description || null,
    minimumAge: num(r.minimum_age),
    maximumAge: num(r.maximum_age),
    fees: r.fees_description || null,
    coverage: coverage(r.id as string),
  };
});

interface PlanInitiative {
  code: string;
  title: string;
  summary?: { why?: string | null; doing?: string | null; next?: string | null; description?: string | null };
  measures?: { name: string | null }[];
}
const plan = JSON.parse(readFileSync(join(durhamDir, 'strategic-plan.json'), 'utf8')) as {
  goals: { objectives: { initiatives: PlanInitiative[] }[] }[];
};
const initiatives: InitiativeForMatching[] = plan.goals.flatMap((g) =>
  g.objectives.flatMap((o) =>
    o.initiatives.map((i) => ({
      id: i.code,
      code: i.code,
      title: i.title,
      description: i.summary?.description ?? null,
      narratives: [i.summary?.why, i.summary?.doing, i.summary?.next].filter((x): x is string => !!x),
      measureNames: (i.measures ?? []).map((m) => m.name).filter((x): x is string => !!x),
      themes: tagger.tag({ summary: `${i.title}. ${i.summary?.description ?? ''}`, language: 'en' }).map((t) => t.code),
      leadDepartmentName: null,
    })),
  ),
);

interface Concern extends ConcernForMatching {
  id: string;
  key: string;
  gold: Gold;
  lang: Language;
}
const concerns: Concern[] = concernRows.map((r, i) => {
  const key = `${r.conversationKey}|${r.summary}`;
  const g = gold[key];
  if (!g) throw new Error(`no gold for ${key}`);
  const published = r.neighborhood ? (aliases.get(r.neighborhood) ?? r.neighborhood) : null;
  const c = {
    id: `c${String(i).padStart(4, '0')}`,
    key,
    summary: r.summary as string,
    detail: r.detail || null,
    language: r.language || null,
    themes: [] as string[],
    neighborhoodId: published,
    neighborhoodName: r.neighborhood || null,
    gold: g,
    lang: 'en' as Language,
  };
  c.lang = concernLanguage(c);
  return c;
});

const translateOn = !flags.has('--no-translate') && (await translatorAvailable());
if (translateOn) {
  const spanish = concerns.filter((c) => c.lang === 'es');
  const out = await translate(
    spanish.map((c) => `${c.summary}. ${c.detail ?? ''}`),
    'es',
    'en',
  );
  spanish.forEach((c, i) => {
    c.englishText = out[i] ?? null;
  });
}

// ---- run
const t0 = performance.now();
for (const c of concerns) c.themes = tagger.tag(c).map((t) => t.code);
const policyTexts = initiatives.flatMap((i) =>
  [i.title, i.description ?? '', ...i.narratives, ...(process.env.POLICY_MEASURES ? i.measureNames : [])].filter(
    Boolean,
  ),
);
// Experiment: residents' statements from the Polis exports beside the plan, as policy text.
if (process.env.POLIS) {
  const polisDir = resolve(dataDir, '../polis');
  for (const d of process.env.POLIS.split(',')) {
    for (const r of csv(join(polisDir, d, 'comments.csv'))) {
      if (r.moderated === '1' && r['comment-body']) policyTexts.push(r['comment-body']);
    }
  }
}
const serviceOptions = () => ({ policyTexts, ...JSON.parse(process.env.SERVICE_OPTIONS ?? '{}') });
const serviceMatcher = createServiceMatcher(services, serviceOptions());
const initiativeMatcher = createInitiativeMatcher(initiatives, JSON.parse(process.env.INITIATIVE_OPTIONS ?? '{}'));
const serviceRanks = new Map(concerns.map((c) => [c.id, serviceMatcher.rank(c, 5)]));
const initiativeRanks = new Map(concerns.map((c) => [c.id, initiativeMatcher.rank(c, 5)]));
const index = buildSimilarityIndex(concerns, JSON.parse(process.env.SIM_OPTIONS ?? '{}'));
const similar = new Map(concerns.map((c) => [c.id, index.nearest(c.id, 5)]));
const elapsed = performance.now() - t0;

// ---- score
function precisionAt3(ranked: RankedMatch[], relevant: Set<string>): number {
  const hits = ranked.slice(0, 3).filter((m) => relevant.has(m.id)).length;
  return hits / Math.min(3, relevant.size);
}
function ndcg5(ranked: RankedMatch[], grades: Record<string, number>): number {
  const dcg = ranked.slice(0, 5).reduce((s, m, i) => s + (2 ** (grades[m.id] ?? 0) - 1) / Math.log2(i + 2), 0);
  const ideal = Object.values(grades)
    .sort((a, b) => b - a)
    .slice(0, 5)
    .reduce((s, g, i) => s + (2 ** g - 1) / Math.log2(i + 2), 0);
  return ideal === 0 ? 0 : dcg / ideal;
}
const mean = (xs: number[]) => (xs.length === 0 ? Number.NaN : xs.reduce((a, b) => a + b, 0) / xs.length);

function figures(subset: Concern[]) {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const c of subset) {
    const g = new Set(c.gold.themes);
    for (const t of c.themes)
      if (g.has(t)) tp++;
      else fp++;
    for (const t of g) if (!c.themes.includes(t)) fn++;
  }
  const p = tp / (tp + fp || 1);
  const r = tp / (tp + fn || 1);
  const withService = subset.filter((c) => Object.keys(c.gold.services).length > 0);
  const withoutService = subset.filter((c) => Object.keys(c.gold.services).length === 0);
  const withInitiative = subset.filter((c) => c.gold.initiatives.length > 0);
  const grouped = subset.filter((c) => c.gold.group);
  const groupOf = new Map(concerns.map((c) => [c.id, c.gold.group]));
  return {
    n: subset.length,
    themeF1: (2 * p * r) / (p + r || 1),
    themeP: p,
    themeR: r,
    resourceP3: mean(
      withService.map((c) => precisionAt3(serviceRanks.get(c.id) ?? [], new Set(Object.keys(c.gold.services)))),
    ),
    resourceNdcg5: mean(withService.map((c) => ndcg5(serviceRanks.get(c.id) ?? [], c.gold.services))),
    abstention: mean(withoutService.map((c) => ((serviceRanks.get(c.id) ?? []).length === 0 ? 1 : 0))),
    initiativeP3: mean(
      withInitiative.map((c) =>
        precisionAt3(
          (initiativeRanks.get(c.id) ?? []).map((m) => ({ ...m, id: m.id })),
          new Set(c.gold.initiatives),
        ),
      ),
    ),
    sameIssueP1: mean(
      grouped.map((c) => {
        const top = similar.get(c.id)?.[0];
        return top && groupOf.get(top.id) === c.gold.group ? 1 : 0;
      }),
    ),
  };
}

const rows: [string, ReturnType<typeof figures>][] = [
  ['all', figures(concerns)],
  ['en', figures(concerns.filter((c) => c.gold.language === 'en'))],
  ['es', figures(concerns.filter((c) => c.gold.language === 'es'))],
];
if (flags.has('--halves')) {
  // Held-out check: the conversations in key order, every other one in half A, the rest in B; a change is kept only
  // when it helps on both halves in both languages.
  const keys = [...new Set(concerns.map((c) => c.key.split('|')[0] as string))].sort();
  const halfOf = (c: Concern) => (keys.indexOf(c.key.split('|')[0] as string) % 2 === 0 ? 'A' : 'B');
  for (const h of ['A', 'B']) {
    for (const l of ['en', 'es']) {
      rows.push([`${h}-${l}`, figures(concerns.filter((c) => halfOf(c) === h && c.gold.language === l))]);
    }
  }
}
const f = (x: number) => (Number.isNaN(x) ? '  —  ' : x.toFixed(3));
console.log(`data: ${dataDir}`);
console.log(
  `translation: ${translateOn ? 'apertium spa-eng for Spanish concerns' : 'off (lexicon only)'}; engine time ${elapsed.toFixed(0)} ms`,
);
console.log('set   n    themeF1 (P/R)          resP@3  nDCG@5  abstain  initP@3  sameP@1');
for (const [name, x] of rows) {
  console.log(
    `${name.padEnd(4)} ${String(x.n).padStart(4)}   ${f(x.themeF1)} (${f(x.themeP)}/${f(x.themeR)})   ${f(x.resourceP3)}   ${f(x.resourceNdcg5)}   ${f(x.abstention)}    ${f(x.initiativeP3)}    ${f(x.sameIssueP1)}`,
  );
}

{
  // Proposed citywide groups against the gold groups, pair by pair (not an issue figure; for staff review load).
  const groups = proposeGroups(index);
  const groupOf = new Map<string, number>();
  groups.forEach((g, i) => {
    for (const m of g.memberIds) groupOf.set(m, i);
  });
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < concerns.length; i++) {
    for (let j = i + 1; j < concerns.length; j++) {
      const a = concerns[i] as Concern;
      const b = concerns[j] as Concern;
      const same = a.gold.group !== null && a.gold.group === b.gold.group;
      const together = groupOf.has(a.id) && groupOf.get(a.id) === groupOf.get(b.id);
      if (same && together) tp++;
      else if (together) fp++;
      else if (same) fn++;
    }
  }
  console.log(
    `proposed groups: ${groups.length} (largest ${groups[0]?.memberIds.length ?? 0}); same-issue pairs precision ${f(tp / (tp + fp || 1))}, recall ${f(tp / (tp + fn || 1))}`,
  );
}

if (flags.has('--curve')) {
  // Precision/abstention as the service threshold moves: top-1 precision over concerns with a relevant service
  // that still get a suggestion, and the share of concerns without one that get none.
  console.log('\nservice threshold curve: minRelevance  top1-precision  answered(with service)  abstention(without)');
  for (const t of (process.env.CURVE ?? '0.1,0.14,0.18,0.2,0.22,0.25,0.28,0.3,0.35,0.4').split(',').map(Number)) {
    const m = createServiceMatcher(services, { ...serviceOptions(), minRelevance: t, requestTypeThreshold: t });
    let answered = 0;
    let correct = 0;
    let withCount = 0;
    let abst = 0;
    let withoutCount = 0;
    for (const c of concerns) {
      const r = m.rank(c, 5);
      if (Object.keys(c.gold.services).length > 0) {
        withCount++;
        if (r.length > 0) {
          answered++;
          if ((c.gold.services[r[0]?.id as string] ?? 0) > 0) correct++;
        }
      } else {
        withoutCount++;
        if (r.length === 0) abst++;
      }
    }
    console.log(
      `  ${t.toFixed(2)}          ${f(correct / (answered || 1))}           ${f(answered / withCount)}                 ${f(abst / withoutCount)}`,
    );
  }
}

if (flags.has('--misses')) {
  const byId = new Map(services.map((s) => [s.id, s.name]));
  for (const c of concerns) {
    const r = serviceRanks.get(c.id) ?? [];
    const g = c.gold.services;
    const rel = Object.keys(g);
    const p = rel.length ? precisionAt3(r, new Set(rel)) : r.length === 0 ? 1 : 0;
    if (p < 1) {
      console.log(`\n[${c.lang}] ${c.summary} | ${c.detail ?? ''}${c.englishText ? ` => ${c.englishText}` : ''}`);
      console.log(`  themes ${c.themes.join(',')} gold ${c.gold.themes.join(',')} nbhd ${c.neighborhoodId ?? '-'}`);
      console.log(`  got:  ${r.map((m) => `${byId.get(m.id)} ${m.score}`).join(' | ')}`);
      console.log(`  gold: ${rel.map((id) => `${byId.get(id)}=${g[id]}`).join(' | ')}`);
    }
  }
}

if (flags.has('--themes')) {
  const stats = new Map<string, { tp: number; fp: number; fn: number; primaryHit: number; primaryN: number }>();
  const get = (t: string) => {
    let x = stats.get(t);
    if (!x) {
      x = { tp: 0, fp: 0, fn: 0, primaryHit: 0, primaryN: 0 };
      stats.set(t, x);
    }
    return x;
  };
  for (const c of concerns) {
    const g = new Set(c.gold.themes);
    for (const t of c.themes) {
      if (g.has(t)) get(t).tp++;
      else get(t).fp++;
    }
    for (const t of g) if (!c.themes.includes(t)) get(t).fn++;
    const p = c.gold.themes[0];
    if (p) {
      get(p).primaryN++;
      if (c.themes[0] === p) get(p).primaryHit++;
    }
  }
  const missed = process.env.THEME_MISSES;
  if (missed) {
    for (const c of concerns) {
      const g = new Set(c.gold.themes);
      if (g.has(missed) !== c.themes.includes(missed)) {
        console.log(`[${c.lang}] ${g.has(missed) ? 'fn' : 'fp'} ${c.summary} | ${c.detail ?? ''}`);
        console.log(`  got ${c.themes.join(',')} gold ${c.gold.themes.join(',')}`);
      }
    }
  }
  console.log('\ntheme                 tp   fp   fn  primary-hit/n');
  for (const [t, x] of [...stats].sort()) {
    console.log(
      `${t.padEnd(20)} ${String(x.tp).padStart(4)} ${String(x.fp).padStart(4)} ${String(x.fn).padStart(4)}   ${x.primaryHit}/${x.primaryN}`,
    );
  }
  const sizes = new Map<string, number>();
  for (const c of concerns) {
    const k = `${c.themes.length} vs ${c.gold.themes.length}`;
    sizes.set(k, (sizes.get(k) ?? 0) + 1);
  }
  console.log(
    'predicted vs gold theme counts:',
    [...sizes]
      .sort()
      .map(([k, v]) => `${k}: ${v}`)
      .join('; '),
  );
}

if (flags.has('--baseline')) {
  // Today's keyword tagger (packages/taxonomy suggestThemes) on the same concerns, for the before/after table.
  for (const lang of ['all', 'en', 'es']) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const c of concerns.filter((x) => lang === 'all' || x.gold.language === lang)) {
      const got = suggestThemes(`${c.summary} ${c.detail ?? ''}`);
      const g = new Set(c.gold.themes);
      for (const t of got)
        if (g.has(t)) tp++;
        else fp++;
      for (const t of g) if (!(got as string[]).includes(t)) fn++;
    }
    console.log(`keyword tagger (before) theme F1 ${lang}: ${((2 * tp) / (2 * tp + fp + fn)).toFixed(3)}`);
  }
}

if (flags.has('--signals')) {
  // How well each gate signal separates concerns with a relevant service from those without (ROC AUC), read on the
  // best-ranked eligible service of each concern.
  const m = createServiceMatcher(services, { ...serviceOptions(), minFollowRelevance: 0 });
  const im = createInitiativeMatcher(initiatives, { minRelevance: 0, minCoverage: 0, minFollowRelevance: 0 });
  const rows = concerns.map((c) => {
    const cands = m.candidates(c);
    const top = cands[0];
    const second = cands[1];
    const init = im.rank(c, 1)[0]?.score ?? 0;
    return {
      has: Object.keys(c.gold.services).length > 0,
      correct: top ? (c.gold.services[top.id] ?? 0) > 0 : false,
      signals: {
        cosine: top?.cosine ?? 0,
        score: top?.score ?? 0,
        coverage: top?.coverage ?? 0,
        margin: (top?.score ?? 0) - (second?.score ?? 0),
        ratio2: second ? second.score / (top?.score || 1) : 0,
        minusInit: (top?.score ?? 0) - init,
        cosXcov: (top?.cosine ?? 0) * Math.sqrt(top?.coverage ?? 0),
        relevance: top?.relevance ?? 0,
        geo: Math.sqrt((top?.relevance ?? 0) * (top?.cosine ?? 0)),
        maxCos: Math.max(0, ...cands.map((x) => x.cosine)),
        maxRel: Math.max(0, ...cands.map((x) => x.relevance)),
        minusInit03: (top?.score ?? 0) - 0.3 * init,
        gate: Math.max(0, ...cands.map((x) => x.relevance - x.threshold)),
      } as Record<string, number>,
    };
  });
  const auc = (name: string, positive: (r: (typeof rows)[number]) => boolean) => {
    const pos = rows.filter(positive).map((r) => r.signals[name] as number);
    const neg = rows.filter((r) => !positive(r)).map((r) => r.signals[name] as number);
    let s = 0;
    for (const p of pos) for (const n of neg) s += p > n ? 1 : p === n ? 0.5 : 0;
    return s / (pos.length * neg.length || 1);
  };
  console.log(`\nsignal       AUC(has service vs none)  AUC(top-1 right vs not)`);
  for (const name of Object.keys(rows[0]?.signals ?? {})) {
    console.log(
      `${name.padEnd(12)} ${f(auc(name, (r) => r.has))}                     ${f(auc(name, (r) => r.correct))}`,
    );
  }
  console.log(
    `top-1 right when always answering: ${f(rows.filter((r) => r.has && r.correct).length / rows.filter((r) => r.has).length)}`,
  );
}

if (flags.has('--gate')) {
  // Each concern's gate: the best weighed relevance minus the relevance it needs (> 0 answers), by label.
  const m = createServiceMatcher(services, { ...serviceOptions(), minFollowRelevance: 0 });
  const byId = new Map(services.map((s) => [s.id, s.name]));
  const rows = concerns
    .map((c) => {
      const cands = m.candidates(c);
      const top = [...cands].sort((a, b) => b.gated - b.threshold - (a.gated - a.threshold))[0];
      return { c, top, margin: top ? top.gated - top.threshold : -1, has: Object.keys(c.gold.services).length > 0 };
    })
    .sort((a, b) => b.margin - a.margin);
  for (const { c, top, has, margin } of rows) {
    const right = top && (c.gold.services[top.id] ?? 0) > 0;
    console.log(
      `${margin.toFixed(3).padStart(6)} need ${f(top?.threshold ?? 0)} ${has ? (right ? 'HIT ' : 'has ') : 'NONE'} [${c.lang}] ${c.summary.slice(0, 60)} -> ${byId.get(top?.id ?? '')?.slice(0, 35)}`,
    );
  }
}

if (flags.has('--overlap')) {
  const m = createServiceMatcher(services, { ...serviceOptions(), minFollowRelevance: 0 });
  const byId = new Map(services.map((s) => [s.id, s.name]));
  const rows = concerns
    .map((c) => {
      const cands = m.candidates(c);
      const top = [...cands].sort((a, b) => b.relevance - a.relevance)[0];
      return { c, top, has: Object.keys(c.gold.services).length > 0 };
    })
    .sort((a, b) => (b.top?.relevance ?? 0) - (a.top?.relevance ?? 0));
  for (const { c, top, has } of rows) {
    const right = top && (c.gold.services[top.id] ?? 0) > 0;
    console.log(
      `${f(top?.relevance ?? 0)} cov ${f(top?.coverage ?? 0)} ${has ? (right ? 'HIT ' : 'has ') : 'NONE'} [${c.lang}] ${c.summary.slice(0, 70)} -> ${byId.get(top?.id ?? '')?.slice(0, 40)}`,
    );
  }
}

if (flags.has('--frontier')) {
  // The threshold sweep behind the calibration: resource P@3, nDCG@5 and abstention at each minRelevance, and the
  // best P@3 among thresholds that keep abstention >= 0.70.
  const base = serviceOptions();
  let bestRow: { t: number; p3: number; nd: number; ab: number } | null = null;
  const lines: string[] = [];
  for (let t = 0.15; t <= 0.6001; t += 0.01) {
    const m = createServiceMatcher(services, { ...base, minRelevance: t, requestTypeThreshold: t });
    const withS = concerns.filter((c) => Object.keys(c.gold.services).length > 0);
    const without = concerns.filter((c) => Object.keys(c.gold.services).length === 0);
    const p3 = mean(withS.map((c) => precisionAt3(m.rank(c, 5), new Set(Object.keys(c.gold.services)))));
    const nd = mean(withS.map((c) => ndcg5(m.rank(c, 5), c.gold.services)));
    const ab = mean(without.map((c) => (m.rank(c, 5).length === 0 ? 1 : 0)));
    lines.push(`  ${t.toFixed(2)}  P@3 ${f(p3)}  nDCG@5 ${f(nd)}  abstention ${f(ab)}`);
    if (ab >= 0.7 && (!bestRow || p3 > bestRow.p3)) bestRow = { t, p3, nd, ab };
  }
  if (!flags.has('--quiet')) console.log(`\nthreshold frontier\n${lines.join('\n')}`);
  console.log(
    `best with abstention >= 0.70: ${bestRow ? `t=${bestRow.t.toFixed(2)} P@3 ${f(bestRow.p3)} nDCG@5 ${f(bestRow.nd)} abstention ${f(bestRow.ab)}` : 'none'}`,
  );
}

if (flags.has('--same-misses')) {
  const byId = new Map(concerns.map((c) => [c.id, c]));
  for (const c of concerns.filter((x) => x.gold.group)) {
    const top = similar.get(c.id)?.[0];
    const t = top ? byId.get(top.id) : undefined;
    if (t?.gold.group === c.gold.group) continue;
    const mates = concerns.filter((x) => x.id !== c.id && x.gold.group === c.gold.group);
    console.log(`\n[${c.lang}] ${c.summary} | ${c.detail ?? ''}`);
    console.log(`  got ${top?.score ?? '-'}: ${t?.summary ?? '(none)'}`);
    for (const m of mates) console.log(`  mate ${index.similarity(c.id, m.id).toFixed(3)}: ${m.summary}`);
  }
}

if (flags.has('--rerank')) {
  // Experiments on the same-issue neighbour lists over the full similarity matrix (150 concerns: all pairs is cheap).
  const n = concerns.length;
  const S = concerns.map((a) => concerns.map((b) => (a.id === b.id ? 0 : index.similarity(a.id, b.id))));
  const grouped = concerns.map((c, i) => [c, i] as const).filter(([c]) => c.gold.group);
  const p1 = (M: number[][]) =>
    mean(
      grouped.map(([c, i]) => {
        let best = -1;
        let bestS = -Infinity;
        (M[i] as number[]).forEach((s, j) => {
          if (j !== i && s > bestS) {
            bestS = s;
            best = j;
          }
        });
        return bestS > 0 && concerns[best]?.gold.group === c.gold.group ? 1 : 0;
      }),
    );
  console.log(`\nplain P@1 ${f(p1(S))}`);
  const topk = (row: number[], k: number) => [...row].sort((a, b) => b - a).slice(0, k);
  for (const k of [3, 5, 10]) {
    const r = S.map((row) => mean(topk(row, k)));
    for (const g of [0.25, 0.5, 1]) {
      const M = S.map((row, i) => row.map((s, j) => s - (g / 2) * ((r[i] as number) + (r[j] as number))));
      console.log(`CSLS k=${k} g=${g}: P@1 ${f(p1(M))}`);
    }
  }
  // Second-order: cosine of similarity rows (shared neighbours), mixed with first order.
  const norms = S.map((row) => Math.sqrt(row.reduce((a, x) => a + x * x, 0)) || 1);
  const S2 = S.map((a, i) =>
    S.map((b, j) =>
      i === j
        ? 0
        : a.reduce((acc, x, t) => acc + x * (b[t] as number), 0) / ((norms[i] as number) * (norms[j] as number)),
    ),
  );
  for (const w of [0.1, 0.2, 0.3, 0.5]) {
    const M = S.map((row, i) => row.map((s, j) => s + w * (S2[i]?.[j] as number)));
    console.log(`first + ${w}*second order: P@1 ${f(p1(M))}`);
  }
  // Rocchio: a concern's vector plus its neighbours' (top m), similarity recomputed as a dot of expanded rows.
  for (const m of [1, 2, 3]) {
    for (const beta of [0.3, 0.5]) {
      const E = S.map((row, i) => {
        const nb = row
          .map((s, j) => [s, j] as const)
          .sort((a, b) => b[0] - a[0])
          .slice(0, m);
        return (j: number) =>
          (S[i]?.[j] as number) + beta * nb.reduce((acc, [s, t]) => acc + s * (t === j ? 1 : (S[t]?.[j] as number)), 0);
      });
      const M = S.map((row, i) =>
        row.map((_, j) => (i === j ? 0 : (E[i] as (j: number) => number)(j) + (E[j] as (j: number) => number)(i))),
      );
      console.log(`rocchio m=${m} beta=${beta}: P@1 ${f(p1(M))}`);
    }
  }
  void n;
}

if (flags.has('--bridge')) {
  // Experiment: concerns that raise one issue point at the same services / initiatives / themes.
  const S = concerns.map((a) => concerns.map((b) => (a.id === b.id ? 0 : index.similarity(a.id, b.id))));
  const grouped = concerns.map((c, i) => [c, i] as const).filter(([c]) => c.gold.group);
  const p1 = (M: number[][]) =>
    mean(
      grouped.map(([c, i]) => {
        let best = -1;
        let bestS = -Infinity;
        (M[i] as number[]).forEach((s, j) => {
          if (j !== i && s > bestS) {
            bestS = s;
            best = j;
          }
        });
        return bestS > 0 && concerns[best]?.gold.group === c.gold.group ? 1 : 0;
      }),
    );
  const cosMap = (a: Map<string, number>, b: Map<string, number>) => {
    let d = 0;
    let na = 0;
    let nb = 0;
    for (const [k, x] of a) {
      na += x * x;
      d += x * (b.get(k) ?? 0);
    }
    for (const x of b.values()) nb += x * x;
    return na && nb ? d / Math.sqrt(na * nb) : 0;
  };
  const sm = createServiceMatcher(services, { minFollowRelevance: 0 });
  const svc = concerns.map(
    (c) => new Map(sm.candidates({ ...c, neighborhoodId: null, themes: [] }).map((x) => [x.id, x.relevance ** 2])),
  );
  const im = createInitiativeMatcher(initiatives, {
    minRelevance: 0,
    minCoverage: 0,
    minFollowRelevance: 0,
    followRatio: 0,
  });
  const ini = concerns.map((c) => new Map(im.rank({ ...c, themes: [] }, 200).map((x) => [x.id, x.score ** 2])));
  const th = concerns.map((c) => new Map(tagger.tag(c).map((t) => [t.code, t.confidence])));
  for (const [name, V] of [
    ['services', svc],
    ['initiatives', ini],
    ['themes', th],
  ] as const) {
    for (const w of [0.1, 0.2, 0.3]) {
      const M = S.map((row, i) =>
        row.map((s, j) => s + w * cosMap(V[i] as Map<string, number>, V[j] as Map<string, number>)),
      );
      console.log(`${name} w=${w}: P@1 ${f(p1(M))}`);
    }
  }
}

if (process.env.DUMP_RANKS) {
  // Per-concern service ranks, keyed like the API evaluation's JSON, to compare the harness with a run through the API.
  const { writeFileSync } = await import('node:fs');
  const out: Record<string, { resources: string[]; scores: number[]; reasons: unknown[] }> = {};
  for (const c of concerns) {
    const r = serviceRanks.get(c.id) ?? [];
    out[c.key] = { resources: r.map((m) => m.id), scores: r.map((m) => m.score), reasons: r.map((m) => m.reasons) };
  }
  writeFileSync(process.env.DUMP_RANKS, JSON.stringify(out, null, 1));
}
