import { describe, expect, it } from 'vitest';
import { analyze, asksOthers, concepts, detectLanguage, normalizeLanguage, speaksForSelf } from './text.ts';

describe('detectLanguage', () => {
  it('tells Spanish from English', () => {
    expect(detectLanguage('Los baños del parque siempre están cerrados')).toBe('es');
    expect(detectLanguage('Se oyen balazos casi todas las noches')).toBe('es');
    expect(detectLanguage('The park bathrooms are always locked')).toBe('en');
    expect(detectLanguage('Potholes on Angier Avenue are getting worse')).toBe('en');
  });

  it('reads stated language values', () => {
    expect(normalizeLanguage('es-MX')).toBe('es');
    expect(normalizeLanguage('Spanish')).toBe('es');
    expect(normalizeLanguage('en')).toBe('en');
    expect(normalizeLanguage('fr')).toBeNull();
  });
});

describe('bilingual concepts', () => {
  it('maps Spanish and English words for the same thing to one concept', () => {
    expect(concepts('Me llegó una orden de desalojo', 'es')).toContain('evict');
    expect(concepts('I got an eviction notice', 'en')).toContain('evict');
    expect(concepts('Subió mucho el alquiler', 'es')).toContain('rent');
    expect(concepts('The rent went up again', 'en')).toContain('rent');
    expect(concepts('Hay un bache enorme en mi calle', 'es')).toContain('pothole');
    expect(concepts('Huge pothole on my street', 'en')).toContain('pothole');
    expect(concepts('La farola de la esquina no sirve', 'es')).toEqual(expect.arrayContaining(['light', 'broken']));
    expect(concepts('The streetlight on the corner is broken', 'en')).toEqual(
      expect.arrayContaining(['light', 'broken']),
    );
  });

  it('matches phrases with words between their parts', () => {
    expect(concepts('the lights on our block have been out for weeks', 'en')).toContain('broken');
  });

  it('does not invent concepts from unrelated text', () => {
    expect(concepts('Thank you for coming tonight', 'en')).toEqual([]);
  });

  it('adds the English translation to a Spanish text', () => {
    const a = analyze('Nos quieren sacar de la casa', 'es', 'They want to evict us from the house');
    expect(a.concepts).toContain('evict');
    expect(a.stems).toContain('evict');
  });
});

describe('speaksForSelf', () => {
  it('finds the first person singular in both languages, not the plural or the third person', () => {
    expect(speaksForSelf("I'm in a wheelchair and can't get out of the house")).toBe(true);
    expect(speaksForSelf('My heat has been out for a week')).toBe(true);
    expect(speaksForSelf('Necesito ayuda con la renta')).toBe(true);
    expect(speaksForSelf('La renta de mi casa subió')).toBe(true);
    expect(speaksForSelf('The city should fix our streets')).toBe(false);
    expect(speaksForSelf('Queremos más parques')).toBe(false);
    expect(speaksForSelf('Impeach the mayor')).toBe(false);
  });
});

describe('asksOthers', () => {
  it('finds should/must and deber in both languages, not a need or a plain statement', () => {
    expect(asksOthers('The city should fix our streets')).toBe(true);
    expect(asksOthers("Police shouldn't focus on public intoxication")).toBe(true);
    expect(asksOthers('Landlords must fix mold within a week')).toBe(true);
    expect(asksOthers('La ciudad debería poner más luces')).toBe(true);
    expect(asksOthers('Deben arreglar los baches')).toBe(true);
    expect(asksOthers('I need help with my rent')).toBe(false);
    expect(asksOthers('Necesito ayuda con la renta')).toBe(false);
    expect(asksOthers('The streetlights on our block are out')).toBe(false);
  });
});
