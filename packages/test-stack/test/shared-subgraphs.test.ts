import { afterEach, describe, expect, it } from 'vitest';
import { leaseSharedSubgraphs, serveSharedSubgraphs } from '../src/shared-subgraphs.ts';
import type { Stack, StackOptions } from '../src/stack.ts';

// The broker's bookkeeping, with a stack factory that records what it was asked for: what a stack's
// processes do is what every suite that shares subgraphs tests for real.
function recordingFactory({ failFirst = false } = {}) {
  const started: StackOptions[] = [];
  const destroyed: string[] = [];
  const start = async (options: StackOptions): Promise<Stack> => {
    started.push(options);
    const id = String(started.length);
    await new Promise((r) => setTimeout(r, 50));
    if (failFirst && id === '1') throw new Error('engagement exited with 1');
    const url = (name: string) => `http://127.0.0.1:1/${id}/${name}`;
    return {
      gatewayUrl: url('gateway'),
      subgraphUrls: { engagement: url('engagement'), initiatives: url('initiatives'), resources: url('resources') },
      secret: `secret-${id}`,
      jwtSecret: `jwt-${id}`,
      gatewayEnv: {},
      processes: new Map(),
      targets: {
        engagement: { kind: 'pglite', name: 'engagement', dataDir: `/tmp/${id}/engagement` },
        initiatives: { kind: 'pglite', name: 'initiatives', dataDir: `/tmp/${id}/initiatives` },
        resources: { kind: 'pglite', name: 'resources', dataDir: `/tmp/${id}/resources` },
      },
      subgraphEnv: (name) => ({ CIVIC_SEED: options.seed ?? 'demo', NAME: name }),
      startSubgraph: async () => {},
      stopSubgraph: async () => null,
      stop: async () => {},
      destroy: async () => {
        destroyed.push(id);
      },
    };
  };
  return { start, started, destroyed };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('shared subgraphs', () => {
  it('starts one stack for every file of a group asking for the same subgraphs, and others for the rest', async () => {
    const factory = recordingFactory();
    const broker = await serveSharedSubgraphs(factory.start, { idleMs: 60_000 });
    closers.push(broker.close);
    const ask = (group: string, seed: StackOptions['seed'], env?: NodeJS.ProcessEnv) =>
      leaseSharedSubgraphs(broker.url, { group, production: true, seed, env });
    const [a, b, none, other, withEnv] = await Promise.all([
      ask('gateway', 'demo'),
      ask('gateway', 'demo'),
      ask('gateway', 'none'),
      ask('security', 'demo'),
      ask('gateway', 'demo', { SMTP_URL: 'smtp://127.0.0.1:2525' }),
    ]);
    expect(factory.started).toHaveLength(4);
    expect(b.subgraphs).toEqual(a.subgraphs);
    for (const lease of [none, other, withEnv]) expect(lease.subgraphs.secret).not.toBe(a.subgraphs.secret);
    expect(none.subgraphs.subgraphEnvs.engagement.CIVIC_SEED).toBe('none');
    expect(factory.started.find((o) => o.env?.SMTP_URL)?.env).toEqual({ SMTP_URL: 'smtp://127.0.0.1:2525' });
  });

  it('stops a stack once no file has held it for the idle time, and starts it again when asked', async () => {
    const factory = recordingFactory();
    const broker = await serveSharedSubgraphs(factory.start, { idleMs: 200 });
    closers.push(broker.close);
    const first = await leaseSharedSubgraphs(broker.url, { group: 'web' });
    await first.release();
    const second = await leaseSharedSubgraphs(broker.url, { group: 'web' });
    expect(factory.started).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 400));
    expect(factory.destroyed).toEqual([]);
    await second.release();
    await new Promise((r) => setTimeout(r, 400));
    expect(factory.destroyed).toEqual(['1']);
    const third = await leaseSharedSubgraphs(broker.url, { group: 'web' });
    expect(third.subgraphs.secret).toBe('secret-2');
  });

  it('reports a stack that failed to start to every file waiting for it, and tries again for the next', async () => {
    const factory = recordingFactory({ failFirst: true });
    const broker = await serveSharedSubgraphs(factory.start, { idleMs: 60_000 });
    closers.push(broker.close);
    const waiting = await Promise.allSettled([1, 2].map(() => leaseSharedSubgraphs(broker.url, { group: 'gateway' })));
    for (const lease of waiting) {
      expect(lease.status).toBe('rejected');
      expect(String((lease as PromiseRejectedResult).reason)).toMatch(/did not start: engagement exited with 1/);
    }
    const next = await leaseSharedSubgraphs(broker.url, { group: 'gateway' });
    expect(next.subgraphs.secret).toBe('secret-2');
  });

  it('stops every stack, held or not, when the run ends', async () => {
    const factory = recordingFactory();
    const broker = await serveSharedSubgraphs(factory.start, { idleMs: 60_000 });
    await leaseSharedSubgraphs(broker.url, { group: 'gateway' });
    await leaseSharedSubgraphs(broker.url, { group: 'security' });
    await broker.close();
    expect(factory.destroyed.sort()).toEqual(['1', '2']);
  });
});
