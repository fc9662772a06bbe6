import { DEPARTMENTS } from '@civic/reference-data/departments';
import { signIdentity } from '@civic/server-kit/identity';
import type { Stack } from '@civic/test-stack/stack';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, createApiKey, gatewayBase, gql, productionStack, staffToken } from './helpers.ts';

const CONCERNS = '{ concerns(first: 50) { totalCount edges { node { id summary } } } }';
const department = DEPARTMENTS[0]?.id as string;
let HIDDEN_ID = '';

const CREATE_CONVERSATION = `mutation Record($input: CreateConversationInput!) {
  createConversation(input: $input) { id status concerns { id } }
}`;
const conversationInput = (title: string) => ({
  title,
  heldOn: '2026-11-20T18:00:00.000Z',
  format: 'IN_PERSON',
  concerns: [{ summary: `${title}: the bus stop has no shelter`, moderation: 'ACCEPTED', themes: ['TRANSPORTATION'] }],
});

let stack: Stack;
let staff: Record<string, string>;
let admin: Record<string, string>;
let partnerKey: { key: string; record: { id: string; prefix: string; organizationId: string } };
let partner = '';
let otherOrganization = '';

beforeAll(async () => {
  stack = await productionStack();
  staff = bearer(await staffToken(stack, { role: 'STAFF', department, name: 'Test Staff' }));
  admin = bearer(await staffToken(stack, { role: 'ADMIN' }));
  // A draft conversation's concern: staff see it, nobody else does until it is published.
  const draft = await gql<{ createConversation: { concerns: { id: string }[] } }>(
    stack.gatewayUrl,
    CREATE_CONVERSATION,
    { input: conversationInput('Draft meeting') },
    staff,
  );
  expect(draft.body.errors).toBeUndefined();
  HIDDEN_ID = draft.body.data?.createConversation.concerns[0]?.id as string;
  const orgs = await gql<{ organizations: { id: string; internal: boolean }[] }>(
    stack.gatewayUrl,
    '{ organizations { id internal } }',
  );
  const list = orgs.body.data?.organizations ?? [];
  partner = (list.find((o) => !o.internal) ?? list[0])?.id as string;
  otherOrganization =
    list.find((o) => o.id !== partner && !o.internal)?.id ?? (list.find((o) => o.id !== partner)?.id as string);
  partnerKey = await createApiKey(stack, partner, 'roles test');
});
afterAll(async () => stack?.destroy());

const ids = (body: { data?: unknown }) =>
  ((body.data as { concerns: { edges: { node: { id: string } }[] } }).concerns.edges ?? []).map((e) => e.node.id);

describe('what each role may read', () => {
  test('PUBLIC reads the plan and its cross-subgraph department, and only published concerns', async () => {
    const plan = await gql<{ initiatives: { code: string; leadDepartment: { name: string } | null }[] }>(
      stack.gatewayUrl,
      '{ goals { number initiatives { code } } initiatives { code leadDepartment { name } } neighborhoods { name } }',
    );
    expect(plan.status).toBe(200);
    expect(plan.body.errors).toBeUndefined();
    expect(plan.body.data?.initiatives.length).toBeGreaterThan(10);
    expect(plan.body.data?.initiatives.some((i) => i.leadDepartment?.name)).toBe(true);
    const concerns = await gql(stack.gatewayUrl, CONCERNS);
    expect(concerns.status).toBe(200);
    expect(ids(concerns.body).length).toBeGreaterThan(0);
    expect(ids(concerns.body)).not.toContain(HIDDEN_ID);
  });

  test('STAFF and ADMIN (JWT) also read unpublished concerns', async () => {
    for (const headers of [staff, admin]) {
      const response = await gql(stack.gatewayUrl, CONCERNS, {}, headers);
      expect(response.status).toBe(200);
      expect(ids(response.body)).toContain(HIDDEN_ID);
    }
  });

  test('PARTNER (API key, header or bearer) reads what the public reads', async () => {
    for (const headers of [{ 'x-api-key': partnerKey.key }, { authorization: `Bearer ${partnerKey.key}` }] as Record<
      string,
      string
    >[]) {
      const response = await gql(stack.gatewayUrl, CONCERNS, {}, headers);
      expect(response.status).toBe(200);
      expect(ids(response.body).length).toBeGreaterThan(0);
      expect(ids(response.body)).not.toContain(HIDDEN_ID);
    }
  });

  test('forged internal headers from a client are stripped, so a forged ADMIN identity reads as PUBLIC', async () => {
    const body = JSON.stringify({ query: CONCERNS, variables: {} });
    const forged = signIdentity(
      'not-the-gateway-secret-but-long-enough-000',
      { role: 'ADMIN', subject: 'x', department: null, organization: null },
      body,
    );
    const response = await gql(stack.gatewayUrl, CONCERNS, {}, forged);
    expect(response.status).toBe(200);
    expect(ids(response.body)).not.toContain(HIDDEN_ID);
    // Even the real secret is useless from outside: the gateway strips the headers before signing its own.
    const real = signIdentity(
      stack.secret,
      { role: 'ADMIN', subject: 'x', department: null, organization: null },
      body,
    );
    const again = await gql(stack.gatewayUrl, CONCERNS, {}, real);
    expect(ids(again.body)).not.toContain(HIDDEN_ID);
  });
});

describe('what each role may write (authorization lives in the subgraphs; the gateway passes who is calling)', () => {
  const refusedCodes = ['UNAUTHENTICATED', 'FORBIDDEN'];

  test('conversations: STAFF record them; PUBLIC and PARTNER are refused and nothing is stored', async () => {
    for (const headers of [{}, { 'x-api-key': partnerKey.key }] as Record<string, string>[]) {
      const response = await gql(
        stack.gatewayUrl,
        CREATE_CONVERSATION,
        { input: conversationInput('Refused') },
        headers,
      );
      expect(response.status).toBe(200);
      expect(refusedCodes).toContain(response.body.errors?.[0]?.extensions?.code);
      expect(response.body.data).toBeNull();
    }
    const seen = await gql(stack.gatewayUrl, '{ concerns(first: 100) { edges { node { summary } } } }', {}, staff);
    expect(JSON.stringify(seen.body.data)).not.toContain('Refused');
  });

  test('services: a PARTNER adds to its own organization only; STAFF to city departments; PUBLIC not at all', async () => {
    const CREATE = `mutation Add($input: CreateServiceInput!) { createService(input: $input) { id organization { id } } }`;
    const own = await gql<{ createService: { organization: { id: string } } }>(
      stack.gatewayUrl,
      CREATE,
      { input: { organizationId: partner, name: 'Partner pantry (test)' } },
      { 'x-api-key': partnerKey.key },
    );
    expect(own.body.errors).toBeUndefined();
    expect(own.body.data?.createService.organization.id).toBe(partner);
    const other = await gql(
      stack.gatewayUrl,
      CREATE,
      { input: { organizationId: otherOrganization, name: 'Not mine (test)' } },
      { 'x-api-key': partnerKey.key },
    );
    expect(other.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await gql(stack.gatewayUrl, CREATE, {
      input: { organizationId: partner, name: 'Anonymous (test)' },
    });
    expect(refusedCodes).toContain(anonymous.body.errors?.[0]?.extensions?.code);
    const staffOwn = await gql(
      stack.gatewayUrl,
      CREATE,
      { input: { organizationId: department, name: 'Dept service (test)' } },
      staff,
    );
    expect(staffOwn.body.errors).toBeUndefined();
  });

  test('initiative status: STAFF of the lead department and ADMIN may change it; other staff and PUBLIC may not', async () => {
    const list = await gql<{ initiatives: { code: string; status: string; leadDepartment: { id: string } | null }[] }>(
      stack.gatewayUrl,
      '{ initiatives { code status leadDepartment { id } } }',
    );
    const target = list.body.data?.initiatives.find((i) => i.leadDepartment) as {
      code: string;
      leadDepartment: { id: string };
    };
    const lead = target.leadDepartment.id;
    const outsider = DEPARTMENTS.find((d) => d.id !== lead)?.id as string;
    const UPDATE = `mutation Status($input: UpdateInitiativeStatusInput!) { updateInitiativeStatus(input: $input) { code status } }`;
    const input = (status: string) => ({ input: { code: target.code, status, note: 'Gateway role test' } });
    const asOutsider = await gql(
      stack.gatewayUrl,
      UPDATE,
      input('ON_HOLD'),
      bearer(await staffToken(stack, { role: 'STAFF', department: outsider })),
    );
    expect(asOutsider.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const asPublic = await gql(stack.gatewayUrl, UPDATE, input('ON_HOLD'));
    expect(refusedCodes).toContain(asPublic.body.errors?.[0]?.extensions?.code);
    const asLead = await gql<{ updateInitiativeStatus: { status: string } }>(
      stack.gatewayUrl,
      UPDATE,
      input('ON_HOLD'),
      bearer(await staffToken(stack, { role: 'STAFF', department: lead })),
    );
    expect(asLead.body.errors).toBeUndefined();
    expect(asLead.body.data?.updateInitiativeStatus.status).toBe('ON_HOLD');
    const asAdmin = await gql<{ updateInitiativeStatus: { status: string } }>(
      stack.gatewayUrl,
      UPDATE,
      input('IN_PROGRESS'),
      admin,
    );
    expect(asAdmin.body.data?.updateInitiativeStatus.status).toBe('IN_PROGRESS');
  });
});

describe('credentials that are present but wrong are refused with 401, never downgraded to PUBLIC', () => {
  const refused = async (headers: Record<string, string>) => {
    const response = await gql(stack.gatewayUrl, '{ goals { number } }', {}, headers);
    expect(response.status).toBe(401);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(response.body.data).toBeUndefined();
  };

  test('an expired token', async () => {
    await refused(bearer(await staffToken(stack, { role: 'STAFF', department }, '-1m')));
  });

  test('a token signed with another key, for another issuer or audience, or without a role', async () => {
    const sign = (secret: string, claims: Record<string, unknown>, iss = 'civic-graph-dev', aud = 'civic-graph') =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('u1')
        .setIssuer(iss)
        .setAudience(aud)
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(secret));
    await refused(bearer(await sign('x'.repeat(40), { role: 'ADMIN' })));
    await refused(bearer(await sign(stack.jwtSecret, { role: 'ADMIN' }, 'someone-else')));
    await refused(bearer(await sign(stack.jwtSecret, { role: 'ADMIN' }, 'civic-graph-dev', 'other-audience')));
    await refused(bearer(await sign(stack.jwtSecret, { role: 'PARTNER' })));
    await refused(bearer(await sign(stack.jwtSecret, { role: 'STAFF' })));
    await refused({ authorization: 'Bearer not.a.token' });
    await refused({ authorization: 'Basic dXNlcjpwYXNz' });
  });

  test('an unknown API key', async () => {
    await refused({ 'x-api-key': `cg_live_${'A'.repeat(43)}` });
    await refused({ 'x-api-key': 'something-else' });
  });

  test('a revoked API key stops working at once; last use is recorded', async () => {
    const key = await createApiKey(stack, partnerKey.record.organizationId, 'to revoke');
    expect((await gql(stack.gatewayUrl, '{ goals { number } }', {}, { 'x-api-key': key.key })).status).toBe(200);
    const list = await fetch(`${gatewayBase(stack)}/admin/api-keys`, { headers: admin });
    const listed = ((await list.json()) as { apiKeys: { id: string; lastUsedAt: string | null }[] }).apiKeys;
    expect(listed.find((k) => k.id === key.record.id)?.lastUsedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const revoke = await fetch(`${gatewayBase(stack)}/admin/api-keys/revoke`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json' },
      body: JSON.stringify({ key: key.record.prefix }),
    });
    expect(revoke.status).toBe(200);
    await refused({ 'x-api-key': key.key });
  });
});

describe('API-key administration', () => {
  const post = (headers: Record<string, string>, body: unknown) =>
    fetch(`${gatewayBase(stack)}/admin/api-keys`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  test('only ADMIN may create or list keys', async () => {
    expect((await post({}, { organizationId: partnerKey.record.organizationId, label: 'x' })).status).toBe(401);
    expect((await post(staff, { organizationId: partnerKey.record.organizationId, label: 'x' })).status).toBe(403);
    expect((await post({ 'x-api-key': partnerKey.key }, { organizationId: 'x', label: 'x' })).status).toBe(403);
    expect((await fetch(`${gatewayBase(stack)}/admin/api-keys`, { headers: staff })).status).toBe(403);
  });

  test('a key needs an existing organization and a label; nothing is stored otherwise', async () => {
    const before = (
      (await (await fetch(`${gatewayBase(stack)}/admin/api-keys`, { headers: admin })).json()) as {
        apiKeys: unknown[];
      }
    ).apiKeys.length;
    const unknown = await post(admin, { organizationId: 'no-such-organization', label: 'x' });
    expect(unknown.status).toBe(400);
    const body = (await unknown.json()) as {
      errors: { extensions: { code: string; problems: { field: string }[] } }[];
    };
    expect(body.errors[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect(body.errors[0]?.extensions.problems.map((p) => p.field)).toEqual(['organizationId']);
    expect((await post(admin, { organizationId: partnerKey.record.organizationId })).status).toBe(400);
    const after = (
      (await (await fetch(`${gatewayBase(stack)}/admin/api-keys`, { headers: admin })).json()) as {
        apiKeys: unknown[];
      }
    ).apiKeys.length;
    expect(after).toBe(before);
  });

  test('the list never contains a key or its hash', async () => {
    const text = await (await fetch(`${gatewayBase(stack)}/admin/api-keys`, { headers: admin })).text();
    expect(text).not.toContain(partnerKey.key);
    expect(text).not.toMatch(/"hash"/);
  });
});

describe('introspection', () => {
  const INTROSPECT = '{ __schema { queryType { name } } }';
  test('is refused to PUBLIC and PARTNER in production, with 400', async () => {
    for (const headers of [{}, { 'x-api-key': partnerKey.key }] as Record<string, string>[]) {
      const response = await gql(stack.gatewayUrl, INTROSPECT, {}, headers);
      expect(response.status).toBe(400);
      expect(response.body.errors?.[0]?.extensions?.code).toBe('INTROSPECTION_DISABLED');
    }
  });
  test('is allowed to STAFF', async () => {
    const response = await gql<{ __schema: { queryType: { name: string } } }>(stack.gatewayUrl, INTROSPECT, {}, staff);
    expect(response.status).toBe(200);
    expect(response.body.data?.__schema.queryType.name).toBe('Query');
  });
});

describe('subgraphs in production refuse anything without a valid gateway signature', () => {
  const direct = (url: string, query: string, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query }),
    });

  test.each([
    ['a query', '{ __typename }'],
    ['_service', '{ _service { sdl } }'],
    ['_entities', '{ _entities(representations: [{ __typename: "Organization", id: "x" }]) { __typename } }'],
  ])('%s, unsigned or badly signed', async (_label, query) => {
    for (const url of Object.values(stack.subgraphUrls)) {
      const unsigned = await direct(url, query);
      expect(unsigned.status).toBe(401);
      const body = JSON.stringify({ query });
      const forged = signIdentity(
        'x'.repeat(43),
        { role: 'ADMIN', subject: 'x', department: null, organization: null },
        body,
      );
      const bad = await direct(url, query, forged);
      expect(bad.status).toBe(401);
      expect(await bad.text()).not.toContain('sdl');
    }
  });

  test('a correctly signed request is served (the signature is what they check)', async () => {
    const query = '{ _service { sdl } }';
    const body = JSON.stringify({ query });
    const headers = signIdentity(
      stack.secret,
      { role: 'PUBLIC', subject: null, department: null, organization: null },
      body,
    );
    const response = await fetch(stack.subgraphUrls.initiatives, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Initiative');
  });
});
