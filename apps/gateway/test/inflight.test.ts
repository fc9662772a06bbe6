import { ApolloServer } from '@apollo/server';
import { type Identity, PUBLIC_IDENTITY } from '@civic/server-kit/identity';
import { describe, expect, test, vi } from 'vitest';
import type { GatewayContext } from '../src/gateway.ts';
import { InflightQueries, inflightOperationsPlugin } from '../src/inflight.ts';
import { SubgraphResponse } from '../src/subgraph-fetch.ts';

function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

const response = (body: string) => new SubgraphResponse('http://subgraph/graphql', 200, 'OK', {}, body);

/** A fetch that counts its sends and answers (with the body for the nth send) once the gate opens. */
function gatedSend(body: (n: number) => string) {
  const g = gate();
  let sent = 0;
  const send = async () => {
    sent++;
    await g.opened;
    return response(body(sent));
  };
  return { send, open: g.open, sent: () => sent };
}

describe('InflightQueries (subgraph fetches)', () => {
  test('identical fetches in flight are sent once and each caller gets the whole response', async () => {
    const inflight = new InflightQueries();
    const { send, open, sent } = gatedSend(() => '{"data":{"n":1}}');
    const calls = [inflight.share('a', send), inflight.share('a', send), inflight.share('b', send)];
    open();
    const [first, second, other] = await Promise.all(calls);
    expect(sent()).toBe(2);
    expect(await first?.json()).toEqual({ data: { n: 1 } });
    expect(await second?.json()).toEqual({ data: { n: 1 } });
    expect(second).not.toBe(first);
    expect(other?.ok).toBe(true);
    // Done: the next identical fetch is sent again.
    await inflight.share('a', send);
    expect(sent()).toBe(3);
    expect(inflight.size).toBe(0);
  });

  test('a failed fetch fails every caller waiting on it, and is not remembered', async () => {
    const inflight = new InflightQueries();
    const g = gate();
    const failing = async (): Promise<SubgraphResponse> => {
      await g.opened;
      throw new Error('down');
    };
    const calls = [inflight.share('a', failing), inflight.share('a', failing)];
    g.open();
    for (const call of calls) await expect(call).rejects.toThrow('down');
    expect(inflight.size).toBe(0);
  });

  test('clear() makes the next caller send its own fetch', async () => {
    const inflight = new InflightQueries();
    const { send, open, sent } = gatedSend((n) => `{"data":{"n":${n}}}`);
    const before = inflight.share('a', send);
    inflight.clear();
    const after = inflight.share('a', send);
    open();
    expect(sent()).toBe(2);
    expect(await (await before).json()).toEqual({ data: { n: 2 } });
    expect(await (await after).json()).toEqual({ data: { n: 2 } });
  });
});

describe('inflightOperationsPlugin (whole operations)', () => {
  async function server() {
    let executions = 0;
    const g = gate();
    let counter = 0;
    const apollo = new ApolloServer<GatewayContext>({
      typeDefs: 'type Query { value(key: String): Int } type Mutation { bump: Int }',
      resolvers: {
        Query: {
          value: async () => {
            executions++;
            await g.opened;
            return counter;
          },
        },
        Mutation: {
          bump: () => {
            counter++;
            return counter;
          },
        },
      },
      plugins: [inflightOperationsPlugin()],
    });
    await apollo.start();
    const run = (query: string, identity: Identity = PUBLIC_IDENTITY, variables?: Record<string, unknown>) =>
      apollo.executeOperation({ query, variables }, { contextValue: { identity, requestId: 'test' } });
    const value = async (p: ReturnType<typeof run>) => {
      const r = await p;
      return r.body.kind === 'single' ? r.body.singleResult.data?.value : undefined;
    };
    return {
      apollo,
      run,
      value,
      executions: () => executions,
      open: () => g.open(),
    };
  }

  test('identical queries from the same caller run once; other variables or callers run their own', async () => {
    const s = await server();
    const staff: Identity = { ...PUBLIC_IDENTITY, role: 'STAFF', subject: 'staff-1' };
    const calls = [
      s.run('query ($k: String) { value(key: $k) }', PUBLIC_IDENTITY, { k: 'a' }),
      s.run('query ($k: String) { value(key: $k) }', PUBLIC_IDENTITY, { k: 'a' }),
      s.run('query ($k: String) { value(key: $k) }', PUBLIC_IDENTITY, { k: 'b' }),
      s.run('query ($k: String) { value(key: $k) }', staff, { k: 'a' }),
    ];
    await vi.waitFor(() => expect(s.executions()).toBe(3));
    s.open();
    const values = await Promise.all(calls.map(s.value));
    expect(values).toEqual([0, 0, 0, 0]);
    expect(s.executions()).toBe(3);
    await s.apollo.stop();
  });

  test('a query arriving after a mutation does not get the answer of one started before it', async () => {
    const s = await server();
    const before = s.run('{ value }');
    await vi.waitFor(() => expect(s.executions()).toBe(1));
    await s.run('mutation { bump }');
    const after = s.run('{ value }');
    await vi.waitFor(() => expect(s.executions()).toBe(2));
    s.open();
    expect(await s.value(before)).toBe(1);
    expect(await s.value(after)).toBe(1);
    expect(s.executions()).toBe(2);
    await s.apollo.stop();
  });
});
