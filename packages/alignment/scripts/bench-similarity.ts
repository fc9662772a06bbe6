/**
 * Scale check (not a test): builds the similarity index over N synthetic concerns and proposes every group.
 *   ../../node_modules/.bin/tsx scripts/bench-similarity.ts [N=20000]
 */
import { LEXICON } from '../src/lexicon.ts';
import { buildSimilarityIndex, proposeGroups } from '../src/similarity.ts';
import { createThemeTagger } from '../src/themes.ts';
import type { SimilarityDoc } from '../src/types.ts';

const n = Number(process.argv[2] ?? 20_000);
let seed = 42;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const fillerEn = [
  'on our street',
  'near the school',
  'every night',
  'for months',
  'please help',
  'in Walltown',
  'by the park',
];
const fillerEs = [
  'en nuestra calle',
  'cerca de la escuela',
  'cada noche',
  'desde hace meses',
  'por favor',
  'en el barrio',
];
const docs: SimilarityDoc[] = [];
for (let i = 0; i < n; i++) {
  const es = rand() < 0.3;
  const parts: string[] = [];
  for (let k = 0; k < 2 + Math.floor(rand() * 3); k++) parts.push(pick(pick(LEXICON)[es ? 'es' : 'en']));
  parts.push(pick(es ? fillerEs : fillerEn));
  docs.push({ id: `c${String(i).padStart(6, '0')}`, summary: parts.join(' '), language: es ? 'es' : 'en' });
}
const mem0 = process.memoryUsage().heapUsed;
let t = performance.now();
const tagger = createThemeTagger();
for (const d of docs) tagger.tag(d);
const tagMs = performance.now() - t;
t = performance.now();
const index = buildSimilarityIndex(docs);
const buildMs = performance.now() - t;
t = performance.now();
const groups = proposeGroups(index);
const groupMs = performance.now() - t;
t = performance.now();
for (let i = 0; i < 1000; i++) index.nearest(docs[i]?.id as string, 5);
const nearestMs = (performance.now() - t) / 1000;
console.log(
  `${n} concerns: tag ${tagMs.toFixed(0)} ms, index ${buildMs.toFixed(0)} ms, groups ${groupMs.toFixed(0)} ms (${groups.length} groups, largest ${groups[0]?.memberIds.length ?? 0}), nearest ${nearestMs.toFixed(2)} ms each, heap +${((process.memoryUsage().heapUsed - mem0) / 1e6).toFixed(0)} MB`,
);
