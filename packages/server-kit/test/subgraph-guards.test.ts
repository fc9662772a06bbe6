import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseTarget } from '@civic/db/config';
import { newTestTarget, prepareTestTarget, removeTarget } from '@civic/db/testing';
import { GraphQLID, GraphQLObjectType, GraphQLScalarType, GraphQLSchema, GraphQLString } from 'graphql';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MAX_BATCH_OPERATIONS, splitBatchAnswer } from '../src/batch.ts';
import { nestsDeeperThan } from '../src/http.ts';
import { type Identity, signIdentity } from '../src/identity.ts';
import { type RunningSubgraph, readSubgraphEnv, startSubgraph } from '../src/subgraph.ts';

// A small real schema served by the real subgraph runner (HTTP, Apollo, database, plugins).
type Node = { id: string; depth: number };
const NodeType: GraphQLObjectType = new GraphQLObjectType({
  name: 'Node',
  fields: () => ({
    id: { type: GraphQLID },
    name: { type: GraphQLString, resolve: (n: Node) => `node ${n.depth}` },
    child: { type: NodeType, resolve: (n: Node) => ({ id: `${n.id}.c`, depth: n.depth + 1 }) },
  }),
});
const JSONScalar = new GraphQLScalarType({ name: 'JSON' });
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      node: { type: NodeType, resolve: () => ({ id: 'n', depth: 0 }) },
      echo: {
        type: GraphQLString,
        args: { value: { type: JSONScalar } },
        resolve: (_root, args: { value?: unknown }) => typeof args.value,
      },
    },
  }),
});

const secret = 'a-gateway-secret-for-the-server-kit-tests-0123';
const PUBLIC: Identity = { role: 'PUBLIC', subject: null, department: null, organization: null };

async function start(production: boolean) {
  const target: DatabaseTarget = newTestTarget('kit');
  await prepareTestTarget(target);
  const migrations = mkdtempSync(join(tmpdir(), 'civic-kit-migrations-'));
  const env = readSubgraphEnv('engagement', {
    NODE_ENV: production ? 'production' : 'development',
    ENGAGEMENT_PORT: '0',
    CIVIC_SEED: 'none',
    CIVIC_GATEWAY_SECRET: secret,
    LOG_LEVEL: 'error',
  });
  const running = await startSubgraph(
    {
      name: 'engagement',
      schema,
      migrationsDir: migrations,
      createPrisma: () => ({ $disconnect: async () => {} }),
      createContext: (base) => base,
    },
    { env, target },
  );
  return {
    running,
    async stop() {
      await running.stop();
      await removeTarget(target);
      rmSync(migrations, { recursive: true, force: true });
    },
  };
}

let development: { running: RunningSubgraph<unknown>; stop(): Promise<void> };
let production: { running: RunningSubgraph<unknown>; stop(): Promise<void> };
beforeAll(async () => {
  development = await start(false);
  production = await start(true);
});
afterAll(async () => {
  await development?.stop();
  await production?.stop();
});

async function post(url: string, body: string, sign = false) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (sign) Object.assign(headers, signIdentity(secret, PUBLIC, body));
  const response = await fetch(url, { method: 'POST', headers, body });
  const text = await response.text();
  const json = JSON.parse(text) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
  return { status: response.status, text, code: json.errors?.[0]?.extensions?.code, json };
}

const nested = (levels: number) => `{ node { ${'child { '.repeat(levels - 2)}id${' }'.repeat(levels - 2)} } }`;

describe('subgraphs apply their own limits to direct requests (issue 21, item 9)', () => {
  test('development mode: an unsigned request gets no field suggestions', async () => {
    const answer = await post(development.running.http.url, JSON.stringify({ query: '{ node { nam } }' }));
    expect(answer.status).toBe(400);
    expect(answer.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(answer.text).not.toMatch(/Did you mean/i);
    expect(answer.text).not.toContain('"name"');
  });

  test('development mode: depth, aliases, root fields and directives are limited', async () => {
    const url = development.running.http.url;
    expect((await post(url, JSON.stringify({ query: nested(15) }))).status).toBe(200);
    expect(await post(url, JSON.stringify({ query: nested(16) }))).toMatchObject({
      status: 400,
      code: 'QUERY_TOO_DEEP',
    });
    const aliases = (n: number) => `{ node { ${Array.from({ length: n }, (_, i) => `a${i}: id`).join(' ')} } }`;
    expect((await post(url, JSON.stringify({ query: aliases(60) }))).status).toBe(200);
    expect(await post(url, JSON.stringify({ query: aliases(61) }))).toMatchObject({
      status: 400,
      code: 'TOO_MANY_ALIASES',
    });
    const roots = `{ ${Array.from({ length: 21 }, () => 'node { id }').join(' ')} }`;
    expect(await post(url, JSON.stringify({ query: roots }))).toMatchObject({
      status: 400,
      code: 'TOO_MANY_ROOT_FIELDS',
    });
    const directives = `{ node { ${Array.from({ length: 21 }, (_, i) => `d${i}: id @include(if: true) @skip(if: false)`).join(' ')} } }`;
    expect(await post(url, JSON.stringify({ query: directives }))).toMatchObject({
      status: 400,
      code: 'TOO_MANY_DIRECTIVES',
    });
    // Fragments count where they are spread.
    const viaFragments = `{ node { ...A } } fragment A on Node { child { child { ...B } } } fragment B on Node { ${'child { '.repeat(12)}id${' }'.repeat(12)} }`;
    expect((await post(url, JSON.stringify({ query: viaFragments }))).code).toBe('QUERY_TOO_DEEP');
  });

  test('development mode: an unsigned body is limited to 100 kB (413)', async () => {
    const url = development.running.http.url;
    const body = JSON.stringify({ query: '{ node { id } }', variables: { pad: 'x'.repeat(150_000) } });
    expect(await post(url, body)).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    // Signed by the gateway, it may be larger (staff imports).
    expect((await post(url, body, true)).status).toBe(200);
  });

  test('production mode: the gateway-signed requests are limited too, and get no suggestions', async () => {
    const url = production.running.http.url;
    expect((await post(url, JSON.stringify({ query: nested(16) }), true)).code).toBe('QUERY_TOO_DEEP');
    const suggested = await post(url, JSON.stringify({ query: '{ node { nam } }' }), true);
    expect(suggested.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(suggested.text).not.toMatch(/Did you mean/i);
  });
});

describe("a batch of the gateway's operations (a JSON array) is one request with one answer per operation", () => {
  const operations = [
    { query: '{ node { id name } }' },
    { query: '{ echo(value: 1) }' },
    { query: '{ node { child { id } } }' },
  ];

  test('each answer is what the operation alone gets, in order, one per line', async () => {
    for (const runner of [development, production]) {
      const url = runner.running.http.url;
      const batch = await post(url, JSON.stringify(operations), true);
      expect(batch.status).toBe(200);
      const alone = await Promise.all(operations.map(async (o) => (await post(url, JSON.stringify(o), true)).json));
      const answers = splitBatchAnswer(batch.text, operations.length);
      expect(answers?.map((a) => JSON.parse(a))).toEqual(alone);
      expect(batch.json).toEqual(alone);
    }
  });

  test('one refused operation: its own error beside the others’ data, and the batch says 400', async () => {
    const url = production.running.http.url;
    const batch = await post(url, JSON.stringify([operations[0], { query: nested(16) }]), true);
    expect(batch.status).toBe(400);
    const [good, refused] = batch.json as unknown as {
      data?: unknown;
      errors?: { extensions?: { code?: string } }[];
    }[];
    expect(good?.data).toEqual({ node: { id: 'n', name: 'node 0' } });
    expect(refused?.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
  });

  test(`an empty batch, or more than ${MAX_BATCH_OPERATIONS} operations, is refused whole`, async () => {
    const url = production.running.http.url;
    for (const size of [0, MAX_BATCH_OPERATIONS + 1]) {
      const body = JSON.stringify(Array.from({ length: size }, () => operations[0]));
      expect(await post(url, body, true)).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    }
  });

  test('an unsigned batch is refused in production like any unsigned request', async () => {
    const answer = await post(production.running.http.url, JSON.stringify(operations));
    expect(answer.status).toBe(401);
  });
});

describe('deeply nested JSON is refused before parsing (issue 21, item 5)', () => {
  const deepArray = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`;
  const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

  test('variables 5,000 levels deep, or a JSON argument 40,000 deep: 400 JSON_TOO_DEEP', async () => {
    for (const production_ of [false, true]) {
      const url = (production_ ? production : development).running.http.url;
      for (const value of [deepObject(5_000), deepArray(40_000)]) {
        const body = `{"query":"query E($v: JSON) { echo(value: $v) }","variables":{"v":${value}}}`;
        const answer = await post(url, body, production_);
        expect(answer).toMatchObject({ status: 400, code: 'JSON_TOO_DEEP' });
      }
    }
  });

  test('a list literal nested 20,000 levels in the document: 400, not a stack overflow', async () => {
    const query = `{ echo(value: ${deepArray(20_000)}) }`;
    const answer = await post(development.running.http.url, JSON.stringify({ query }));
    expect(answer).toMatchObject({ status: 400, code: 'QUERY_TOO_DEEP' });
  });

  test('ordinary nesting (a GeoJSON MultiPolygon in variables) passes', async () => {
    const geo = {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [-78.9, 35.99],
            [-78.8, 35.99],
            [-78.8, 36.0],
            [-78.9, 35.99],
          ],
        ],
      ],
    };
    const body = JSON.stringify({ query: 'query E($v: JSON) { echo(value: $v) }', variables: { v: geo } });
    const answer = await post(development.running.http.url, body);
    expect(answer.status).toBe(200);
    expect(answer.json.data).toEqual({ echo: 'object' });
  });

  test('the nesting scan ignores brackets in strings, block strings and comments', () => {
    expect(nestsDeeperThan('{"a":"[[[[[[","b":[1]}', 2)).toBe(false);
    expect(nestsDeeperThan('[[[', 2)).toBe(true);
    expect(nestsDeeperThan('{ a(s: """ " [[[[ """) # {{{{\n }', 2, true)).toBe(false);
    expect(nestsDeeperThan('{ a(s: "\\" [[[[") }', 2, true)).toBe(false);
  });
});

describe('an oversized body sent with Connection: close gets its 413 (issue 21, item 10)', () => {
  /** Sends the whole body over a raw socket and returns what the server answered before closing. */
  function rawPost(url: string, bytes: number, chunked: boolean): Promise<string> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname);
      let answer = '';
      socket.on('data', (d) => {
        answer += d.toString('latin1');
      });
      socket.on('error', (error) => reject(new Error(`${error.message} after ${JSON.stringify(answer.slice(0, 80))}`)));
      socket.on('close', () => resolve(answer));
      socket.on('connect', () => {
        const head = [
          'POST /graphql HTTP/1.1',
          `Host: ${hostname}:${port}`,
          'Content-Type: application/json',
          'Connection: close',
          chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${bytes}`,
          '',
          '',
        ].join('\r\n');
        socket.write(head);
        const piece = Buffer.alloc(64 * 1024, 'x');
        let sent = 0;
        const pump = () => {
          while (sent < bytes) {
            const n = Math.min(piece.length, bytes - sent);
            sent += n;
            const data = chunked
              ? Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), piece.subarray(0, n), Buffer.from('\r\n')])
              : piece.subarray(0, n);
            if (!socket.write(data)) return void socket.once('drain', pump);
          }
          if (chunked) socket.write('0\r\n\r\n');
        };
        pump();
      });
    });
  }

  test('5 MB declared and streamed, to a subgraph: 413 PAYLOAD_TOO_LARGE, no reset', async () => {
    for (const chunked of [false, true]) {
      const answer = await rawPost(development.running.http.url, 5_000_000, chunked);
      expect(answer).toMatch(/^HTTP\/1\.1 413 /);
      expect(answer).toContain('PAYLOAD_TOO_LARGE');
    }
  });

  test('the server still answers afterwards', async () => {
    const answer = await new Promise<number>((resolve, reject) => {
      const req = request(development.running.http.url.replace('/graphql', '/health'), (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(answer).toBe(200);
  });
});

describe('background work', () => {
  test('that fails to start (its database lost) is retried while the subgraph keeps serving', async () => {
    const target: DatabaseTarget = newTestTarget('kit-background');
    await prepareTestTarget(target);
    const migrations = mkdtempSync(join(tmpdir(), 'civic-kit-migrations-'));
    const env = readSubgraphEnv('engagement', {
      NODE_ENV: 'development',
      ENGAGEMENT_PORT: '0',
      CIVIC_SEED: 'none',
      LOG_LEVEL: 'error',
    });
    let attempts = 0;
    let stopped = 0;
    const running = await startSubgraph(
      {
        name: 'engagement',
        schema,
        migrationsDir: migrations,
        createPrisma: () => ({ $disconnect: async () => {} }),
        createContext: (base) => base,
        startBackground: async () => {
          attempts++;
          if (attempts < 3) throw new Error('Connection terminated unexpectedly');
          return {
            async stop() {
              stopped++;
            },
          };
        },
      },
      { env, target },
    );
    try {
      expect(attempts).toBe(3);
      const response = await fetch(running.http.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ node { id } }' }),
      });
      expect(await response.json()).toEqual({ data: { node: { id: 'n' } } });
    } finally {
      await running.stop();
      await removeTarget(target);
      rmSync(migrations, { recursive: true, force: true });
    }
    expect(stopped).toBe(1);
  });

  test('stops retrying once the start is aborted (the process asked to stop)', async () => {
    const target: DatabaseTarget = newTestTarget('kit-background-abort');
    await prepareTestTarget(target);
    const migrations = mkdtempSync(join(tmpdir(), 'civic-kit-migrations-'));
    const env = readSubgraphEnv('engagement', {
      NODE_ENV: 'development',
      ENGAGEMENT_PORT: '0',
      CIVIC_SEED: 'none',
      LOG_LEVEL: 'error',
    });
    const abort = new AbortController();
    let attempts = 0;
    const running = await startSubgraph(
      {
        name: 'engagement',
        schema,
        migrationsDir: migrations,
        createPrisma: () => ({ $disconnect: async () => {} }),
        createContext: (base) => base,
        startBackground: async () => {
          attempts++;
          abort.abort();
          throw new Error('Connection terminated unexpectedly');
        },
      },
      { env, target, signal: abort.signal },
    );
    try {
      expect(attempts).toBe(1);
    } finally {
      await running.stop();
      await removeTarget(target);
      rmSync(migrations, { recursive: true, force: true });
    }
  });
});
