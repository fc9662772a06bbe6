import { describe, expect, it } from 'vitest';
import { LEXICON } from './lexicon.ts';
import { buildSimilarityIndex, proposeGroups } from './similarity.ts';
import type { SimilarityDoc } from './types.ts';

const docs: SimilarityDoc[] = [
  { id: 'c01', summary: 'Streetlights out along our street, it is pitch dark at night', language: 'en' },
  { id: 'c02', summary: 'Las luces de la calle están apagadas y está muy oscuro en la noche', language: 'es' },
  { id: 'c03', summary: 'My landlord wants to evict my family', language: 'en' },
  { id: 'c04', summary: 'El dueño nos quiere desalojar de la casa', language: 'es' },
  { id: 'c05', summary: 'Huge potholes on Angier Avenue', language: 'en' },
  { id: 'c06', summary: 'Hay baches enormes en la avenida Angier', language: 'es' },
  { id: 'c07', summary: 'We need more youth sports leagues in the summer', language: 'en' },
  { id: 'c08', summary: 'The library should open on Sundays', language: 'en' },
];

describe('buildSimilarityIndex', () => {
  const index = buildSimilarityIndex(docs);

  it('finds a Spanish concern and its English paraphrase as nearest neighbours', () => {
    expect(index.nearest('c01', 1)[0]?.id).toBe('c02');
    expect(index.nearest('c02', 1)[0]?.id).toBe('c01');
    expect(index.nearest('c03', 1)[0]?.id).toBe('c04');
    expect(index.nearest('c04', 1)[0]?.id).toBe('c03');
    expect(index.nearest('c06', 1)[0]?.id).toBe('c05');
  });

  it('returns nothing rather than unrelated concerns', () => {
    expect(index.nearest('c08', 5)).toEqual([]);
    expect(index.nearestTo({ id: 'new', summary: 'Thank you for listening' }, 5)).toEqual([]);
  });

  it('scores are cosines in 0–1, best first, never the concern itself', () => {
    const m = index.nearest('c05', 5);
    expect(m.length).toBeGreaterThan(0);
    for (const x of m) {
      expect(x.id).not.toBe('c05');
      expect(x.score).toBeGreaterThan(0);
      expect(x.score).toBeLessThanOrEqual(1);
    }
    expect([...m].sort((a, b) => b.score - a.score)).toEqual(m);
  });

  it('finds neighbours of a concern not in the index', () => {
    const m = index.nearestTo({ id: 'x', summary: 'Me van a desalojar, el casero ya me dio aviso', language: 'es' }, 2);
    expect(m.map((x) => x.id)).toContain('c04');
  });
});

describe('nearest, which leaves postings unread when they cannot change the answer', () => {
  // Concerns of a few lexicon words, some very common (long postings, light weights), some rare.
  let seed = 7;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const common = ['street', 'neighbors', 'problem', 'please', 'concerned'];
  const many: SimilarityDoc[] = Array.from({ length: 600 }, (_, i) => {
    const entry = LEXICON[Math.floor(rand() * 24)] as (typeof LEXICON)[number];
    const words = [entry.en[Math.floor(rand() * entry.en.length)], common[i % common.length]];
    if (rand() < 0.5) words.push(common[(i + 2) % common.length] as string);
    if (rand() < 0.3) words.push(`name${Math.floor(rand() * 40)}`);
    return { id: `m${String(i).padStart(3, '0')}`, summary: words.join(' '), language: 'en' };
  });
  const index = buildSimilarityIndex(many);

  it('answers as a full read of every concern would', () => {
    for (const doc of many) {
      const full = many
        .filter((other) => other.id !== doc.id)
        .map((other) => ({ id: other.id, score: index.similarity(doc.id, other.id) }))
        .filter((m) => m.score >= index.options.minScore)
        .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
        .slice(0, 10)
        .map((m) => ({ id: m.id, score: Math.min(1, Math.round(m.score * 1000) / 1000) }));
      expect(index.nearest(doc.id, 10)).toEqual(full);
    }
  });
});

describe('proposeGroups', () => {
  it('groups the same issue across languages with a key from its smallest member', () => {
    const groups = proposeGroups(buildSimilarityIndex(docs));
    const eviction = groups.find((g) => g.memberIds.includes('c03'));
    expect(eviction?.memberIds).toEqual(['c03', 'c04']);
    expect(eviction?.key).toBe('group:c03');
    expect(eviction?.memberIds).toContain(eviction?.representativeId);
    expect(groups.some((g) => g.memberIds.includes('c08'))).toBe(false);
    for (const g of groups) expect(g.memberIds.length).toBeGreaterThanOrEqual(2);
  });

  it('keeps a group key when unrelated concerns are added', () => {
    const more = [...docs, { id: 'a00', summary: 'Bring back the farmers market downtown' }];
    const before = proposeGroups(buildSimilarityIndex(docs)).map((g) => g.key);
    const after = proposeGroups(buildSimilarityIndex(more)).map((g) => g.key);
    for (const key of before) expect(after).toContain(key);
  });
});
