import { translatorAvailable } from '@civic/alignment/translate';
import { createLogger } from '@civic/server-kit/logger';
import { identities, startTestSubgraph, type TestSubgraph } from '@civic/test-stack/subgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InitiativesPrisma } from '../src/db.ts';
import { type ContentRuntime, localize, sourceHash, startContentWorker } from '../src/domain/content-translations.ts';
import { MEASURE_UNITS_ES } from '../src/seed/measure-units-es.ts';
import { initiativesSubgraph } from '../src/subgraph.ts';
import { COMMS, errorCode, type Loose, ok, POLICE } from './helpers.ts';

let sg: TestSubgraph<InitiativesPrisma>;
let worker: ContentRuntime | undefined;
const logger = createLogger('initiatives', 'error');

beforeAll(async () => {
  sg = await startTestSubgraph(initiativesSubgraph, { seed: true });
});
afterAll(async () => {
  await worker?.stop();
  await sg?.stop();
});

const commsStaff = identities.staff(COMMS, 'ana');
const policeStaff = identities.staff(POLICE, 'pat');

const INITIATIVE = `query ($code: String!, $language: String) {
  initiative(code: $code) {
    id title description whyItMatters
    es: title(language: $language)
    whyEs: whyItMatters(language: $language)
    content(language: "es") { field text language machineTranslated original originalLanguage outdated }
    goal { title es: title(language: "es") content(language: "es") { field machineTranslated } }
    measures { name es: name(language: "es") }
  }
}`;
const SET = `mutation ($input: SetPlanTranslationInput!) {
  setPlanTranslation(input: $input) { field text language machineTranslated original outdated }
}`;
const MEASURES = `{
  initiatives {
    measures {
      unit note
      unitEs: unit(language: "es") noteEs: note(language: "es")
      content(language: "es") { field text language machineTranslated original }
    }
  }
}`;
const UPDATE = `mutation ($input: UpdateInitiativeInput!) { updateInitiative(input: $input) { whyItMatters } }`;

async function caughtUp(): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if ((await worker?.queue.pending()) === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the translation queue did not drain');
}

const field = (content: Loose[], name: string) => content.find((c) => c.field === name);

describe('plan content in English and Spanish', () => {
  it('before any translation a Spanish request gets the original, saying it is in English (never an error)', async () => {
    const data = ok(await sg.execute<Loose>(INITIATIVE, { code: '3.13', language: 'es' }));
    expect(data.initiative.es).toBe(data.initiative.title);
    expect(field(data.initiative.content, 'title')).toMatchObject({
      text: data.initiative.title,
      language: 'en',
      machineTranslated: false,
      original: data.initiative.title,
      originalLanguage: 'en',
    });
  });

  it('the seed gives the plan measures’ units in Spanish, labelled as machine translations', async () => {
    const data = ok(await sg.execute<Loose>(MEASURES));
    const measures: Loose[] = data.initiatives.flatMap((i: Loose) => i.measures).filter((m: Loose) => m.unit);
    expect(measures.length).toBeGreaterThan(20);
    for (const m of measures) {
      expect(m.unitEs).toBe(MEASURE_UNITS_ES[m.unit]);
      expect(field(m.content, 'unit')).toEqual({
        field: 'unit',
        text: m.unitEs,
        language: 'es',
        machineTranslated: true,
        original: m.unit,
      });
    }
    expect(measures.find((m) => m.unit === 'rental units')?.unitEs).toBe('viviendas de alquiler');
    // The notes wait for the translator: until then, the original, in English.
    const noted = measures.find((m) => m.note) as Loose;
    expect(noted.noteEs).toBe(noted.note);
    expect(field(noted.content, 'note')).toMatchObject({ language: 'en', machineTranslated: false });
  });

  it('content(fields:) gives only the fields asked for; a field the kind does not translate is BAD_USER_INPUT', async () => {
    const query = `query ($fields: [String!]) {
      initiative(code: "3.13") { content(language: "es", fields: $fields) { field } measures { content(language: "es", fields: ["unit"]) { field } } }
    }`;
    const data = ok(await sg.execute<Loose>(query, { fields: ['title'] }));
    expect(data.initiative.content.map((c: Loose) => c.field)).toEqual(['title']);
    const units = data.initiative.measures.flatMap((m: Loose) => m.content.map((c: Loose) => c.field));
    expect(units.length).toBeGreaterThan(0);
    expect(new Set(units)).toEqual(new Set(['unit']));
    expect(errorCode(await sg.execute<Loose>(query, { fields: ['title', 'code'] }))).toBe('BAD_USER_INPUT');
  });

  it('an unknown language is a BAD_USER_INPUT error', async () => {
    expect(errorCode(await sg.execute<Loose>(INITIATIVE, { code: '3.13', language: 'fr' }))).toBe('BAD_USER_INPUT');
  });

  it('the background worker machine-translates the seeded plan; Spanish requests get it, labelled', async () => {
    expect(await translatorAvailable()).toBe(true);
    worker = await startContentWorker(sg.prisma, sg.db, logger, { pollingIntervalSeconds: 0.5 });
    await caughtUp();
    const data = ok(await sg.execute<Loose>(INITIATIVE, { code: '3.13', language: 'es' }));
    const i = data.initiative;
    // Without the argument: the text as entered.
    const row = await sg.prisma.initiative.findUniqueOrThrow({ where: { code: '3.13' } });
    expect(i.title).toBe(row.title);
    expect(i.es).not.toBe(i.title);
    expect(i.es.length).toBeGreaterThan(0);
    expect(field(i.content, 'title')).toMatchObject({
      text: i.es,
      language: 'es',
      machineTranslated: true,
      original: i.title,
      originalLanguage: 'en',
    });
    expect(i.goal.es).not.toBe(i.goal.title);
    expect(i.goal.content.every((c: Loose) => c.machineTranslated)).toBe(true);
    for (const m of i.measures.filter((m: Loose) => m.name)) expect(m.es).not.toBe(m.name);
    // The worker translates measure notes and keeps the seeded units (made from the same original).
    const measures: Loose[] = ok(await sg.execute<Loose>(MEASURES)).initiatives.flatMap((x: Loose) => x.measures);
    for (const m of measures.filter((m) => m.unit)) expect(m.unitEs).toBe(MEASURE_UNITS_ES[m.unit]);
    const noted = measures.filter((m) => m.note);
    expect(noted.length).toBeGreaterThan(10);
    for (const m of noted) {
      expect(m.noteEs).not.toBe(m.note);
      expect(field(m.content, 'note')).toMatchObject({ text: m.noteEs, language: 'es', machineTranslated: true });
    }
    // Spanish words, not the English title with marks.
    expect(i.es).toMatch(/[a-záéíóúñ]+ (de|la|el|los|las|y|para|del) /i);
    expect(i.es).not.toMatch(/[*#@]/);
    // The first sweep runs apertium once per kind of content (observations made it five); caughtUp waits 60 s.
  }, 90_000);

  it('a staff correction wins over the machine and survives re-translation', async () => {
    const { id } = await sg.prisma.initiative.findUniqueOrThrow({ where: { code: '3.13' } });
    const input = {
      entity: 'INITIATIVE',
      id,
      field: 'title',
      language: 'es',
      text: 'Título corregido por el personal',
    };
    expect(errorCode(await sg.execute<Loose>(SET, { input }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await sg.execute<Loose>(SET, { input }, policeStaff))).toBe('FORBIDDEN');
    expect(errorCode(await sg.execute<Loose>(SET, { input: { ...input, field: 'code' } }, commsStaff))).toBe(
      'BAD_USER_INPUT',
    );
    expect(errorCode(await sg.execute<Loose>(SET, { input: { ...input, language: 'en' } }, commsStaff))).toBe(
      'BAD_USER_INPUT',
    );
    const set = ok(await sg.execute<Loose>(SET, { input }, commsStaff));
    expect(set.setPlanTranslation).toMatchObject({ text: input.text, language: 'es', machineTranslated: false });
    const audited = await sg.prisma.auditEntry.findFirst({
      where: { initiativeId: id, action: 'content.translation' },
    });
    expect(audited?.actor).toBe('staff:ana');

    // The original title changes (as an import would) and the worker runs again: the staff version stays, marked outdated.
    await sg.prisma.initiative.update({
      where: { id },
      data: { title: `${set.setPlanTranslation.original} (revised)` },
    });
    await worker?.queue.send('translate-content', {});
    await caughtUp();
    const data = ok(await sg.execute<Loose>(INITIATIVE, { code: '3.13', language: 'es' }));
    expect(data.initiative.es).toBe(input.text);
    expect(field(data.initiative.content, 'title')).toMatchObject({ machineTranslated: false, outdated: true });

    // Removing the staff version hands the field back to the machine.
    const cleared = ok(await sg.execute<Loose>(SET, { input: { ...input, text: null } }, commsStaff));
    expect(cleared.setPlanTranslation).toMatchObject({ language: 'en', machineTranslated: false });
    await caughtUp();
    const after = ok(await sg.execute<Loose>(INITIATIVE, { code: '3.13', language: 'es' }));
    expect(field(after.initiative.content, 'title')).toMatchObject({ language: 'es', machineTranslated: true });
    expect(after.initiative.es).not.toBe(input.text);
  });

  it('a changed original is translated again', async () => {
    const before = ok(await sg.execute<Loose>(INITIATIVE, { code: '3.13', language: 'es' }));
    const text = 'The city will open three new libraries next year.';
    ok(await sg.execute<Loose>(UPDATE, { input: { code: '3.13', whyItMatters: text } }, commsStaff));
    await caughtUp();
    const after = ok(await sg.execute<Loose>(INITIATIVE, { code: '3.13', language: 'es' }));
    expect(after.initiative.whyItMatters).toBe(text);
    expect(after.initiative.whyEs).not.toBe(before.initiative.whyEs);
    expect(after.initiative.whyEs).toMatch(/ciudad/i);
    expect(after.initiative.whyEs).toMatch(/bibliotecas/i);
    const row = await sg.prisma.contentTranslation.findFirstOrThrow({
      where: { entity: 'INITIATIVE', entityId: after.initiative.id, field: 'whyItMatters', language: 'es' },
    });
    expect(row).toMatchObject({ machineTranslated: true, sourceHash: sourceHash(text) });
  });
});

describe('observation labels and notes in English and Spanish', () => {
  const OBS = `fragment O on Observation {
    id label note
    labelEs: label(language: "es") noteEs: note(language: "es")
    content(language: "es") { field text language machineTranslated original originalLanguage outdated }
  }`;
  const ADD = `mutation ($input: AddObservationInput!) { addObservation(input: $input) { ...O } } ${OBS}`;
  const READ = `query ($id: ID!) { measure(id: $id) { observations { ...O } } } ${OBS}`;

  it('staff write both versions with the observation; the field they leave is machine-translated, labelled', async () => {
    // The plan has been swept: seeded observations with a label have a Spanish version too.
    await caughtUp();
    const seeded = await sg.prisma.observation.findFirst({ where: { label: { not: null }, automatic: false } });
    if (seeded) {
      const read = ok(await sg.execute<Loose>(READ, { id: seeded.measureId }));
      const o = read.measure.observations.find((x: Loose) => x.id === seeded.id);
      expect(field(o.content, 'label')).toMatchObject({
        language: 'es',
        machineTranslated: true,
        original: seeded.label,
      });
    }
    const { id: initiativeId } = await sg.prisma.initiative.findUniqueOrThrow({ where: { code: '3.13' } });
    const measure = ok(
      await sg.execute<Loose>(
        'mutation ($input: CreateMeasureInput!) { createMeasure(input: $input) { id } }',
        { input: { initiativeId, name: 'Library visits', unit: 'visits' } },
        commsStaff,
      ),
    ).createMeasure;
    const input = {
      measureId: measure.id,
      period: '2026-05',
      value: 1200,
      label: 'Spring count',
      note: 'Counted at the three branch libraries.',
      spanishLabel: 'Recuento de primavera',
    };
    // A Spanish version needs the English text it translates; nothing is written.
    const bad = await sg.execute<Loose>(
      ADD,
      { input: { ...input, note: null, spanishNote: 'Sin original' } },
      commsStaff,
    );
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.extensions?.problems).toEqual([
      { field: 'spanishNote', message: 'Write the note in English too' },
    ]);
    expect(await sg.prisma.observation.count({ where: { measureId: measure.id } })).toBe(0);

    const added = ok(await sg.execute<Loose>(ADD, { input }, commsStaff)).addObservation;
    expect(added).toMatchObject({ label: input.label, note: input.note, labelEs: input.spanishLabel });
    expect(field(added.content, 'label')).toMatchObject({
      text: input.spanishLabel,
      language: 'es',
      machineTranslated: false,
      original: input.label,
      originalLanguage: 'en',
    });
    await caughtUp();
    const [o] = ok(await sg.execute<Loose>(READ, { id: measure.id })).measure.observations;
    expect(o.label).toBe(input.label);
    expect(o.labelEs).toBe(input.spanishLabel);
    expect(o.noteEs).not.toBe(input.note);
    expect(o.noteEs).toMatch(/bibliotecas/i);
    expect(field(o.content, 'note')).toMatchObject({ text: o.noteEs, language: 'es', machineTranslated: true });
    // English asks get the text as entered.
    const en = ok(
      await sg.execute<Loose>(
        `query ($id: ID!) { measure(id: $id) { observations { content(language: "en") { field text language machineTranslated } } } }`,
        { id: measure.id },
      ),
    ).measure.observations[0].content;
    expect(en).toEqual([
      { field: 'label', text: input.label, language: 'en', machineTranslated: false },
      { field: 'note', text: input.note, language: 'en', machineTranslated: false },
    ]);
  });

  it('staff correct the Spanish note with setPlanTranslation; only the lead department may; deleting drops both versions', async () => {
    const observation = await sg.prisma.observation.findFirstOrThrow({ where: { label: 'Spring count' } });
    const input = {
      entity: 'OBSERVATION',
      id: observation.id,
      field: 'note',
      language: 'es',
      text: 'Contado en las tres bibliotecas de barrio.',
    };
    expect(errorCode(await sg.execute<Loose>(SET, { input }, policeStaff))).toBe('FORBIDDEN');
    expect(errorCode(await sg.execute<Loose>(SET, { input: { ...input, field: 'value' } }, commsStaff))).toBe(
      'BAD_USER_INPUT',
    );
    const set = ok(await sg.execute<Loose>(SET, { input }, commsStaff)).setPlanTranslation;
    expect(set).toMatchObject({ text: input.text, language: 'es', machineTranslated: false });
    await worker?.queue.send('translate-content', {});
    await caughtUp();
    const [o] = ok(await sg.execute<Loose>(READ, { id: observation.measureId })).measure.observations;
    expect(o.noteEs).toBe(input.text);
    ok(
      await sg.execute<Loose>('mutation ($id: ID!) { deleteObservation(id: $id) }', { id: observation.id }, commsStaff),
    );
    expect(
      await sg.prisma.contentTranslation.count({ where: { entity: 'OBSERVATION', entityId: observation.id } }),
    ).toBe(0);
  });
});

describe('localize (the path without a translator)', () => {
  it('with no version in the asked language, the original in its own language, unlabelled as machine', () => {
    expect(localize([], 'title', 'Parks', 'es')).toEqual({
      field: 'title',
      text: 'Parks',
      language: 'en',
      machineTranslated: false,
      original: 'Parks',
      originalLanguage: 'en',
      outdated: false,
    });
    expect(localize([], 'title', null, 'es')).toBeNull();
  });
});
