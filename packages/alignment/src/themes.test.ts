import { describe, expect, it } from 'vitest';
import { createThemeTagger } from './themes.ts';

describe('createThemeTagger', () => {
  const tagger = createThemeTagger();

  it('tags English concerns, primary theme first', () => {
    const tags = tagger.tag({ summary: 'My landlord is trying to evict us and the rent doubled' });
    expect(tags[0]?.code).toBe('HOUSING');
    expect(tags.length).toBeLessThanOrEqual(3);
    for (const t of tags) expect(t.confidence).toBeGreaterThan(0);
  });

  it('tags Spanish concerns the same way as their English paraphrase', () => {
    const es = tagger.tag({ summary: 'El dueño nos quiere desalojar y el alquiler subió al doble', language: 'es' });
    expect(es[0]?.code).toBe('HOUSING');
    const bus = tagger.tag({ summary: 'La parada del autobús no tiene techo ni banca', language: 'es' });
    expect(bus[0]?.code).toBe('TRANSPORTATION');
    const shots = tagger.tag({ summary: 'Se oyen balazos casi todas las noches', language: 'es' });
    expect(shots[0]?.code).toBe('PUBLIC_SAFETY');
  });

  it('reads everyday words for the directory’s topics in both languages', () => {
    const primary = (summary: string, language: 'en' | 'es' = 'en') => tagger.tag({ summary, language })[0]?.code;
    expect(primary('Year round indoor swimming facility is needed')).toBe('PARKS_RECREATION');
    expect(primary('Los adultos no tenemos dónde practicar natación en invierno', 'es')).toBe('PARKS_RECREATION');
    expect(primary('Enforce the leash law, people walk pit bulls loose')).toBe('PUBLIC_SAFETY');
    expect(primary('Los perros ladran toda la noche y andan sin correa', 'es')).toBe('PUBLIC_SAFETY');
    expect(primary('Bowling Green should welcome refugees')).toBe('EQUITY');
    expect(primary('A sinkhole opened on our street after the rain')).toBe('INFRASTRUCTURE');
    // A word that only looks like a topic word is not one.
    expect(tagger.tag({ summary: 'Costs too much now for the tent and permits' }).map((t) => t.code)).not.toContain(
      'HOUSING',
    );
  });

  it('gives no theme to text about nothing civic', () => {
    expect(tagger.tag({ summary: 'Thank you all for coming tonight' })).toEqual([]);
  });

  it('learns from examples a person tagged', () => {
    const plain = createThemeTagger();
    const taught = createThemeTagger([
      { text: 'Zoning variance hearing for the corner parcel', themes: ['CIVIC_ENGAGEMENT'] },
      { text: 'Rezoning request at the planning commission', themes: ['CIVIC_ENGAGEMENT'] },
    ]);
    const concern = { summary: 'Nobody understood the zoning variance for the parcel' };
    expect(plain.tag(concern).map((t) => t.code)).not.toContain('CIVIC_ENGAGEMENT');
    expect(taught.tag(concern)[0]?.code).toBe('CIVIC_ENGAGEMENT');
  });
});
