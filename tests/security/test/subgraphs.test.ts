import { type Identity, signIdentity } from '@civic/server-kit/identity';
import type { Stack } from '@civic/test-stack/stack';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type Answer,
  CONTACT_MARKERS,
  codeOf,
  direct,
  expectNoSecrets,
  gql,
  HIDDEN_MARKER,
  type Planted,
  PUBLIC,
  plant,
  productionStack,
  raw,
  rssMb,
} from './helpers.ts';

let stack: Stack;
let p: Planted;
beforeAll(async () => {
  // Subgraphs of its own: it measures their processes' memory under its floods.
  stack = await productionStack();
  p = await plant(stack);
}, 420_000);
afterAll(async () => stack?.destroy());

const CONCERN_FIELDS = '... on Concern { id summary published contact { name email phone } }';
const entities = (reps: unknown[]) =>
  JSON.stringify({
    query: `query E($r: [_Any!]!) { _entities(representations: $r) { __typename ${CONCERN_FIELDS} } }`,
    variables: { r: reps },
  });
const STAFF_IDENTITY = (department: string): Identity => ({
  role: 'STAFF',
  subject: 'sec-staff',
  department,
  organization: null,
});

describe('subgraphs answer only requests the gateway signed', () => {
  const bodies = () => ({
    sdl: JSON.stringify({ query: '{ _service { sdl } }' }),
    introspection: JSON.stringify({ query: '{ __schema { types { name } } }' }),
    entities: entities([
      { __typename: 'Concern', id: p.draftConcernId },
      { __typename: 'Concern', id: p.publicConcernId },
    ]),
  });

  test('unsigned, forged, expired, future-dated, incomplete or for another body: 401 UNAUTHENTICATED, nothing inside', async () => {
    const forgedAdmin: Identity = { role: 'ADMIN', subject: 'x', department: null, organization: null };
    for (const url of Object.values(stack.subgraphUrls)) {
      for (const [name, body] of Object.entries(bodies())) {
        const attempts: [string, Promise<Answer>][] = [
          ['unsigned', direct(stack, url, body)],
          ['forged', direct(stack, url, body, { secret: 'f'.repeat(43), identity: forgedAdmin })],
          [
            'expired',
            direct(stack, url, body, { secret: stack.secret, identity: forgedAdmin, now: Date.now() - 5 * 60_000 }),
          ],
          [
            'future',
            direct(stack, url, body, { secret: stack.secret, identity: forgedAdmin, now: Date.now() + 5 * 60_000 }),
          ],
        ];
        const signedOther = signIdentity(stack.secret, forgedAdmin, '{"query":"{ __typename }"}');
        attempts.push([
          'signature of another body',
          raw(stack, url, { method: 'POST', headers: { 'content-type': 'application/json', ...signedOther }, body }),
        ]);
        const { 'x-civic-signature': _s, ...incomplete } = signedOther;
        attempts.push([
          'incomplete headers',
          raw(stack, url, { method: 'POST', headers: { 'content-type': 'application/json', ...incomplete }, body }),
        ]);
        for (const [label, attempt] of attempts) {
          const answer = await attempt;
          expect(answer.status, `${label} ${name} ${url}`).toBe(401);
          expect(codeOf(answer)).toBe('UNAUTHENTICATED');
          expect(answer.text).not.toMatch(/sdl|__schema|"types"|"_entities"/);
          expectNoSecrets(answer.text, `${label} ${name}`);
        }
      }
      // A GET (no body) is refused the same way.
      const get = await raw(stack, `${url}?query=${encodeURIComponent('{ _service { sdl } }')}`, {
        headers: { 'apollo-require-preflight': 'true' },
      });
      expect(get.status).toBe(401);
    }
  });

  test('signed as PUBLIC, _entities returns no hidden concern and no contact; signed as STAFF it does (control)', async () => {
    const body = bodies().entities;
    const asPublic = await direct(stack, stack.subgraphUrls.engagement, body, {
      secret: stack.secret,
      identity: PUBLIC,
    });
    expect(asPublic.status).toBe(200);
    const list = (asPublic.json.data?._entities ?? []) as ({ id: string; contact: unknown } | null)[];
    expect(list[0]).toBeNull();
    expect(list[1]?.id).toBe(p.publicConcernId);
    expect(list[1]?.contact).toBeNull();
    expectNoSecrets(asPublic.text, '_entities as PUBLIC');
    const partner: Identity = { role: 'PARTNER', subject: 'k', department: null, organization: p.partnerOrganization };
    const asPartner = await direct(stack, stack.subgraphUrls.engagement, body, {
      secret: stack.secret,
      identity: partner,
    });
    expectNoSecrets(asPartner.text, '_entities as PARTNER');
    const asStaff = await direct(stack, stack.subgraphUrls.engagement, body, {
      secret: stack.secret,
      identity: STAFF_IDENTITY(p.department),
    });
    expect(asStaff.text).toContain(CONTACT_MARKERS[0]);
    expect(asStaff.text).toContain(HIDDEN_MARKER);
  });

  test('signed as PUBLIC, other entity paths (resources and initiatives extending Concern) expose no hidden concern', async () => {
    for (const [name, url] of Object.entries(stack.subgraphUrls)) {
      const body = JSON.stringify({
        query: `query E($r: [_Any!]!) { _entities(representations: $r) { __typename } }`,
        variables: { r: [{ __typename: 'Concern', id: p.draftConcernId }] },
      });
      const answer = await direct(stack, url, body, { secret: stack.secret, identity: PUBLIC });
      expectNoSecrets(answer.text, `${name} _entities`);
    }
    // The initiative's aligned concerns, resolved by engagement for an Initiative reference.
    const body = JSON.stringify({
      query: `query E($r: [_Any!]!) { _entities(representations: $r) { ... on Initiative { concerns { id summary contact { name } } } ... on Service { concerns { id summary contact { name } } } } }`,
      variables: {
        r: [
          { __typename: 'Initiative', id: p.initiativeId },
          { __typename: 'Service', id: p.serviceId },
        ],
      },
    });
    const answer = await direct(stack, stack.subgraphUrls.engagement, body, { secret: stack.secret, identity: PUBLIC });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain(p.publicConcernId);
    expectNoSecrets(answer.text, 'Initiative/Service concerns via _entities');
  });
});

describe('representation injection into _entities (signed as PUBLIC, straight to engagement)', () => {
  const INJECTIONS: [string, (p: Planted) => unknown[]][] = [
    ['object-valued id', (_p) => [{ __typename: 'Concern', id: { not: null } }]],
    ['operator-shaped id', (p) => [{ __typename: 'Concern', id: { in: [p.draftConcernId] } }]],
    ['array id', (p) => [{ __typename: 'Concern', id: [p.draftConcernId, p.publicConcernId] }]],
    ['numeric id', (_p) => [{ __typename: 'Concern', id: 1 }]],
    ['null id', (_p) => [{ __typename: 'Concern', id: null }]],
    ['missing id', (_p) => [{ __typename: 'Concern' }]],
    ['missing __typename', (p) => [{ id: p.draftConcernId }]],
    [
      'extra keys',
      (p) => [{ __typename: 'Concern', id: p.draftConcernId, published: true, moderation: 'ACCEPTED', role: 'ADMIN' }],
    ],
    ['wrong __typename (a value type)', (p) => [{ __typename: 'ResidentContact', id: p.draftConcernId }]],
    ['wrong __typename (unknown)', (p) => [{ __typename: 'Nope', id: p.draftConcernId }]],
    ['wrong __typename (root)', (p) => [{ __typename: 'Query', id: p.draftConcernId }]],
    [
      'prototype keys',
      (p) => [JSON.parse(`{"__typename":"Concern","id":"${p.draftConcernId}","__proto__":{"role":"ADMIN"}}`)],
    ],
    ['scalar representations', (_p) => ['Concern', 42, null, true]],
    ['SQL in id', (_p) => [{ __typename: 'Concern', id: `' OR 1=1 --` }]],
    ['10k-character id', (_p) => [{ __typename: 'Concern', id: 'x'.repeat(10_000) }]],
    ['NUL in id', (p) => [{ __typename: 'Concern', id: `${p.draftConcernId}\u0000` }]],
  ];

  test.each(INJECTIONS)('%s: coded error or null, never a hidden row', async (label, make) => {
    const reps = make(p);
    const answer = await direct(stack, stack.subgraphUrls.engagement, entities(reps), {
      secret: stack.secret,
      identity: PUBLIC,
    });
    expect(answer.status, label).toBeLessThan(500);
    expectNoSecrets(answer.text, label);
    const list = (answer.json.data?._entities ?? []) as unknown[];
    for (const item of list)
      expect(item === null || (item as { id?: string }).id !== p.draftConcernId, label).toBe(true);
    if (!answer.json.data) expect(codeOf(answer), label).toBeTruthy();
  });
});

describe('representation floods', () => {
  const concernRep = (i: number) => ({ __typename: 'Concern', id: `0000-${i}` });

  test('at the cap (1,000) a signed request is served', async () => {
    const answer = await direct(
      stack,
      stack.subgraphUrls.engagement,
      entities(Array.from({ length: 1000 }, (_, i) => concernRep(i))),
      {
        secret: stack.secret,
        identity: PUBLIC,
      },
    );
    expect(answer.status).toBe(200);
    expect(((answer.json.data ?? {})._entities as unknown[] | undefined)?.length).toBe(1000);
  });

  test('10k and 100k representations signed with the real secret: 400 TOO_MANY_ENTITIES from the subgraph, memory bounded', async () => {
    for (const name of ['engagement', 'resources'] as const) {
      const pid = stack.processes.get(name)?.child.pid;
      const before = rssMb(pid);
      for (const size of [10_000, 100_000]) {
        const reps = Array.from({ length: size }, (_, i) => concernRep(i));
        const body = JSON.stringify({ query: entitiesQuery(), variables: { r: reps } });
        const answer = await direct(stack, stack.subgraphUrls[name], body, {
          secret: stack.secret,
          identity: PUBLIC,
        });
        expect(answer.status, `${name} ${size}`).toBe(400);
        expect(codeOf(answer)).toBe('TOO_MANY_ENTITIES');
        expect(answer.json.data).toBeUndefined();
      }
      // Inline in the document instead of variables: the parser's token cap stops it first.
      const inline = `{ _entities(representations: [${Array.from({ length: 100_000 }, (_, i) => `{__typename:"Concern",id:"${i}"}`).join(',')}]) { __typename } }`;
      const answer = await direct(stack, stack.subgraphUrls[name], JSON.stringify({ query: inline }), {
        secret: stack.secret,
        identity: PUBLIC,
      });
      expect(answer.status).toBe(400);
      expect(['GRAPHQL_PARSE_FAILED', 'TOO_MANY_ENTITIES']).toContain(codeOf(answer));
      const after = rssMb(pid);
      expect(after - before, `${name} grew from ${before} MB to ${after} MB`).toBeLessThan(300);
      // Still serving.
      const ok = await direct(stack, stack.subgraphUrls[name], JSON.stringify({ query: '{ __typename }' }), {
        secret: stack.secret,
        identity: PUBLIC,
      });
      expect(ok.status).toBe(200);
    }
  });

  test('through the gateway: _entities is not part of the public API, and a 100k-representation body is 413', async () => {
    const small = await gql(stack, entitiesQuery(), { r: [{ __typename: 'Concern', id: p.draftConcernId }] });
    expect(small.status).toBe(400);
    expect(codeOf(small)).toBe('GRAPHQL_VALIDATION_FAILED');
    for (const size of [10_000, 100_000]) {
      const big = await gql(stack, entitiesQuery(), { r: Array.from({ length: size }, (_, i) => concernRep(i)) });
      expect(big.status).toBe(413);
      expect(codeOf(big)).toBe('PAYLOAD_TOO_LARGE');
    }
    // A client operation that would need many references is stopped by the cost limit first.
    const wide = await gql(
      stack,
      '{ concerns(first: 100000) { edges { node { initiatives { title } resources { name } } } } }',
    );
    expect(wide.status).toBe(400);
    expect(codeOf(wide)).toBe('QUERY_TOO_COMPLEX');
  });
});

const entitiesQuery = () => `query E($r: [_Any!]!) { _entities(representations: $r) { __typename } }`;
