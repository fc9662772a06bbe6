import { describe, expect, it } from 'vitest';
import { isThemeCode, suggestThemes, THEME_CODES, THEMES } from '../src/themes.ts';

describe('themes', () => {
  it('has unique codes with English and Spanish labels', () => {
    expect(new Set(THEME_CODES).size).toBe(THEMES.length);
    for (const theme of THEMES) {
      expect(theme.label.en.length).toBeGreaterThan(0);
      expect(theme.label.es.length).toBeGreaterThan(0);
    }
  });

  it('recognises codes', () => {
    expect(isThemeCode('HOUSING')).toBe(true);
    expect(isThemeCode('housing')).toBe(false);
  });

  it('suggests themes from text', () => {
    expect(suggestThemes('Rent is too high and there is no affordable housing')[0]).toBe('HOUSING');
    expect(suggestThemes('More buses and safer sidewalks')).toContain('TRANSPORTATION');
    expect(suggestThemes('nothing relevant here')).toEqual([]);
  });
});
