import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { translate, translatorAvailable } from './translate.ts';

const hasApertium = existsSync('/usr/bin/apertium') && existsSync('/usr/share/apertium/modes/spa-eng.mode');

describe('translate', () => {
  it('reports whether apertium is installed', async () => {
    expect(await translatorAvailable()).toBe(hasApertium);
  });

  it.skipIf(!hasApertium)('translates a batch line by line, without unknown-word marks', async () => {
    const out = await translate(
      ['Me llegó una orden de desalojo', '', 'Los baños del parque están cerrados'],
      'es',
      'en',
    );
    expect(out).toHaveLength(3);
    expect(out[0]?.toLowerCase()).toContain('eviction');
    expect(out[1]).toBe('');
    expect(out[2]?.toLowerCase()).toContain('park');
    for (const line of out) expect(line).not.toMatch(/(^|\s)[*@#]/);
    const back = await translate(['The park bathrooms are closed'], 'en', 'es');
    expect(back[0]?.toLowerCase()).toContain('parque');
  });

  it('returns the texts unchanged between the same language', async () => {
    expect(await translate(['hello'], 'en', 'en')).toEqual(['hello']);
  });
});
