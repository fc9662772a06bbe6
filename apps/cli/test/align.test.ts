import { gql } from '@civic/test-stack/graphql';
import { type Stack, startStack } from '@civic/test-stack/stack';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { adminHeaders, civic, cliEnv } from './import-helpers.ts';

describe('civic align: usage', () => {
  test('without --rebuild or --status it prints the usage and exits 2', async () => {
    const run = await civic(['align']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Usage: npm run civic -- align --rebuild/);
  });
});

describe('civic align --rebuild through the running gateway', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ readyTimeoutMs: 180_000 });
  }, 400_000);
  afterAll(async () => {
    await stack?.destroy();
  });

  test('rebuilds with a progress bar and returns once every alignment job is done', async () => {
    const run = await civic(['align', '--rebuild'], cliEnv(stack));
    expect(run.stderr, run.stdout).toMatch(/align: \d+\/\d+ \(100%\)/);
    expect(run.code).toBe(0);
    const total = Number(/align: (\d+) concerns in/.exec(run.stderr)?.[1]);
    expect(total).toBeGreaterThan(0);

    const status = await gql<{
      alignmentStatus: {
        pendingJobs: number;
        pendingConcerns: number;
        lastRebuildAt: string | null;
        automaticallyTagged: number;
        rebuild: { done: number; total: number; finishedAt: string | null };
      };
    }>(
      stack.gatewayUrl,
      '{ alignmentStatus { pendingJobs pendingConcerns lastRebuildAt automaticallyTagged rebuild { done total finishedAt } } }',
      {},
      await adminHeaders(stack),
    );
    expect(status.body.errors).toBeUndefined();
    const s = status.body.data?.alignmentStatus;
    expect(s?.pendingJobs).toBe(0);
    expect(s?.lastRebuildAt).not.toBeNull();
    expect(s?.rebuild).toMatchObject({ done: total, total });
    expect(s?.automaticallyTagged).toBeGreaterThan(0);

    const statusRun = await civic(['align', '--status'], cliEnv(stack));
    expect(statusRun.code).toBe(0);
    expect(statusRun.stdout).toMatch(/^worker running; 0 jobs/);
  }, 300_000);
});
