import type { SqlClient } from '@civic/db/connect';
import { createTestDatabase, type TestDatabase, testDatabaseKind } from '@civic/db/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type JobQueue, setUpOrStop, startJobQueue } from '../src/queue.ts';

function until(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const tick = async () => {
      if (await check()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 100);
    };
    void tick();
  });
}

describe(`job queue on ${testDatabaseKind()}`, () => {
  let db: TestDatabase;
  const queues: JobQueue[] = [];
  const start = async (extra: Parameters<typeof startJobQueue>[1]['queues'] = {}) => {
    const queue = await startJobQueue(db, {
      schema: 'jobs_test',
      pollingIntervalSeconds: 0.5,
      retry: { retryDelay: 1, retryBackoff: false },
      queues: extra,
    });
    queues.push(queue);
    return queue;
  };

  beforeEach(async () => {
    db = await createTestDatabase('jobs');
  });
  afterEach(async () => {
    for (const queue of queues.splice(0)) await queue.stop();
    await db.destroy();
  });

  it('a set-up that fails stops its queue: nothing polls behind a failed start, the error reaches the caller', async () => {
    const queue = await start();
    let handled = 0;
    await expect(
      setUpOrStop(queue, async () => {
        await queue.work('left-behind', async () => {
          handled++;
        });
        throw new Error('the database went away during set-up');
      }),
    ).rejects.toThrow('the database went away during set-up');
    await expect(queue.send('left-behind', {})).rejects.toThrow('the job queue is stopped');
    // A second queue on the same schema sends a job the stopped worker would have taken.
    const next = await start();
    await next.send('left-behind', {});
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(handled).toBe(0);
    expect(await next.pending('left-behind')).toBe(1);
  });

  it('a job whose outcome cannot be stored (the database lost at that moment) stays active for a retry, and the process carries on', async () => {
    // The real database, with every statement failing while `lost` is set: pg-boss stores the
    // outcome right after the handler returns, so the loss lands exactly there.
    let lost = false;
    const database: SqlClient = {
      query: (text, params) =>
        lost ? Promise.reject(new Error('Connection terminated unexpectedly')) : db.sql.query(text, params),
      exec: (script) => (lost ? Promise.reject(new Error('Connection terminated unexpectedly')) : db.sql.exec(script)),
      transaction: (fn) => db.sql.transaction(fn),
    };
    const queue = await startJobQueue(database, { schema: 'jobs_test', pollingIntervalSeconds: 0.5 });
    queues.push(queue);
    let ran = 0;
    await queue.work('outcome-lost', async () => {
      ran++;
      lost = true;
      setTimeout(() => {
        lost = false;
      }, 1_500);
    });
    const id = await queue.send('outcome-lost', {});
    await until(() => ran === 1 && !lost, 'the handler to run and the database to come back');
    // Before pg-boss's patch the unstored outcome was an unhandled rejection: vitest fails the run on
    // one, and a subgraph process ends on one.
    const [job] = await db.sql.query<{ state: string }>('select state from jobs_test.job where id = $1', [id]);
    expect(job?.state).toBe('active');
    // The queue carries on with the next job.
    let next = 0;
    await queue.work('after-the-loss', async () => {
      next++;
    });
    await queue.send('after-the-loss', {});
    await until(() => next === 1, 'the next job');
  });

  it('runs a job that was sent and counts it pending until it is done', async () => {
    const queue = await start();
    const seen: string[] = [];
    await queue.send('greet', { who: 'Walltown' });
    expect(await queue.pending('greet')).toBe(1);
    await queue.work<{ who: string }>('greet', async (job) => {
      seen.push(job.data.who);
    });
    await until(async () => (await queue.pending()) === 0, 'the job to finish');
    expect(seen).toEqual(['Walltown']);
  });

  it('retries a failing job until it succeeds', async () => {
    const queue = await start();
    let attempts = 0;
    await queue.work('flaky', async () => {
      attempts++;
      if (attempts < 3) throw new Error(`attempt ${attempts} fails`);
    });
    await queue.send('flaky', {});
    await until(async () => attempts >= 3 && (await queue.pending('flaky')) === 0, 'three attempts');
    expect(attempts).toBe(3);
    expect(await queue.failed('flaky')).toBe(0);
  });

  it('runs after a restart a job that was sent but not done when the queue stopped', async () => {
    const first = await start();
    await first.send('later', { n: 1 });
    await first.send('later', { n: 2 });
    await first.stop();

    const second = await start();
    expect(await second.pending('later')).toBe(2);
    const done: number[] = [];
    await second.work<{ n: number }>('later', async (job) => {
      done.push(job.data.n);
    });
    await until(async () => (await second.pending('later')) === 0, 'both jobs after restart');
    expect(done.sort()).toEqual([1, 2]);
  });

  it('retries after a restart a job that was running when the queue stopped', async () => {
    const first = await start();
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => {
      release = resolve;
    });
    let startedFirst = false;
    await first.work('slow', async () => {
      startedFirst = true;
      await blocked;
      throw new Error('interrupted');
    });
    await first.send('slow', {});
    await until(() => startedFirst, 'the first attempt to start');
    const stopping = first.stop({ timeoutMs: 1000 });
    setTimeout(release, 1500);
    await stopping;

    const second = await start();
    let ran = 0;
    await second.work('slow', async () => {
      ran++;
    });
    await until(async () => ran === 1 && (await second.pending('slow')) === 0, 'the retried job');
  });

  it('keeps one waiting job per key on a short queue', async () => {
    const queue = await start({ rebuild: { policy: 'short' } });
    const a = await queue.send('rebuild', {}, { singletonKey: 'all' });
    const b = await queue.send('rebuild', {}, { singletonKey: 'all' });
    expect(a).toBeTruthy();
    expect(b).toBeNull();
    expect(await queue.pending('rebuild')).toBe(1);
  });

  it('creates every declared queue at start, several at once', async () => {
    const queue = await start({ a: {}, b: { policy: 'short' }, c: { policy: 'stately' }, d: {} });
    for (const name of ['a', 'b', 'c', 'd']) expect(await queue.send(name, {}, { singletonKey: 'k' })).toBeTruthy();
    expect(await queue.pending()).toBe(4);
  });

  it('binds a job to a transaction: rolled back, it never exists', async () => {
    const queue = await start({ outbox: {} });
    await expect(
      db.sql.transaction(async (tx) => {
        await queue.send('outbox', { n: 1 }, { db: tx });
        throw new Error('the writer fails');
      }),
    ).rejects.toThrow('the writer fails');
    expect(await queue.pending('outbox')).toBe(0);
    await db.sql.transaction(async (tx) => {
      await queue.send('outbox', { n: 2 }, { db: tx });
    });
    expect(await queue.pending('outbox')).toBe(1);
  });
});
