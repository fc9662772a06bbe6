import { createTestDatabase, type TestDatabase, testDatabaseKind } from '@civic/db/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type JobQueue, startJobQueue } from '../src/queue.ts';

async function until(check: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe(`cron schedules on ${testDatabaseKind()}`, () => {
  let db: TestDatabase;
  let queue: JobQueue | undefined;
  beforeEach(async () => {
    db = await createTestDatabase('jobs-schedule');
  });
  afterEach(async () => {
    await queue?.stop();
    await db.destroy();
  });

  it('a scheduled job is sent by the timekeeper and run by a worker', async () => {
    queue = await startJobQueue(db, { schema: 'jobs_schedule', pollingIntervalSeconds: 0.5, schedules: true });
    const seen: string[] = [];
    await queue.work<{ what: string }>('tick', async (job) => {
      seen.push(job.data.what);
    });
    await queue.schedule('tick', '* * * * *', { what: 'every minute' }, { tz: 'America/New_York' });
    const rows = await db.sql.query<{ name: string; cron: string; timezone: string }>(
      'select name, cron, timezone from jobs_schedule.schedule',
    );
    expect(rows).toEqual([{ name: 'tick', cron: '* * * * *', timezone: 'America/New_York' }]);
    // pg-boss checks schedules every 30 s; an every-minute cron is due at each check.
    await until(() => seen.length > 0, 'the scheduled job');
    expect(seen[0]).toBe('every minute');
  }, 180_000);

  it('refuses to schedule on a queue started without schedules', async () => {
    queue = await startJobQueue(db, { schema: 'jobs_schedule_off' });
    await expect(queue.schedule('tick', '* * * * *', {})).rejects.toThrow(/schedules: true/);
  });
});
