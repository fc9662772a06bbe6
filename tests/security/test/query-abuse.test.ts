import { randomUUID } from 'node:crypto';
import type { Stack } from '@civic/test-stack/stack';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Answer, base, codeOf, createApiKey, gql, productionStack, raw, token } from './helpers.ts';

let stack: Stack;
/** STAFF tokens are rate-limited per subject: each test takes a fresh one. */
let department = '';
let partnerOrganization = '';
const KEY_BUDGET = 12;

beforeAll(async () => {
  stack = await productionStack(
    { RATE_LIMIT_PER_KEY: String(KEY_BUDGET), RATE_LIMIT_PER_ADDRESS: '400' },
    { shared: true },
  );
  const orgs = await gql(stack, '{ organizations { id internal } }');
  const list = (orgs.json.data ?? {}).organizations as { id: string; internal: boolean }[];
  partnerOrganization = list.find((o) => !o.internal)?.id as string;
  department = list.find((o) => o.internal)?.id as string;
}, 420_000);
afterAll(async () => stack?.destroy());

/** A refusal before execution: 4xx, one of the codes, no data. */
function refused(answer: Answer, codes: string[], status = 400) {
  expect(answer.status, answer.text.slice(0, 200)).toBe(status);
  expect(codes, answer.text.slice(0, 200)).toContain(codeOf(answer));
  expect(answer.json.data ?? undefined).toBeUndefined();
}

const post = (body: string, headers: Record<string, string> = {}) =>
  raw(stack, stack.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('operation size and shape', () => {
  test('2,000 aliases: refused (PUBLIC: token cap; STAFF, whose bodies may be larger: same)', async () => {
    const staff = await token(stack, { role: 'STAFF', department });
    const query = `{ ${Array.from({ length: 2000 }, (_, i) => `a${i}: goals { number }`).join(' ')} }`;
    for (const headers of [{}, staff]) {
      refused(await gql(stack, query, {}, headers), ['TOO_MANY_ALIASES', 'GRAPHQL_PARSE_FAILED']);
    }
    // Just above the alias limit, short enough to parse: the alias limit itself answers.
    const aliases = `{ goals { ${Array.from({ length: 31 }, (_, i) => `n${i}: number`).join(' ')} } }`;
    refused(await gql(stack, aliases), ['TOO_MANY_ALIASES']);
  });

  test('20,000 __typename: 413 for PUBLIC (body), parse refusal for STAFF', async () => {
    const staff = await token(stack, { role: 'STAFF', department });
    const query = `{ ${Array.from({ length: 20_000 }, () => '__typename').join(' ')} }`;
    refused(await gql(stack, query), ['PAYLOAD_TOO_LARGE'], 413);
    refused(await gql(stack, query, {}, staff), ['GRAPHQL_PARSE_FAILED']);
  });

  test('depth through entity cycles (concern → initiatives → concerns → …) is refused', async () => {
    const staff = await token(stack, { role: 'STAFF', department });
    let inner = 'id';
    for (let i = 0; i < 6; i++) inner = `initiatives { concerns { ${inner} } }`;
    const query = `{ concerns(first: 1) { edges { node { ${inner} } } } }`;
    for (const headers of [{}, staff])
      refused(await gql(stack, query, {}, headers), ['QUERY_TOO_DEEP', 'GRAPHQL_PARSE_FAILED']);
    const goals =
      '{ goals { initiatives { goal { initiatives { goal { initiatives { goal { initiatives { goal { initiatives { goal { number } } } } } } } } } } } }';
    refused(await gql(stack, goals), ['QUERY_TOO_DEEP']);
  });

  test('50k tokens: 413 for PUBLIC, the parser stops early for STAFF', async () => {
    const staff = await token(stack, { role: 'STAFF', department });
    const query = `{ goals { ${Array.from({ length: 50_000 }, () => 'n').join(' ')} } }`;
    refused(await gql(stack, query), ['PAYLOAD_TOO_LARGE'], 413);
    const answer = await gql(stack, query, {}, staff);
    refused(answer, ['GRAPHQL_PARSE_FAILED']);
    expect(answer.json.errors?.[0]?.message).toMatch(/token/i);
  });

  test('a 5 MB body as PUBLIC: 413, declared or streamed without a length', async () => {
    const body = JSON.stringify({ query: '{ goals { number } }', variables: { pad: 'x'.repeat(5 * 1024 * 1024) } });
    refused(await post(body), ['PAYLOAD_TOO_LARGE'], 413);
    const stream = new ReadableStream({
      start(controller) {
        const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
        controller.enqueue(new TextEncoder().encode('{"query":"{ goals { number } }","variables":{"pad":"'));
        for (let i = 0; i < 80; i++) controller.enqueue(chunk);
        controller.enqueue(new TextEncoder().encode('"}}'));
        controller.close();
      },
    });
    const streamed = await raw(stack, stack.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit & { headers: Record<string, string> });
    refused(streamed, ['PAYLOAD_TOO_LARGE'], 413);
    // The gateway still answers.
    expect((await gql(stack, '{ goals { number } }')).status).toBe(200);
  });

  test('5,000 directives, and one directive repeated on a field', async () => {
    const staff = await token(stack, { role: 'STAFF', department });
    const many = `{ goals { ${Array.from({ length: 5000 }, (_, i) => `f${i}: number @include(if: true)`).join(' ')} } }`;
    for (const headers of [{}, staff]) {
      const answer = await gql(stack, many, {}, headers);
      expect([400, 413]).toContain(answer.status);
      expect(['TOO_MANY_DIRECTIVES', 'GRAPHQL_PARSE_FAILED', 'PAYLOAD_TOO_LARGE']).toContain(codeOf(answer));
      expect(answer.json.data ?? undefined).toBeUndefined();
    }
    const small = `{ goals { number ${Array.from({ length: 25 }, () => '@include(if: true)').join(' ')} } }`;
    refused(await gql(stack, small), ['TOO_MANY_DIRECTIVES', 'GRAPHQL_VALIDATION_FAILED']);
  });

  test('fragment cycles are refused by validation', async () => {
    const query = `query { goals { ...A } }
      fragment A on Goal { number initiatives { goal { ...B } } }
      fragment B on Goal { number initiatives { goal { ...A } } }`;
    refused(await gql(stack, query), ['GRAPHQL_VALIDATION_FAILED']);
    refused(await gql(stack, 'query { goals { ...S } } fragment S on Goal { ...S }'), ['GRAPHQL_VALIDATION_FAILED']);
  });

  test('exponential fragment doubling ("billion laughs") is refused quickly as too complex', async () => {
    const staff = await token(stack, { role: 'STAFF', department });
    const levels = 40;
    const fragments = ['fragment L0 on Goal { number title }'];
    for (let i = 1; i <= levels; i++) fragments.push(`fragment L${i} on Goal { ...L${i - 1} ...L${i - 1} }`);
    const query = `query Laughs { goals { ...L${levels} } } ${fragments.join(' ')}`;
    for (const headers of [{}, staff]) refused(await gql(stack, query, {}, headers), ['QUERY_TOO_COMPLEX']);
    // With the same fields under different aliases at each level, nothing merges away.
    const aliased = ['fragment M0 on Goal { number }'];
    for (let i = 1; i <= 25; i++) aliased.push(`fragment M${i} on Goal { ...M${i - 1} x${i}: goal { ...M${i - 1} } }`);
    refused(await gql(stack, `{ goals { ...M25 } } ${aliased.join(' ')}`), [
      'QUERY_TOO_COMPLEX',
      'QUERY_TOO_DEEP',
      'GRAPHQL_VALIDATION_FAILED',
      'TOO_MANY_ALIASES',
    ]);
    expect((await gql(stack, '{ goals { number } }')).status).toBe(200);
  });
});

describe('batching and browsers', () => {
  test('batched JSON arrays are refused (2 and 1,000 operations)', async () => {
    const staff = await token(stack, { role: 'STAFF', department });
    for (const size of [2, 1000]) {
      const body = JSON.stringify(Array.from({ length: size }, () => ({ query: '{ goals { number } }' })));
      const answer = await post(body, staff);
      expect([400, 413]).toContain(answer.status);
      expect(answer.json.data ?? undefined).toBeUndefined();
      expect(answer.text).not.toContain('"number"');
    }
  });

  test('CSRF: GET without a preflight header, text/plain, form and multipart posts, and a mutation over GET are refused', async () => {
    const staff = await token(stack, { role: 'STAFF', department });
    // A title no other file writes: the subgraphs are shared with the suite's other files.
    const title = `CSRF ${randomUUID()}`;
    const count = async () => {
      const answer = await gql(
        stack,
        'query($search: String!) { conversations(first: 1, filter: { search: $search }) { totalCount } }',
        { search: title },
        staff,
      );
      return ((answer.json.data ?? {}).conversations as { totalCount: number }).totalCount;
    };
    const mutation = `mutation { createConversation(input: { title: "${title}", heldOn: "2026-01-01T00:00:00Z", format: ONLINE }) { id } }`;
    const get = await raw(stack, `${stack.gatewayUrl}?query=${encodeURIComponent('{ goals { number } }')}`, {});
    expect(get.status).toBe(400);
    for (const [type, body] of [
      ['text/plain', JSON.stringify({ query: mutation })],
      ['application/x-www-form-urlencoded', `query=${encodeURIComponent(mutation)}`],
      [
        'multipart/form-data; boundary=x',
        `--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: mutation })}\r\n--x--\r\n`,
      ],
    ] as [string, string][]) {
      const answer = await raw(stack, stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': type, ...staff },
        body,
      });
      expect(answer.status, type).toBe(400);
      expect(answer.json.data ?? undefined).toBeUndefined();
    }
    const overGet = await raw(stack, `${stack.gatewayUrl}?query=${encodeURIComponent(mutation)}`, {
      headers: { 'apollo-require-preflight': 'true', ...staff },
    });
    expect([400, 405]).toContain(overGet.status);
    expect(await count()).toBe(0);
    // The same mutation sent as JSON is stored, so the count above can see one.
    const allowed = await gql(stack, mutation, {}, staff);
    expect(allowed.json.errors ?? []).toEqual([]);
    expect(await count()).toBe(1);
  });

  test('a foreign CORS origin gets no allow-origin or credentials, on preflight or on the request', async () => {
    const staff = await token(stack, { role: 'STAFF', department });
    for (const origin of [
      'https://evil.example',
      'null',
      'http://localhost:5173.evil.example',
      'http://evil.localhost:5173',
    ]) {
      const preflight = await fetch(stack.gatewayUrl, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type, authorization',
        },
      });
      expect(preflight.status, origin).toBe(403);
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
      const answer = await gql(stack, '{ goals { number } }', {}, { origin, ...staff });
      expect(answer.headers.get('access-control-allow-origin')).not.toBe(origin);
      expect(answer.headers.get('access-control-allow-credentials')).toBeNull();
    }
  });
});

describe('rate limits cannot be bypassed', () => {
  test('through aliases and batching: each request counts, and aliases are capped by the alias and root-field limits', async () => {
    const key = { 'x-api-key': await createApiKey(stack, partnerOrganization) };
    const wide = `{ ${Array.from({ length: 10 }, (_, i) => `g${i}: goals { number }`).join(' ')} }`;
    let allowed = 0;
    let limited: Answer | undefined;
    for (let i = 0; i < KEY_BUDGET + 5 && !limited; i++) {
      const answer = await gql(stack, wide, {}, key);
      if (answer.status === 429) limited = answer;
      else allowed++;
    }
    expect(allowed).toBe(KEY_BUDGET);
    expect(limited && codeOf(limited)).toBe('RATE_LIMITED');
    const batch = await post(
      JSON.stringify(Array.from({ length: 50 }, () => ({ query: '{ goals { number } }' }))),
      key,
    );
    expect(batch.status).toBe(429);
    // Too many root fields in one request is its own refusal, not extra budget.
    const fresh = { 'x-api-key': await createApiKey(stack, partnerOrganization) };
    const tooWide = `{ ${Array.from({ length: 11 }, (_, i) => `g${i}: goals { number }`).join(' ')} }`;
    refused(await gql(stack, tooWide, {}, fresh), ['TOO_MANY_ROOT_FIELDS']);
  });

  test('a spoofed X-Forwarded-For does not give PUBLIC a fresh budget (TRUST_PROXY is off)', async () => {
    let limited = false;
    for (let i = 0; i < 420 && !limited; i++) {
      const response = await fetch(stack.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.0.${i % 250}.${i % 200}` },
        body: '{"query":"{ __typename }"}',
      });
      await response.arrayBuffer();
      limited = response.status === 429;
    }
    expect(limited).toBe(true);
    const spoofed = await gql(
      stack,
      '{ goals { number } }',
      {},
      { 'x-forwarded-for': '203.0.113.9', 'x-real-ip': '203.0.113.9' },
    );
    expect(spoofed.status).toBe(429);
    expect(codeOf(spoofed)).toBe('RATE_LIMITED');
    // Operational endpoints are not rate-limited GraphQL: readiness still answers.
    expect((await fetch(`${base(stack)}/health`)).status).toBe(200);
  });
});
