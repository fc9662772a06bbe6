import { departmentBySlug } from '@civic/reference-data/departments';
import { loadStrategicPlan } from '@civic/reference-data/strategic-plan';
import type { Identity } from '@civic/server-kit/identity';
import { identities, startTestSubgraph, type TestSubgraph } from '@civic/test-stack/subgraph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourcesPrisma } from '../src/db.ts';
import { initiativeIdForCode } from '../src/seed/seed.ts';
import { createResourcesSubgraph } from '../src/subgraph.ts';
import { org, service } from './fixtures.ts';

let subgraph: TestSubgraph<ResourcesPrisma>;
// The initiatives the initiatives subgraph seeds (the published strategic plan); the stack test
// (apps/gateway/test/partner.test.ts) checks the same through the gateway and the real subgraph.
const planInitiatives = new Set(
  loadStrategicPlan().goals.flatMap((g) =>
    g.objectives.flatMap((o) => o.initiatives.map((i) => initiativeIdForCode(i.code))),
  ),
);
beforeAll(async () => {
  const directory = async (id: string) => planInitiatives.has(id);
  subgraph = await startTestSubgraph(createResourcesSubgraph({ initiatives: directory }), { seed: true });
});
afterAll(async () => {
  await subgraph?.stop();
});

const CREATE = `mutation ($input: CreateServiceInput!) { createService(input: $input) {
  id name status minimumAge maximumAge languages themes organization { id } serviceArea { citywide wards geoJson } } }`;
const UPDATE = `mutation ($id: ID!, $input: UpdateServiceInput!) { updateService(id: $id, input: $input) {
  id name description status minimumAge maximumAge } }`;
const CHANGES = `query ($id: ID!) { service(id: $id) { changes {
  resourceId resourceType lastActionType lastActionDate fieldName previousValue replacementValue updatedBy } } }`;

const habitatPartner = identities.partner(org.landTrust, 'habitat-key');
const cdStaff = identities.staff(org.communityDevelopment, 'staff-cd');
const nisStaff = identities.staff(departmentBySlug('neighborhood-improvement-services').id, 'staff-nis');

function codeOf(result: { errors?: { extensions?: Record<string, unknown> }[] }) {
  return result.errors?.[0]?.extensions?.code;
}

async function counts() {
  return {
    services: await subgraph.prisma.service.count(),
    changes: await subgraph.prisma.changeRecord.count(),
    links: await subgraph.prisma.serviceInitiativeLink.count(),
  };
}

async function update(id: string, input: Record<string, unknown>, identity: Identity) {
  return subgraph.execute<{ updateService: { name: string } }>(UPDATE, { id, input }, identity);
}

describe('write permissions', () => {
  it('refuses anonymous writes', async () => {
    const before = await counts();
    const result = await subgraph.execute(CREATE, { input: { organizationId: org.landTrust, name: 'X' } });
    expect(codeOf(result)).toBe('UNAUTHENTICATED');
    expect(codeOf(await update(service.landTrustRentals, { name: 'X' }, identities.public))).toBe('UNAUTHENTICATED');
    expect(await counts()).toEqual(before);
  });

  it("lets a partner change only its own organization's services", async () => {
    const own = await update(
      service.landTrustRentals,
      { description: 'Roof and ramp repairs for owners.' },
      habitatPartner,
    );
    expect(own.errors).toBeUndefined();
    const created = await subgraph.execute<{ createService: { organization: { id: string } } }>(
      CREATE,
      {
        input: {
          organizationId: org.landTrust,
          name: 'Aging in Place Repairs',
          themes: ['HOUSING'],
          servesCitywide: true,
        },
      },
      habitatPartner,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data?.createService.organization.id).toBe(org.landTrust);

    const before = await counts();
    expect(codeOf(await update(service.umdShelter, { name: 'Hijacked' }, habitatPartner))).toBe('FORBIDDEN');
    expect(codeOf(await update(service.urgentRepair, { name: 'Hijacked' }, habitatPartner))).toBe('FORBIDDEN');
    const elsewhere = await subgraph.execute(
      CREATE,
      { input: { organizationId: org.umd, name: 'Fake' } },
      habitatPartner,
    );
    expect(codeOf(elsewhere)).toBe('FORBIDDEN');
    const status = await subgraph.execute(
      'mutation ($id: ID!) { setServiceStatus(id: $id, status: DEFUNCT) { status } }',
      { id: service.umdShelter },
      habitatPartner,
    );
    expect(codeOf(status)).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
    const shelter = await subgraph.prisma.service.findUniqueOrThrow({ where: { id: service.umdShelter } });
    expect(shelter.status).toBe('ACTIVE');
  });

  it("lets staff manage their own department's services, not another department's or partners'", async () => {
    const internal = await update(service.urgentRepair, { maximumAge: 120 }, cdStaff);
    expect(internal.errors).toBeUndefined();
    const own = await subgraph.execute(
      CREATE,
      {
        input: {
          organizationId: org.communityDevelopment,
          name: 'Senior Home Safety Check',
          themes: ['HOUSING'],
          servesCitywide: true,
        },
      },
      cdStaff,
    );
    expect(own.errors).toBeUndefined();
    const before = await counts();
    expect(codeOf(await update(service.landTrustRentals, { name: 'Hijacked' }, cdStaff))).toBe('FORBIDDEN');
    expect(codeOf(await subgraph.execute(CREATE, { input: { organizationId: org.umd, name: 'X' } }, cdStaff))).toBe(
      'FORBIDDEN',
    );
    const otherDepartment = await subgraph.execute(
      CREATE,
      { input: { organizationId: org.parks, name: 'Senior Walking Club', themes: ['HEALTH'], servesCitywide: true } },
      cdStaff,
    );
    expect(codeOf(otherDepartment)).toBe('FORBIDDEN');
    const parksService = await subgraph.prisma.service.findFirstOrThrow({ where: { organizationId: org.parks } });
    expect(codeOf(await update(parksService.id, { name: 'Hijacked' }, cdStaff))).toBe('FORBIDDEN');
    const status = await subgraph.execute(
      'mutation ($id: ID!) { setServiceStatus(id: $id, status: DEFUNCT) { status } }',
      { id: parksService.id },
      cdStaff,
    );
    expect(codeOf(status)).toBe('FORBIDDEN');
    const link = await subgraph.execute(
      'mutation ($s: ID!, $i: ID!) { linkServiceToInitiative(serviceId: $s, initiativeId: $i) { id } }',
      { s: parksService.id, i: initiativeIdForCode('3.21') },
      cdStaff,
    );
    expect(codeOf(link)).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
    expect((await subgraph.prisma.service.findUniqueOrThrow({ where: { id: parksService.id } })).name).toBe(
      parksService.name,
    );
  });

  it("lets staff change only their own department's organization record", async () => {
    const rename = `mutation ($id: ID!, $input: OrganizationInput!) { updateOrganization(id: $id, input: $input) { id name } }`;
    const parks = await subgraph.prisma.organization.findUniqueOrThrow({ where: { id: org.parks } });
    const before = await counts();
    const other = await subgraph.execute(rename, { id: org.parks, input: { name: 'Hijacked' } }, cdStaff);
    expect(codeOf(other)).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
    expect((await subgraph.prisma.organization.findUniqueOrThrow({ where: { id: org.parks } })).name).toBe(parks.name);
    const parksStaff = identities.staff(org.parks, 'staff-parks');
    const own = await subgraph.execute(
      rename,
      { id: org.parks, input: { description: 'Parks, recreation centers and programs.' } },
      parksStaff,
    );
    expect(own.errors).toBeUndefined();
    const noDepartment = await subgraph.execute(
      rename,
      { id: org.parks, input: { name: 'Hijacked' } },
      { role: 'STAFF', subject: 'staff-none', department: null, organization: null },
    );
    expect(codeOf(noDepartment)).toBe('FORBIDDEN');
    const admin = await subgraph.execute(
      rename,
      { id: org.communityDevelopment, input: { description: 'Housing and neighborhoods.' } },
      identities.admin(),
    );
    expect(admin.errors).toBeUndefined();
  });

  it('lets an admin change any service', async () => {
    const result = await update(
      service.umdShelter,
      { description: 'Shelter beds and case management.' },
      identities.admin(),
    );
    expect(result.errors).toBeUndefined();
  });

  it('applies the same rules to initiative links', async () => {
    const link = `mutation ($s: ID!, $i: ID!, $note: String) { linkServiceToInitiative(serviceId: $s, initiativeId: $i, note: $note) {
      note service { id } initiative { id } } }`;
    const initiativeId = initiativeIdForCode('3.21');
    const ok = await subgraph.execute(
      link,
      { s: service.landTrustRentals, i: initiativeId, note: 'Repairs keep owners housed.' },
      habitatPartner,
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data).toEqual({
      linkServiceToInitiative: {
        note: 'Repairs keep owners housed.',
        service: { id: service.landTrustRentals },
        initiative: { id: initiativeId },
      },
    });
    const before = await counts();
    expect(codeOf(await subgraph.execute(link, { s: service.umdShelter, i: initiativeId }, habitatPartner))).toBe(
      'FORBIDDEN',
    );
    expect(await counts()).toEqual(before);
    const unlink = await subgraph.execute(
      'mutation ($s: ID!, $i: ID!) { unlinkServiceFromInitiative(serviceId: $s, initiativeId: $i) }',
      { s: service.landTrustRentals, i: initiativeId },
      habitatPartner,
    );
    expect(unlink.data).toEqual({ unlinkServiceFromInitiative: true });
    expect((await counts()).links).toBe(before.links - 1);
  });

  it('refuses a link to an initiative that does not exist, and stores nothing', async () => {
    const link = `mutation ($s: ID!, $i: ID!) { linkServiceToInitiative(serviceId: $s, initiativeId: $i, note: "x") { id } }`;
    const before = await counts();
    for (const caller of [habitatPartner, identities.admin()]) {
      const result = await subgraph.execute(link, { s: service.landTrustRentals, i: 'does-not-exist' }, caller);
      expect(codeOf(result)).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.extensions?.problems).toEqual([
        { field: 'initiativeId', message: 'No initiative does-not-exist' },
      ]);
    }
    expect(await counts()).toEqual(before);
    const real = await subgraph.execute(
      link,
      { s: service.landTrustRentals, i: initiativeIdForCode('1.11') },
      habitatPartner,
    );
    expect(real.errors).toBeUndefined();
  });
});

describe('change log (HSDS metadata)', () => {
  it('records field, previous value, new value, who and when for every change, in the same transaction', async () => {
    const started = Date.now();
    const result = await update(
      service.prip,
      { name: 'Proactive Rental Inspections', minimumAge: 0, languages: ['en', 'es', 'ar'] },
      nisStaff,
    );
    expect(result.errors).toBeUndefined();
    const log = await subgraph.execute<{ service: { changes: Record<string, string | null>[] } }>(
      CHANGES,
      { id: service.prip },
      nisStaff,
    );
    expect(log.errors).toBeUndefined();
    const changes = log.data?.service.changes ?? [];
    expect(changes).toHaveLength(3);
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          resourceId: service.prip,
          resourceType: 'service',
          lastActionType: 'update',
          fieldName: 'name',
          previousValue: 'Proactive Rental Inspection Program',
          replacementValue: 'Proactive Rental Inspections',
          updatedBy: 'staff:staff-nis',
        }),
        expect.objectContaining({ fieldName: 'minimumAge', previousValue: null, replacementValue: '0' }),
        expect.objectContaining({
          fieldName: 'languages',
          previousValue: '["en","es"]',
          replacementValue: '["en","es","ar"]',
        }),
      ]),
    );
    for (const c of changes) expect(Date.parse(c.lastActionDate as string)).toBeGreaterThanOrEqual(started - 1000);
  });

  it('records nothing when nothing changes', async () => {
    const before = await counts();
    const result = await update(service.prip, { name: 'Proactive Rental Inspections' }, nisStaff);
    expect(result.errors).toBeUndefined();
    expect(await counts()).toEqual(before);
  });

  it('records creation and status changes', async () => {
    const created = await subgraph.execute<{ createService: { id: string } }>(
      CREATE,
      { input: { organizationId: org.landTrust, name: 'Tool Library', status: 'TEMPORARILY_CLOSED' } },
      habitatPartner,
    );
    const id = created.data?.createService.id as string;
    await subgraph.execute(
      'mutation ($id: ID!) { setServiceStatus(id: $id, status: ACTIVE) { status } }',
      { id },
      habitatPartner,
    );
    const log = await subgraph.execute<{ service: { changes: Record<string, string>[] } }>(
      CHANGES,
      { id },
      habitatPartner,
    );
    const rows = log.data?.service.changes ?? [];
    expect(rows.filter((r) => r.lastActionType === 'create').map((r) => r.fieldName)).toEqual(
      expect.arrayContaining(['name', 'status']),
    );
    expect(rows.find((r) => r.lastActionType === 'update')).toMatchObject({
      fieldName: 'status',
      previousValue: 'TEMPORARILY_CLOSED',
      replacementValue: 'ACTIVE',
      updatedBy: 'partner:habitat-key',
    });
  });

  it('is shown to staff and the owning partner only', async () => {
    expect(codeOf(await subgraph.execute(CHANGES, { id: service.prip }, identities.public))).toBe('FORBIDDEN');
    expect(codeOf(await subgraph.execute(CHANGES, { id: service.prip }, habitatPartner))).toBe('FORBIDDEN');
    expect((await subgraph.execute(CHANGES, { id: service.landTrustRentals }, habitatPartner)).errors).toBeUndefined();
  });
});

describe('bad input: a coded error and nothing stored', () => {
  async function expectRejected(
    run: () => Promise<{ errors?: { extensions?: Record<string, unknown> }[] }>,
    field?: string,
  ) {
    const before = await counts();
    const snapshot = await subgraph.prisma.service.findMany({ orderBy: { id: 'asc' } });
    const result = await run();
    expect(codeOf(result)).toBe('BAD_USER_INPUT');
    if (field) {
      const problems = result.errors?.[0]?.extensions?.problems as { field: string }[];
      expect(problems.map((p) => p.field)).toContain(field);
    }
    expect(await counts()).toEqual(before);
    expect(await subgraph.prisma.service.findMany({ orderBy: { id: 'asc' } })).toEqual(snapshot);
  }

  it('rejects an invalid status', async () => {
    await expectRejected(() =>
      subgraph.execute(
        CREATE,
        { input: { organizationId: org.landTrust, name: 'X', status: 'CLOSED_FOREVER' } },
        habitatPartner,
      ),
    );
    await expectRejected(() => update(service.landTrustRentals, { status: 'active' }, habitatPartner));
  });

  it('rejects a malformed GeoJSON service area', async () => {
    const open = {
      type: 'Polygon',
      coordinates: [
        [
          [-78.9, 35.99],
          [-78.89, 35.99],
          [-78.89, 36.0],
        ],
      ],
    };
    await expectRejected(
      () =>
        subgraph.execute(
          CREATE,
          { input: { organizationId: org.landTrust, name: 'X', serviceAreaGeoJson: open } },
          habitatPartner,
        ),
      'serviceAreaGeoJson',
    );
    await expectRejected(
      () =>
        update(
          service.landTrustRentals,
          { serviceAreaGeoJson: { type: 'Point', coordinates: [-78.9, 35.99] } },
          habitatPartner,
        ),
      'serviceAreaGeoJson',
    );
    await expectRejected(
      () =>
        update(
          service.landTrustRentals,
          {
            serviceAreaGeoJson: {
              type: 'Polygon',
              coordinates: [
                [
                  [-278.9, 35.99],
                  [-78.89, 35.99],
                  [-78.89, 36.0],
                  [-278.9, 35.99],
                ],
              ],
            },
          },
          habitatPartner,
        ),
      'serviceAreaGeoJson',
    );
  });

  it('accepts a valid GeoJSON service area', async () => {
    const area = {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [-78.9, 35.99],
            [-78.89, 35.99],
            [-78.89, 36.0],
            [-78.9, 35.99],
          ],
        ],
      },
    };
    const result = await subgraph.execute<{ createService: { serviceArea: { geoJson: unknown } } }>(
      CREATE,
      { input: { organizationId: org.landTrust, name: 'Block Build', serviceAreaGeoJson: area } },
      habitatPartner,
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.createService.serviceArea.geoJson).toEqual(area);
  });

  it('rejects negative or inverted ages', async () => {
    await expectRejected(
      () =>
        subgraph.execute(
          CREATE,
          { input: { organizationId: org.landTrust, name: 'X', minimumAge: -1 } },
          habitatPartner,
        ),
      'minimumAge',
    );
    await expectRejected(() => update(service.landTrustRentals, { maximumAge: -5 }, habitatPartner), 'maximumAge');
    await expectRejected(
      () => update(service.landTrustRentals, { minimumAge: 30, maximumAge: 20 }, habitatPartner),
      'maximumAge',
    );
  });

  it('rejects an unknown organization', async () => {
    await expectRejected(
      () => subgraph.execute(CREATE, { input: { organizationId: 'no-such-org', name: 'X' } }, identities.admin()),
      'organizationId',
    );
  });

  it('rejects unknown wards, neighborhoods, language tags, and budgets on external services', async () => {
    await expectRejected(
      () => update(service.landTrustRentals, { serviceWards: [4] }, habitatPartner),
      'serviceWards[0]',
    );
    await expectRejected(
      () => update(service.landTrustRentals, { serviceNeighborhoodIds: ['atlantis'] }, habitatPartner),
      'serviceNeighborhoodIds[0]',
    );
    await expectRejected(
      () => update(service.landTrustRentals, { languages: ['Spanish!'] }, habitatPartner),
      'languages[0]',
    );
    await expectRejected(
      () => update(service.landTrustRentals, { annualBudget: 1000 }, habitatPartner),
      'annualBudget',
    );
    await expectRejected(() => update(service.urgentRepair, { annualBudget: -1 }, cdStaff), 'annualBudget');
    await expectRejected(() => update(service.urgentRepair, { name: '   ' }, cdStaff), 'name');
  });

  it('answers NOT_FOUND for an unknown service', async () => {
    const result = await update('no-such-service', { name: 'X' }, identities.admin());
    expect(codeOf(result)).toBe('NOT_FOUND');
  });
});

describe('organizations', () => {
  const UPDATE_ORG = `mutation ($id: ID!, $input: OrganizationInput!) { updateOrganization(id: $id, input: $input) { id phone kind } }`;
  const CREATE_ORG = `mutation ($input: OrganizationInput!) { createOrganization(input: $input) { id name kind internal } }`;

  it('lets a partner edit its own contact details but not its kind or anyone else', async () => {
    const own = await subgraph.execute(
      UPDATE_ORG,
      { id: org.landTrust, input: { phone: '919-555-0100' } },
      habitatPartner,
    );
    expect(own.errors).toBeUndefined();
    const record = await subgraph.prisma.changeRecord.findFirst({
      where: { resourceId: org.landTrust, fieldName: 'phone' },
    });
    expect(record).toMatchObject({
      resourceType: 'organization',
      previousValue: null,
      replacementValue: '919-555-0100',
    });
    const before = await counts();
    expect(codeOf(await subgraph.execute(UPDATE_ORG, { id: org.umd, input: { phone: '1' } }, habitatPartner))).toBe(
      'FORBIDDEN',
    );
    expect(
      codeOf(
        await subgraph.execute(UPDATE_ORG, { id: org.landTrust, input: { kind: 'CITY_DEPARTMENT' } }, habitatPartner),
      ),
    ).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
  });

  it('lets only an admin add organizations, and validates them', async () => {
    const input = { name: 'Durham Tool Bank', kind: 'NONPROFIT', website: 'https://example.org' };
    expect(codeOf(await subgraph.execute(CREATE_ORG, { input }, cdStaff))).toBe('FORBIDDEN');
    const bad = await subgraph.execute(CREATE_ORG, { input: { name: 'X', website: 'ftp://x' } }, identities.admin());
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    const created = await subgraph.execute(CREATE_ORG, { input }, identities.admin());
    expect(created.errors).toBeUndefined();
    expect(created.data).toMatchObject({
      createOrganization: { name: 'Durham Tool Bank', kind: 'NONPROFIT', internal: false },
    });
  });
});
