import { gql } from '@civic/test-stack/graphql';
import { type Stack, startStack } from '@civic/test-stack/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The built processes: engagement, initiatives, resources and the gateway. The initiatives timer
// retries every second, so its first runs fail (the gateway starts last) and a later one succeeds.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    env: { INITIATIVES_MEASURE_REFRESH_DELAY_MS: '0', INITIATIVES_MEASURE_REFRESH_INTERVAL_MS: '1000' },
  });
});
afterAll(async () => {
  await stack?.destroy();
});

interface Measures {
  initiative: {
    measures: {
      name: string;
      refreshedAt: string | null;
      observations: { period: string; value: number; automatic: boolean }[];
    }[];
  };
}

describe('the automatic measure through the gateway', () => {
  it("3.13's conversations measure follows engagement's published conversations per month", async () => {
    const stats = await gql<{ conversationStats: { month: string; published: number }[] }>(
      stack.gatewayUrl,
      '{ conversationStats { month published } }',
    );
    expect(stats.body.errors).toBeUndefined();
    const months = stats.body.data?.conversationStats ?? [];
    expect(months.length).toBeGreaterThan(0);

    const query = `{ initiative(code: "3.13") { measures { name refreshedAt observations { period value automatic } } } }`;
    let measure: Measures['initiative']['measures'][number] | undefined;
    await expect
      .poll(
        async () => {
          const result = await gql<Measures>(stack.gatewayUrl, query);
          measure = result.body.data?.initiative.measures.find((m) => m.name === 'Community Conversations Uploaded');
          return measure?.refreshedAt ?? null;
        },
        { timeout: 30_000, interval: 500 },
      )
      .not.toBeNull();
    const automatic = new Map(measure?.observations.filter((o) => o.automatic).map((o) => [o.period, o.value]) ?? []);
    for (const { month, published } of months) expect(automatic.get(month), month).toBe(published);
  });
});
