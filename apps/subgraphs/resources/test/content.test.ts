import { translatorAvailable } from '@civic/alignment/translate';
import { createLogger } from '@civic/server-kit/logger';
import { identities, startTestSubgraph, type TestSubgraph } from '@civic/test-stack/subgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourcesPrisma } from '../src/db.ts';
import { type ContentRuntime, sourceHash, startContentWorker } from '../src/domain/content-translations.ts';
import { createResourcesSubgraph } from '../src/subgraph.ts';
import { org, service } from './fixtures.ts';

// biome-ignore lint/suspicious/noExplicitAny: the assertions are the type check
type Loose = any;

let sg: TestSubgraph<ResourcesPrisma>;
let worker: ContentRuntime | undefined;
const logger = createLogger('resources', 'error');

beforeAll(async () => {
  sg = await startTestSubgraph(createResourcesSubgraph({ initiatives: async () => true }), { seed: true });
}, 240_000); // migrating and seeding the demo directory took over 60 s at load 35 on 2 cores
afterAll(async () => {
  await worker?.stop();
  await sg?.stop();
});

const habitatPartner = identities.partner(org.landTrust, 'habitat-key');
const cdStaff = identities.staff(org.communityDevelopment, 'staff-cd');

const SERVICE = `query ($id: ID!, $language: String) {
  service(id: $id) {
    id name description eligibility fees applicationProcess
    es: description(language: $language)
    eligibilityEs: eligibility(language: $language)
    nameEs: name(language: $language)
    content(language: "es") { field text language machineTranslated original originalLanguage outdated }
    organization { name es: name(language: "es") content(language: "es") { field machineTranslated } }
  }
}`;
const SET = `mutation ($input: SetDirectoryTranslationInput!) {
  setDirectoryTranslation(input: $input) { field text language machineTranslated original outdated }
}`;
const UPDATE = `mutation ($id: ID!, $input: UpdateServiceInput!) { updateService(id: $id, input: $input) { id } }`;

const code = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;
function ok(r: { data?: Loose; errors?: unknown }): Loose {
  expect(r.errors).toBeUndefined();
  return r.data;
}
const field = (content: Loose[], name: string) => content.find((c) => c.field === name);

async function caughtUp(): Promise<void> {
  // The demo directory (50 services, 26 organizations) takes apertium minutes on a loaded 2-core machine.
  for (let i = 0; i < 2400; i++) {
    if ((await worker?.queue.pending()) === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the translation queue did not drain');
}

describe('directory content in English and Spanish', () => {
  it('before any translation a Spanish request gets the original, saying it is in English (never an error)', async () => {
    const { service: s } = ok(await sg.execute<Loose>(SERVICE, { id: service.landTrustRentals, language: 'es' }));
    expect(s.es).toBe(s.description);
    expect(field(s.content, 'description')).toMatchObject({
      language: 'en',
      machineTranslated: false,
      text: s.description,
    });
    expect(code(await sg.execute<Loose>(SERVICE, { id: service.landTrustRentals, language: 'de' }))).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('content(fields:) gives only the fields asked for; a field a service does not translate is BAD_USER_INPUT', async () => {
    const query = `query ($id: ID!, $fields: [String!]) { service(id: $id) { content(language: "es", fields: $fields) { field } } }`;
    const named = ok(await sg.execute<Loose>(query, { id: service.landTrustRentals, fields: ['name'] }));
    expect(named.service.content).toEqual([{ field: 'name' }]);
    const all = ok(await sg.execute<Loose>(query, { id: service.landTrustRentals, fields: null }));
    expect(all.service.content.length).toBeGreaterThan(1);
    expect(code(await sg.execute<Loose>(query, { id: service.landTrustRentals, fields: ['name', 'url'] }))).toBe(
      'BAD_USER_INPUT',
    );
  });

  it('the background worker machine-translates the directory; Spanish requests get it, labelled', async () => {
    expect(await translatorAvailable()).toBe(true);
    worker = await startContentWorker(sg.prisma, sg.db, logger, { pollingIntervalSeconds: 0.5 });
    await caughtUp();
    const { service: s } = ok(await sg.execute<Loose>(SERVICE, { id: service.landTrustRentals, language: 'es' }));
    const row = await sg.prisma.service.findUniqueOrThrow({ where: { id: service.landTrustRentals } });
    expect(s.description).toBe(row.description);
    expect(s.eligibility).toBe(row.eligibilityDescription);
    expect(s.es).not.toBe(s.description);
    expect(s.es).toMatch(/ (de|la|el|los|las|y|para|del) /i);
    expect(field(s.content, 'description')).toMatchObject({
      text: s.es,
      language: 'es',
      machineTranslated: true,
      original: s.description,
      originalLanguage: 'en',
    });
    if (s.eligibility)
      expect(field(s.content, 'eligibility')).toMatchObject({ text: s.eligibilityEs, machineTranslated: true });
    expect(s.organization.content.every((c: Loose) => c.machineTranslated)).toBe(true);
  }, 300_000);

  it('a staff correction wins over the machine, is recorded, and survives re-translation', async () => {
    const input = {
      entity: 'SERVICE',
      id: service.landTrustRentals,
      field: 'description',
      language: 'es',
      text: 'Reparaciones críticas del hogar para propietarios.',
    };
    expect(code(await sg.execute<Loose>(SET, { input }))).toBe('UNAUTHENTICATED');
    expect(code(await sg.execute<Loose>(SET, { input }, cdStaff))).toBe('FORBIDDEN');
    expect(code(await sg.execute<Loose>(SET, { input: { ...input, field: 'url' } }, habitatPartner))).toBe(
      'BAD_USER_INPUT',
    );
    const set = ok(await sg.execute<Loose>(SET, { input }, habitatPartner));
    expect(set.setDirectoryTranslation).toMatchObject({ text: input.text, language: 'es', machineTranslated: false });
    const change = await sg.prisma.changeRecord.findFirst({
      where: { resourceId: service.landTrustRentals, fieldName: 'description@es' },
    });
    expect(change).toMatchObject({ replacementValue: input.text, updatedBy: 'partner:habitat-key' });

    // The original changes: the staff version stays (marked outdated), other fields are redone.
    const changed = 'Free critical repairs for homeowners with low incomes.';
    ok(
      await sg.execute<Loose>(
        UPDATE,
        { id: service.landTrustRentals, input: { description: changed } },
        habitatPartner,
      ),
    );
    await caughtUp();
    const { service: s } = ok(await sg.execute<Loose>(SERVICE, { id: service.landTrustRentals, language: 'es' }));
    expect(s.description).toBe(changed);
    expect(s.es).toBe(input.text);
    expect(field(s.content, 'description')).toMatchObject({ machineTranslated: false, outdated: true });
  });

  it('a changed original is translated again', async () => {
    const before = ok(await sg.execute<Loose>(SERVICE, { id: service.umdShelter, language: 'es' })).service;
    const text = 'Anyone who needs a bed tonight may apply at the front desk.';
    ok(await sg.execute<Loose>(UPDATE, { id: service.umdShelter, input: { eligibility: text } }, identities.admin()));
    await caughtUp();
    const after = ok(await sg.execute<Loose>(SERVICE, { id: service.umdShelter, language: 'es' })).service;
    expect(after.eligibility).toBe(text);
    expect(after.eligibilityEs).not.toBe(before.eligibilityEs);
    expect(after.eligibilityEs).toMatch(/cama/i);
    const row = await sg.prisma.contentTranslation.findFirstOrThrow({
      where: { entity: 'SERVICE', entityId: service.umdShelter, field: 'eligibility', language: 'es' },
    });
    expect(row).toMatchObject({ machineTranslated: true, sourceHash: sourceHash(text) });
  });
});
