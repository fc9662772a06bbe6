import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { joinBatchAnswers } from '@civic/server-kit/batch';
import { REQUEST_ID_HEADER } from '@civic/server-kit/identity';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { SubgraphBatcher } from './subgraph-batch.ts';
import { subgraphFetch } from './subgraph-fetch.ts';

/**
 * A subgraph on loopback that answers each operation with what it was asked (`{ data: { echo } }`), as a
 * batch answer for a JSON array; `refuseBatches` makes it answer arrays as a subgraph without batches does.
 */
let server: Server;
let url = '';
let refuseBatches = false;
const received: { body: unknown; requestId: string | undefined }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { query: string } | { query: string }[];
      received.push({ body, requestId: req.headers[REQUEST_ID_HEADER] as string | undefined });
      res.setHeader('content-type', 'application/json');
      if (!Array.isArray(body)) return res.end(`${JSON.stringify({ data: { echo: body.query } })}\n`);
      if (refuseBatches) {
        res.statusCode = 400;
        return res.end(JSON.stringify({ errors: [{ message: 'Operation batching disabled.' }] }));
      }
      res.end(joinBatchAnswers(body.map((o) => JSON.stringify({ data: { echo: o.query } }))));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received.length = 0;
  refuseBatches = false;
});

const batcher = new SubgraphBatcher((target, headers, body) => subgraphFetch(target, { headers, body }, 5_000));
const publicCaller = (requestId: string) => ({
  'content-type': 'application/json',
  'x-civic-identity': 'PUBLIC',
  [REQUEST_ID_HEADER]: requestId,
});
const ask = (query: string, headers: Record<string, string>, target = url) =>
  batcher
    .query(target, headers, JSON.stringify({ query }))
    .then(async (r) => ({ status: r.status, ...((await r.json()) as { data?: unknown }) }));

test('queries of one caller identity in the same turn go as one request, each answered with its own answer', async () => {
  const answers = await Promise.all([
    ask('{ a }', publicCaller('r1')),
    ask('{ b }', publicCaller('r2')),
    ask('{ c }', publicCaller('r1')),
  ]);
  expect(answers).toEqual([
    { status: 200, data: { echo: '{ a }' } },
    { status: 200, data: { echo: '{ b }' } },
    { status: 200, data: { echo: '{ c }' } },
  ]);
  expect(received).toEqual([
    { body: [{ query: '{ a }' }, { query: '{ b }' }, { query: '{ c }' }], requestId: 'r1,r2' },
  ]);
});

test('different identities are never batched together, and a query alone is sent as it is', async () => {
  const staff = { ...publicCaller('r3'), 'x-civic-identity': 'STAFF:planning' };
  const answers = await Promise.all([ask('{ a }', publicCaller('r3')), ask('{ b }', staff)]);
  expect(answers.map((a) => a.data)).toEqual([{ echo: '{ a }' }, { echo: '{ b }' }]);
  expect(received.map((r) => r.body)).toEqual([{ query: '{ a }' }, { query: '{ b }' }]);
  // In a later turn: a request of its own.
  await ask('{ c }', publicCaller('r4'));
  expect(received.at(-1)?.body).toEqual({ query: '{ c }' });
});

test('a batch the subgraph refuses is sent again one operation at a time', async () => {
  refuseBatches = true;
  const answers = await Promise.all([ask('{ a }', publicCaller('r5')), ask('{ b }', publicCaller('r6'))]);
  expect(answers).toEqual([
    { status: 200, data: { echo: '{ a }' } },
    { status: 200, data: { echo: '{ b }' } },
  ]);
  expect(received.map((r) => [r.body, r.requestId])).toEqual([
    [[{ query: '{ a }' }, { query: '{ b }' }], 'r5,r6'],
    [{ query: '{ a }' }, 'r5'],
    [{ query: '{ b }' }, 'r6'],
  ]);
});

test('a subgraph that cannot be reached fails every operation of the batch', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const down = `http://127.0.0.1:${port}/graphql`;
  const outcomes = await Promise.allSettled([
    ask('{ a }', publicCaller('r7'), down),
    ask('{ b }', publicCaller('r7'), down),
  ]);
  expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
});
