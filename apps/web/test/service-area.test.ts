import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nProvider } from '../src/i18n/I18n.tsx';
import { UnknownArea } from '../src/pages/ServiceCard.tsx';

// The directory card's area line (issue 16): an area given only in words naming no Durham ward or
// neighborhood is shown as given, marked "coverage unknown" in the reader's language.
const saved = new Map<string, string>();
Object.assign(globalThis, {
  localStorage: {
    getItem: (key: string) => saved.get(key) ?? null,
    setItem: (key: string, value: string) => saved.set(key, value),
  },
});
afterEach(() => saved.clear());

function render(locale: 'en' | 'es', area: { coverage: string; description: string | null }): string {
  saved.set('civic.locale', locale);
  return renderToStaticMarkup(createElement(I18nProvider, null, createElement(UnknownArea, { area })));
}

describe('a service area the directory could not place', () => {
  it('shows the words as given (in English) and that coverage is unknown, in English or Spanish', () => {
    const area = { coverage: 'UNKNOWN', description: 'Eastern Piedmont' };
    const en = render('en', area);
    expect(en).toContain('Where it is offered');
    expect(en).toContain('<span lang="en">Eastern Piedmont</span>');
    expect(en).toContain('Coverage unknown');
    const es = render('es', area);
    expect(es).toContain('Dónde se ofrece');
    expect(es).toContain('<span lang="en">Eastern Piedmont</span>');
    expect(es).toContain('Cobertura desconocida');
  });

  it('shows nothing for an area placed in the city', () => {
    for (const coverage of ['CITYWIDE', 'NEIGHBORHOODS', 'NONE']) {
      expect(render('en', { coverage, description: 'Durham County' })).toBe('');
    }
  });
});
