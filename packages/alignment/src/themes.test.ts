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

  it('keeps equity beside a strong topical theme when the concern says who is left out', () => {
    const codes = (tagged: ReturnType<typeof createThemeTagger>, summary: string, language: 'en' | 'es' = 'en') =>
      tagged.tag({ summary, language }).map((t) => t.code);
    // Transit words make TRANSPORTATION far stronger; the wheelchair is what makes it an equity concern too.
    const ramp =
      'The bus stop on route 5 has no shelter, no bench and the sidewalk to it has no curb ramp for my wheelchair';
    expect(codes(tagger, ramp)).toEqual(['TRANSPORTATION', 'EQUITY']);
    expect(codes(createThemeTagger([], { lensMinScore: Number.POSITIVE_INFINITY }), ramp)).toEqual(['TRANSPORTATION']);
    const clinic = 'Los formularios de la clínica solo los explican en inglés, no hay intérprete';
    expect(codes(tagger, clinic, 'es')).toEqual(expect.arrayContaining(['HEALTH', 'EQUITY']));
    // Without such evidence, no equity theme.
    expect(codes(tagger, 'The bus at the stop on route 5 is always late and nobody fixed the bench')).not.toContain(
      'EQUITY',
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
