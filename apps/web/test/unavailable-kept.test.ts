import { createServer, type Server } from 'node:http';
import { gql } from 'urql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// A page whose answer said a service is down must keep saying so when another query writes the same
// entity and the cache answers the page again (web.browser's "when a subgraph is down" failed so).
// A real HTTP server on loopback answers as the gateway does with resources stopped.
const DOWN = { message: 'The resources service is unavailable', extensions: { code: 'SERVICE_UNAVAILABLE' } };

let server: Server;
let url = '';
beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      // Queries come as GET within the URL's limit, as urql sends them to the gateway.
      const query = body
        ? (JSON.parse(body) as { query: string }).query
        : (new URL(request.url ?? '/', 'http://x').searchParams.get('query') ?? '');
      const answer = query.includes('query Page')
        ? {
            data: { concern: { __typename: 'Concern', id: 'c1', summary: 'Dark corners', resources: null } },
            errors: [DOWN],
          }
        : { data: { concern: { __typename: 'Concern', id: 'c1', disputes: [] } } };
      setTimeout(() => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer));
      }, 50);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;
  Object.assign(globalThis, { sessionStorage: { getItem: () => null } });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => server.close(resolve));
});

const PAGE = gql`
  query Page($id: ID!) {
    concern(id: $id) {
      id
      summary
      resources {
        id
      }
    }
  }
`;
const DISPUTES = gql`
  query Disputes($id: ID!) {
    concern(id: $id) {
      id
      disputes {
        id
      }
    }
  }
`;

describe('the web client keeps a service-unavailable error', () => {
  it('on the answers the cache gives again after another query wrote the same concern', async () => {
    vi.stubEnv('VITE_GATEWAY_URL', url);
    const { createClient } = await import('../src/client.ts');
    const client = createClient();
    const answers: { error?: { graphQLErrors: { extensions: Record<string, unknown> }[] }; stale?: boolean }[] = [];
    const subscription = client.query(PAGE, { id: 'c1' }).subscribe((result) => answers.push(result));
    await vi.waitFor(() => expect(answers.length).toBeGreaterThan(0));
    const first = answers.length;
    expect(answers.at(-1)?.error?.graphQLErrors[0]?.extensions.code).toBe('SERVICE_UNAVAILABLE');
    await client.query(DISPUTES, { id: 'c1' }).toPromise();
    // The cache answers the page again once the disputes are written; that answer must still say so.
    await vi.waitFor(() => expect(answers.length).toBeGreaterThan(first));
    await new Promise((resolve) => setTimeout(resolve, 300));
    subscription.unsubscribe();
    for (const answer of answers.slice(first)) {
      expect(answer.error?.graphQLErrors.map((e) => e.extensions.code)).toContain('SERVICE_UNAVAILABLE');
    }
  });
});
