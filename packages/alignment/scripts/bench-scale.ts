/**
 * Scale check (not a test) at the N=1 sizes: the engine's pure functions on N synthetic concerns and S
 * synthetic services, timed as a full rebuild and as 1,000 newly imported concerns.
 *   ../../node_modules/.bin/tsx scripts/bench-scale.ts [N=20000] [S=5000]
 *
 * Concerns are random lexicon phrases (English and Spanish) with filler, as in bench-similarity.ts. Services are the
 * development directory's real services with their clauses recombined and a neighborhood coverage on a third of
 * them, so their vectors look like a directory's (not the development set's concerns or labels). The database,
 * federation and job queue around the engine are not in these figures.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LEXICON } from '../src/lexicon.ts';
import { createServiceMatcher } from '../src/match.ts';
import { buildSimilarityIndex, proposeGroups } from '../src/similarity.ts';
import { createThemeTagger } from '../src/themes.ts';
import type { ConcernForMatching, ServiceForMatching, SimilarityDoc } from '../src/types.ts';
import { parseCsv } from './csv.ts';

const n = Number(process.argv[2] ?? 20_000);
const s = Number(process.argv[3] ?? 5_000);
const here = new URL('.', import.meta.url).pathname;
const dataDir = resolve(join(here, '../../../../shared/data/alignment'));

let seed = 42;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
// Durham has about 130 published neighborhoods.
const neighborhoodIds = Array.from({ length: 130 }, (_, i) => `n${i}`);
const fillerEn = ['on our street', 'near the school', 'every night', 'for months', 'please help', 'by the park'];
const fillerEs = ['en nuestra calle', 'cerca de la escuela', 'cada noche', 'desde hace meses', 'por favor'];

function concern(i: number): SimilarityDoc & ConcernForMatching {
  const es = rand() < 0.3;
  const parts: string[] = [];
  for (let k = 0; k < 2 + Math.floor(rand() * 3); k++) parts.push(pick(pick(LEXICON)[es ? 'es' : 'en']));
  parts.push(pick(es ? fillerEs : fillerEn));
  return {
    id: `c${String(i).padStart(6, '0')}`,
    summary: parts.join(' '),
    language: es ? 'es' : 'en',
    themes: [],
    neighborhoodId: rand() < 0.8 ? pick(neighborhoodIds) : null,
  };
}

const real = parseCsv(readFileSync(join(dataDir, 'directory/services.csv'), 'utf8'));
const clauses = real.flatMap((r) => (r.description ?? '').split(/(?<=\.)\s+/).filter(Boolean));
const services: ServiceForMatching[] = [];
for (let i = 0; i < s; i++) {
  const base = pick(real);
  const limited = rand() < 0.33;
  services.push({
    id: `s${String(i).padStart(6, '0')}`,
    name: `${base.name} ${i}`,
    description: `${base.description} ${pick(clauses)} ${pick(clauses)}`,
    organizationName: null,
    status: rand() < 0.95 ? 'active' : 'inactive',
    themes: [],
    languages: rand() < 0.5 ? ['en', 'es'] : ['en'],
    eligibility: base.eligibility_description || null,
    minimumAge: null,
    maximumAge: null,
    fees: null,
    coverage: limited
      ? { citywide: false, neighborhoodIds: Array.from({ length: 3 }, () => pick(neighborhoodIds)) }
      : { citywide: true, neighborhoodIds: [] },
  });
}
const concerns = Array.from({ length: n }, (_, i) => concern(i));
const fresh = Array.from({ length: 1000 }, (_, i) => concern(n + i));

// Wall time, and this process's CPU time since the last call (on a shared machine the wall time includes waiting).
let cpu = process.cpuUsage();
const ms = (t: number) => {
  const used = process.cpuUsage(cpu);
  cpu = process.cpuUsage();
  return `${(performance.now() - t).toFixed(0)} ms (cpu ${((used.user + used.system) / 1000).toFixed(0)} ms)`;
};
const mem0 = process.memoryUsage().heapUsed;
console.log(`${n} concerns, ${s} services (${services.filter((x) => x.status === 'active').length} active)`);

// Full rebuild: tag every concern and service, index and group the concerns, rank services for every concern.
let t = performance.now();
const tagger = createThemeTagger();
for (const c of concerns) c.themes = tagger.tag(c).map((x) => x.code);
console.log(`tag ${n} concerns: ${ms(t)}`);
t = performance.now();
for (const x of services) x.themes = tagger.tag({ summary: `${x.name}. ${x.description}` }).map((y) => y.code);
console.log(`tag ${s} services: ${ms(t)}`);
t = performance.now();
const matcher = createServiceMatcher(services, { policyTexts: clauses.slice(0, 40) });
console.log(`service matcher (IDF, profiles, request-type model): ${ms(t)}`);
t = performance.now();
let index = buildSimilarityIndex(concerns);
console.log(`similarity index: ${ms(t)}`);
t = performance.now();
const groups = proposeGroups(index);
console.log(`proposed groups: ${ms(t)} (${groups.length} groups)`);
t = performance.now();
const latencies: number[] = [];
let answered = 0;
// RANK=<k> ranks only the first k concerns (the full rebuild's ranking time is then extrapolated).
const ranked = concerns.slice(0, Number(process.env.RANK ?? concerns.length));
for (const c of ranked) {
  const q = performance.now();
  if (matcher.rank(c, 5).length > 0) answered++;
  latencies.push(performance.now() - q);
}
latencies.sort((a, b) => a - b);
const k = ranked.length;
console.log(
  `rank services for ${k} concerns: ${ms(t)} (${answered} answered; per concern p50 ${latencies[Math.floor(k / 2)]?.toFixed(1)} ms, p95 ${latencies[Math.floor(k * 0.95)]?.toFixed(1)} ms)`,
);

// 1,000 newly imported concerns: tag them, rebuild the index with them, their neighbours, their services.
t = performance.now();
const t0 = t;
const cpu0 = process.cpuUsage();
for (const c of fresh) c.themes = tagger.tag(c).map((x) => x.code);
console.log(`new 1000: tag ${ms(t)}`);
t = performance.now();
index = buildSimilarityIndex([...concerns, ...fresh]);
console.log(`new 1000: rebuild index over ${n + 1000} ${ms(t)}`);
t = performance.now();
for (const c of fresh) index.nearest(c.id, 5);
console.log(`new 1000: nearest ${ms(t)}`);
t = performance.now();
proposeGroups(index);
console.log(`new 1000: regroup all ${ms(t)}`);
t = performance.now();
for (const c of fresh) matcher.rank(c, 5);
console.log(`new 1000: rank services ${ms(t)}`);
const total = process.cpuUsage(cpu0);
console.log(
  `new 1000 total: ${(performance.now() - t0).toFixed(0)} ms (cpu ${((total.user + total.system) / 1000).toFixed(0)} ms); heap +${((process.memoryUsage().heapUsed - mem0) / 1e6).toFixed(0)} MB`,
);
