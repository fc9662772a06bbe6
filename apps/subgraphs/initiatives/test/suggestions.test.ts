import { startTestSubgraph, type TestSubgraph } from '@civic/test-stack/subgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InitiativesPrisma } from '../src/db.ts';
import { initiativesSubgraph } from '../src/subgraph.ts';
import { type Loose, ok } from './helpers.ts';

let subgraph: TestSubgraph<InitiativesPrisma>;
beforeAll(async () => {
  subgraph = await startTestSubgraph(initiativesSubgraph, { seed: true });
});
afterAll(async () => {
  await subgraph?.stop();
});

const SUGGEST = `query ($r: [_Any!]!, $first: Int, $language: String) { _entities(representations: $r) {
  ... on Concern { id suggestedInitiatives(first: $first, language: $language) { score reasons initiative { id code title } } } } }`;

function concern(id: string, fields: Record<string, unknown> = {}) {
  return {
    __typename: 'Concern',
    id,
    summary: 'Rents keep going up and families are being pushed out of their apartments',
    detail: 'We need more affordable rental housing and help for tenants.',
    language: 'en',
    themes: ['HOUSING'],
    englishText: null,
    excludedSuggestionIds: [],
    ...fields,
  };
}

async function suggest(reps: Record<string, unknown>[], first = 5, language?: string) {
  const data = ok<Loose>(await subgraph.execute(SUGGEST, { r: reps, first, language }));
  return (data._entities as { suggestedInitiatives: { score: number; reasons: string[]; initiative: Loose }[] }[]).map(
    (e) => e.suggestedInitiatives,
  );
}
const codes = (list: { initiative: { code: string } }[] | undefined) => (list ?? []).map((s) => s.initiative.code);

describe('Concern.suggestedInitiatives', () => {
  it('ranks the plan’s rental housing initiative first for a rent concern, in English and in Spanish', async () => {
    const [english, spanish] = await suggest([
      concern('c-rent'),
      concern('c-renta', {
        language: 'es',
        summary: 'La renta sube cada año y las familias tienen que irse de sus apartamentos',
        detail: 'Necesitamos más vivienda de alquiler asequible.',
      }),
    ]);
    expect(codes(english)[0]).toBe('3.22');
    expect(codes(spanish).slice(0, 3)).toContain('3.22');
    const scores = (english ?? []).map((s) => s.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('never suggests again an initiative staff aligned or dismissed, and says nothing when nothing fits', async () => {
    const [first] = await suggest([concern('c-rent-1')]);
    const top = first?.[0]?.initiative.id as string;
    const [again, nothing] = await suggest([
      concern('c-rent-2', { excludedSuggestionIds: [top] }),
      concern('c-zeppelin', { summary: 'zeppelin quux florp', detail: null, themes: [] }),
    ]);
    expect((again ?? []).map((s) => s.initiative.id)).not.toContain(top);
    expect(nothing).toEqual([]);
  });

  it('words the reasons in the caller’s language', async () => {
    const [english] = await suggest([concern('c-words')], 3, 'en');
    const [spanish] = await suggest([concern('c-words')], 3, 'es');
    const en = english?.[0];
    const es = spanish?.[0];
    expect(es?.initiative.code).toBe(en?.initiative.code);
    expect(en?.reasons.length).toBeGreaterThan(0);
    expect(es?.reasons).not.toEqual(en?.reasons);
  });

  it('rejects a first outside 0–20 and an unknown language with coded errors', async () => {
    const bad = await subgraph.execute(SUGGEST, { r: [concern('c-bad')], first: 21 });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const french = await subgraph.execute(SUGGEST, { r: [concern('c-bad')], first: 2, language: 'fr' });
    expect(french.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
