import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { subgraphFetch } from './subgraph-fetch.ts';

/**
 * A subgraph that answers the first request on each connection and resets the connection on the
 * second, before answering: what a client sees when it writes to a kept-alive connection the server
 * has just closed (a restart, an idle timeout).
 */
let server: Server;
let url = '';
const received: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const socket = req.socket as typeof req.socket & { served?: number };
    socket.served = (socket.served ?? 0) + 1;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(Buffer.concat(chunks).toString());
      if (socket.served === 2) {
        socket.destroy();
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { served: socket.served } }));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const post = (body: string, retryOnStaleConnection: boolean) =>
  subgraphFetch(url, { headers: { 'content-type': 'application/json' }, body }, 5_000, { retryOnStaleConnection });

test('a query reset on a reused connection is sent again on a new one; a mutation is not', async () => {
  // The first request opens a connection the agent keeps; the second goes over it and is reset.
  expect((await post('{"query":"{ a }"}', true)).status).toBe(200);
  received.length = 0;
  const retried = await post('{"query":"{ b }"}', true);
  expect(retried.status).toBe(200);
  expect(await retried.json()).toEqual({ data: { served: 1 } });
  expect(received).toEqual(['{"query":"{ b }"}', '{"query":"{ b }"}']);

  // The retry's new connection has served one request: the next one on it is reset, and not resent.
  received.length = 0;
  await expect(post('{"query":"mutation { d }"}', false)).rejects.toMatchObject({ code: 'ECONNRESET' });
  expect(received).toEqual(['{"query":"mutation { d }"}']);
});
