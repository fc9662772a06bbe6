import { departmentBySlug } from '@civic/reference-data/departments';
import type { Stack } from '@civic/test-stack/stack';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, createApiKey, gql, productionStack, staffToken } from './helpers.ts';

// Issue 21 through the real gateway and subgraphs: who am I, department-scoped staff writes, and
// initiative links confirmed with the initiatives subgraph through the gateway.
let stack: Stack;
let partnerOrg: string;
let partnerService: string;
let partnerKey: string;
const parks = departmentBySlug('parks-recreation').id;
const fire = departmentBySlug('fire').id;

const VIEWER = '{ viewer { role organizationId organization { id name } abilities } }';
const LINK = `mutation ($s: ID!, $i: ID!) { linkServiceToInitiative(serviceId: $s, initiativeId: $i) { initiative { id } } }`;
const code = (body: { errors?: { extensions?: Record<string, unknown> }[] }) => body.errors?.[0]?.extensions?.code;

beforeAll(async () => {
  stack = await productionStack({ seed: 'demo' });
  const orgs = await gql<{ organizations: { id: string; services: { id: string }[] }[] }>(
    stack.gatewayUrl,
    '{ organizations(internal: false) { id services { id } } }',
  );
  const withService = orgs.body.data?.organizations.find((o) => o.services.length > 0);
  partnerOrg = withService?.id as string;
  partnerService = withService?.services[0]?.id as string;
  partnerKey = (await createApiKey(stack, partnerOrg, 'issue 21')).key;
}, 400_000);
afterAll(async () => {
  await stack?.destroy();
});

describe('viewer', () => {
  test('answers PUBLIC, the partner key’s organization, and the staff member’s department', async () => {
    const anonymous = await gql<{ viewer: Record<string, unknown> }>(stack.gatewayUrl, VIEWER);
    expect(anonymous.body.data?.viewer).toEqual({
      role: 'PUBLIC',
      organizationId: null,
      organization: null,
      abilities: ['READ_PUBLISHED'],
    });
    const partner = await gql<{ viewer: { role: string; organizationId: string; abilities: string[] } }>(
      stack.gatewayUrl,
      VIEWER,
      {},
      { 'x-api-key': partnerKey },
    );
    expect(partner.body.data?.viewer).toMatchObject({ role: 'PARTNER', organizationId: partnerOrg });
    expect(partner.body.data?.viewer.abilities).toContain('MANAGE_OWN_SERVICES');
    const staff = await gql<{ viewer: Record<string, unknown> }>(
      stack.gatewayUrl,
      VIEWER,
      {},
      bearer(await staffToken(stack, { role: 'STAFF', department: parks })),
    );
    expect(staff.body.data?.viewer).toMatchObject({
      role: 'STAFF',
      organizationId: parks,
      organization: { id: parks, name: 'Parks and Recreation' },
    });
  });
});

describe('department-scoped staff writes', () => {
  test('STAFF of Parks and Recreation cannot rename the Fire Department or change its services', async () => {
    const parksStaff = bearer(await staffToken(stack, { role: 'STAFF', department: parks }));
    const before = await gql<{ organization: { name: string; services: { id: string; name: string }[] } }>(
      stack.gatewayUrl,
      `{ organization(id: "${fire}") { name services { id name } } }`,
    );
    const rename = await gql(
      stack.gatewayUrl,
      'mutation ($id: ID!) { updateOrganization(id: $id, input: { name: "Hijacked" }) { id } }',
      { id: fire },
      parksStaff,
    );
    expect(code(rename.body)).toBe('FORBIDDEN');
    const service = before.body.data?.organization.services[0];
    if (service) {
      const update = await gql(
        stack.gatewayUrl,
        'mutation ($id: ID!) { updateService(id: $id, input: { name: "Hijacked" }) { id } }',
        { id: service.id },
        parksStaff,
      );
      expect(code(update.body)).toBe('FORBIDDEN');
    }
    const after = await gql(stack.gatewayUrl, `{ organization(id: "${fire}") { name services { id name } } }`);
    expect(after.body.data).toEqual(before.body.data);
  });
});

describe('initiative links', () => {
  test('an unknown initiative id is BAD_USER_INPUT; a real one, confirmed through the gateway, is linked', async () => {
    const partner = { 'x-api-key': partnerKey };
    const unknown = await gql(stack.gatewayUrl, LINK, { s: partnerService, i: 'does-not-exist' }, partner);
    expect(code(unknown.body)).toBe('BAD_USER_INPUT');
    const plan = await gql<{ initiatives: { id: string }[] }>(stack.gatewayUrl, '{ initiatives { id } }');
    const initiativeId = plan.body.data?.initiatives[0]?.id as string;
    const real = await gql<{ linkServiceToInitiative: { initiative: { id: string } } }>(
      stack.gatewayUrl,
      LINK,
      { s: partnerService, i: initiativeId },
      partner,
    );
    expect(real.body.errors).toBeUndefined();
    expect(real.body.data?.linkServiceToInitiative.initiative.id).toBe(initiativeId);
    const links = await gql<{ service: { id: string } | null }>(
      stack.gatewayUrl,
      `{ initiative(id: "${initiativeId}") { resources { id } } }`,
    );
    expect(JSON.stringify(links.body.data)).toContain(partnerService);
  });
});
