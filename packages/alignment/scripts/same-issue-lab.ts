/**
 * Same-issue experiments with a held-out check: `similarConcerns` top-1 precision per language on two halves of the
 * development set's conversations (A = every other conversation in key order, B = the rest). A change is kept only
 * when it helps on both halves and in both languages. Neighbours are always searched among all concerns; only the
 * scored concerns are split. Gold groups are read only to score.
 *
 *   cd packages/alignment && ../../node_modules/.bin/tsx scripts/same-issue-lab.ts [dataDir] [--no-translate]
 *
 * SIM_VARIANTS: JSON array of SimilarityOptions, each with an optional "label" and "post": reorder each concern's
 *   first `depth` neighbours by reciprocal rank fusion of both directions ({"kind":"rrf","depth":10,"a":1}) or add a
 *   bonus when the concern is among its neighbour's first `a` ({"kind":"mutual","depth":5,"a":3}).
 * LSA=<dims>:<weights> (e.g. LSA=80,100,120:0.7,1,1.5): cosine + weight × the cosine of the concerns' projections on
 *   a latent subspace (subspace iteration, 6 rounds, SEED) learnt from the concerns, the directory and the plan, and
 *   POLIS=<dirs> (Polis exports in ../polis: unlabelled residents' statements) when given; FLIPS=1 lists the concerns
 *   whose top-1 changes.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSimilarityIndex, type SimilarityIndex, type SimilarityOptions } from '../src/similarity.ts';
import { concernLanguage } from '../src/text.ts';
import { translate, translatorAvailable } from '../src/translate.ts';
import type { SimilarityDoc } from '../src/types.ts';
import { parseCsv } from './csv.ts';

const args = process.argv.slice(2);
const here = new URL('.', import.meta.url).pathname;
const dataDir = resolve(args.find((a) => !a.startsWith('--')) ?? join(here, '../../../../shared/data/alignment'));
const csv = (path: string) => parseCsv(readFileSync(path, 'utf8'));
const gold: Record<string, { group: string | null }> = JSON.parse(readFileSync(join(dataDir, 'gold-dev.json'), 'utf8'));
const docs = csv(join(dataDir, 'concerns-dev.csv')).map((r, i) => ({
  id: `c${String(i).padStart(4, '0')}`,
  conversation: r.conversationKey as string,
  summary: r.summary as string,
  detail: r.detail || null,
  language: r.language || null,
  englishText: null as string | null,
  group: gold[`${r.conversationKey}|${r.summary}`]?.group ?? null,
}));
type Doc = (typeof docs)[number];
const lang = new Map(docs.map((d) => [d.id, concernLanguage(d)]));
if (!args.includes('--no-translate') && (await translatorAvailable())) {
  const es = docs.filter((d) => lang.get(d.id) === 'es');
  const out = await translate(
    es.map((d) => `${d.summary}. ${d.detail ?? ''}`),
    'es',
    'en',
  );
  es.forEach((d, i) => {
    d.englishText = out[i] ?? null;
  });
}
const conversations = [...new Set(docs.map((d) => d.conversation))].sort();
const half = new Map(conversations.map((c, i) => [c, i % 2 === 0 ? 'A' : 'B']));
const byId = new Map(docs.map((d) => [d.id, d]));
const base = buildSimilarityIndex(docs);

/** P@1 overall, per language and per half × language, from each grouped concern's chosen neighbour. */
function report(label: string, top: (d: Doc) => string | undefined): void {
  const hit = new Map(docs.filter((d) => d.group).map((d) => [d.id, byId.get(top(d) ?? '')?.group === d.group]));
  const p = (f: (d: Doc) => boolean) => {
    const xs = docs.filter((d) => d.group && f(d)).map((d) => (hit.get(d.id) ? 1 : 0));
    return (xs.reduce((a: number, b: number) => a + b, 0) / xs.length).toFixed(3);
  };
  const l = (d: Doc) => lang.get(d.id);
  const h = (d: Doc) => half.get(d.conversation);
  console.log(
    `${label.slice(0, 40).padEnd(40)}  ${[
      p(() => true),
      p((d) => l(d) === 'en'),
      p((d) => l(d) === 'es'),
      p((d) => h(d) === 'A' && l(d) === 'en'),
      p((d) => h(d) === 'A' && l(d) === 'es'),
      p((d) => h(d) === 'B' && l(d) === 'en'),
      p((d) => h(d) === 'B' && l(d) === 'es'),
    ].join('  ')}`,
  );
  if (process.env.FLIPS) {
    for (const d of docs.filter((x) => x.group)) {
      const was = base.nearest(d.id, 1)[0]?.id;
      const before = byId.get(was ?? '')?.group === d.group;
      if (before === hit.get(d.id)) continue;
      console.log(`  ${hit.get(d.id) ? 'gain' : 'loss'} [${half.get(d.conversation)}] ${d.summary.slice(0, 70)}`);
      console.log(`    was ${byId.get(was ?? '')?.summary.slice(0, 70)}`);
      console.log(`    now ${byId.get(top(d) ?? '')?.summary.slice(0, 70)}`);
    }
  }
}

console.log('variant                                   all    en     es     A-en   A-es   B-en   B-es');
type Post = { kind: 'rrf' | 'mutual'; depth: number; a: number };
const variants: (SimilarityOptions & { label?: string; post?: Post })[] = JSON.parse(
  process.env.SIM_VARIANTS ?? '[{}]',
);
for (const v of variants) {
  const index = buildSimilarityIndex(docs, v);
  const post = v.post;
  const lists = new Map(docs.map((d) => [d.id, index.nearest(d.id, post?.depth ?? 1)]));
  const rankIn = (of: string, list: string) => {
    const r = (lists.get(list) ?? []).findIndex((m) => m.id === of);
    return r < 0 ? (post?.depth ?? 1) + 1 : r + 1;
  };
  report(v.label ?? JSON.stringify(v), (d) => {
    const list = lists.get(d.id) ?? [];
    if (!post) return list[0]?.id;
    let top = list[0]?.id;
    let topScore = Number.NEGATIVE_INFINITY;
    for (const [r, m] of list.entries()) {
      const back = rankIn(d.id, m.id);
      const s =
        post.kind === 'rrf'
          ? 1 / (post.a + r + 1) + 1 / (post.a + back) + 1e-6 * m.score
          : m.score + (back <= post.a ? (0.05 * (post.a + 1 - back)) / post.a : 0);
      if (s > topScore) {
        topScore = s;
        top = m.id;
      }
    }
    return top;
  });
}

if (process.env.LSA) {
  const [dimList = '100', weightList = '1'] = process.env.LSA.split(':');
  const corpus: SimilarityDoc[] = [];
  for (const r of csv(join(dataDir, 'directory/services.csv'))) {
    corpus.push({ id: `x:s:${r.id}`, summary: `${r.name}. ${r.description}. ${r.eligibility_description ?? ''}` });
  }
  interface PlanInitiative {
    code: string;
    title: string;
    summary?: Record<string, string | null | undefined>;
  }
  const plan = JSON.parse(readFileSync(resolve(dataDir, '../durham/strategic-plan.json'), 'utf8')) as {
    goals: { objectives: { initiatives: PlanInitiative[] }[] }[];
  };
  for (const i of plan.goals.flatMap((g) => g.objectives.flatMap((o) => o.initiatives))) {
    const s = i.summary ?? {};
    const text = [i.title, s.description, s.why, s.doing, s.next].filter(Boolean).join('. ');
    corpus.push({ id: `x:i:${i.code}`, summary: text });
  }
  for (const d of (process.env.POLIS ?? '').split(',').filter(Boolean)) {
    for (const r of csv(resolve(dataDir, '../polis', d, 'comments.csv'))) {
      if (r.moderated === '1' && r['comment-body']) {
        corpus.push({ id: `x:p:${d}:${r['comment-id']}`, summary: r['comment-body'] as string });
      }
    }
  }
  const big: SimilarityIndex = buildSimilarityIndex([...docs, ...corpus], { maxFeatures: 1000 });
  const rows = big.ids.map((id) => [...big.features(id)]);
  const width = 1 + Math.max(0, ...rows.flatMap((r) => r.map(([k]) => k)));
  let seed = Number(process.env.SEED ?? 7);
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648 - 0.5;
  };
  /** An orthonormal basis of the top-`dims` right singular subspace (rotation-free: cosines do not need more). */
  const subspace = (dims: number): Float64Array[] => {
    let q = Array.from({ length: dims }, () => Float64Array.from({ length: width }, random));
    for (let round = 0; round < 6; round++) {
      const z = q.map(() => new Float64Array(width));
      for (const row of rows) {
        for (let c = 0; c < dims; c++) {
          const qc = q[c] as Float64Array;
          let s = 0;
          for (const [k, w] of row) s += w * (qc[k] as number);
          if (s === 0) continue;
          const zc = z[c] as Float64Array;
          for (const [k, w] of row) zc[k] = (zc[k] as number) + s * w;
        }
      }
      for (let c = 0; c < dims; c++) {
        const zc = z[c] as Float64Array;
        for (let d = 0; d < c; d++) {
          const zd = z[d] as Float64Array;
          let s = 0;
          for (let k = 0; k < width; k++) s += (zc[k] as number) * (zd[k] as number);
          for (let k = 0; k < width; k++) zc[k] = (zc[k] as number) - s * (zd[k] as number);
        }
        let n = 0;
        for (let k = 0; k < width; k++) n += (zc[k] as number) ** 2;
        n = Math.sqrt(n) || 1;
        for (let k = 0; k < width; k++) zc[k] = (zc[k] as number) / n;
      }
      q = z;
    }
    return q;
  };
  for (const dims of dimList.split(',').map(Number)) {
    const q = subspace(dims);
    const projection = new Map(
      docs.map((d) => {
        const row = [...big.features(d.id)];
        const v = q.map((qc) => row.reduce((s, [k, w]) => s + w * (qc[k] as number), 0));
        const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
        return [d.id, v.map((x) => x / n)];
      }),
    );
    for (const weight of weightList.split(',').map(Number)) {
      report(`lsa ${dims} × ${weight}`, (d) => {
        const pd = projection.get(d.id) ?? [];
        let best: string | undefined;
        let bestScore = Number.NEGATIVE_INFINITY;
        for (const e of docs) {
          if (e.id === d.id) continue;
          const pe = projection.get(e.id) ?? [];
          const latent = pd.reduce((s, x, i) => s + x * (pe[i] as number), 0);
          const s = base.similarity(d.id, e.id) + weight * latent;
          if (s > bestScore) {
            bestScore = s;
            best = e.id;
          }
        }
        return best;
      });
    }
  }
}
