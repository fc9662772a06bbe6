// node --expose-gc --import tsx src/live-sets.ts [concerns=20000]
// The engagement regroup's live set (alignment-worker.ts regroup(): every concern's text, the
// similarity index, 10 neighbours each, the proposed groups, one 5,000-row JSON chunk) on synthetic
// concerns shaped like the scale seed's (N=1: 20,000; N=10: 200,000). Prints the V8 heap used after a
// full collection with all of it alive, the figure a heap cap must stay above (bench/README.md "Memory").
import { buildSimilarityIndex, proposeGroups } from '../../packages/alignment/src/similarity.ts';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const liveMb = () => {
  gc();
  return Math.round(process.memoryUsage().heapUsed / 1048576);
};
const n = Number(process.argv[2] ?? 20_000);
let seed = 42;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const WORDS =
  'pothole sidewalk streetlight bus stop crosswalk speeding trash flooding park library rent eviction clinic food pantry childcare job training noise mold heat shelter bike lane tree canopy'.split(
    ' ',
  );
const PALABRAS =
  'bache acera farola parada autobús paso peatonal basura inundación parque biblioteca alquiler desalojo clínica comida guardería empleo ruido moho calor refugio árbol'.split(
    ' ',
  );
const before = liveMb();
const docs = Array.from({ length: n }, (_, i) => {
  const es = rand() < 0.3;
  const words = es ? PALABRAS : WORDS;
  const summary = `${es ? 'Preocupa' : 'Worried about'} ${pick(words)} and ${pick(words)} in Walltown ${i % 237}`;
  return {
    id: `concern-${String(i).padStart(7, '0')}`,
    summary,
    detail: Array.from({ length: 12 }, () => pick(words)).join(' '),
    language: es ? 'es' : 'en',
    englishText: es ? `Worried about ${pick(WORDS)} and ${pick(WORDS)}` : null,
  };
});
const afterDocs = liveMb();
const started = performance.now();
const index = buildSimilarityIndex(docs);
const afterIndex = liveMb();
const neighbors: { c: string; n: string; s: number }[] = [];
for (const d of docs) {
  for (const m of index.nearest(d.id, 10)) {
    if (m.id !== d.id) neighbors.push({ c: d.id, n: m.id, s: Math.round(m.score * 10_000) / 10_000 });
  }
}
const groups = proposeGroups(index);
const chunk = JSON.stringify(neighbors.slice(0, 5000));
const peak = liveMb();
console.log(
  JSON.stringify({
    concerns: n,
    liveMb: { empty: before, docs: afterDocs, index: afterIndex, peak },
    neighbors: neighbors.length,
    groups: groups.length,
    chunkKb: Math.round(chunk.length / 1024),
    seconds: Math.round((performance.now() - started) / 100) / 10,
  }),
);
