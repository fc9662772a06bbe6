import { describe, expect, test } from 'vitest';
import { createMetrics } from '../src/metrics.ts';

async function labelled(metrics: ReturnType<typeof createMetrics>, operation: string): Promise<boolean> {
  const text = await metrics.registry.metrics();
  return text.includes(`civic_gateway_requests_total{operation="${operation}",status="200"}`);
}

describe('operation-name labels (issue 21, item 6)', () => {
  test('510 junk names from one client cannot push real operations into "other"', async () => {
    const metrics = createMetrics();
    const attacker = { client: 'address:203.0.113.9', trusted: false };
    for (let i = 0; i < 510; i++) metrics.observeRequest(`Junk${i}`, 200, 0.01, [], attacker);
    // Another public client, a partner key and signed-in staff still get their own labels.
    metrics.observeRequest('ConcernList_Page', 200, 0.01, [], { client: 'address:198.51.100.7', trusted: false });
    metrics.observeRequest('MyOrganizationServices', 200, 0.01, [], { client: 'key:apikey:k1', trusted: false });
    metrics.observeRequest('ReviewPage_Drafts', 200, 0.01, [], { client: 'key:user:staff-1', trusted: true });
    for (const name of ['ConcernList_Page', 'MyOrganizationServices', 'ReviewPage_Drafts']) {
      expect(await labelled(metrics, name), name).toBe(true);
    }
    // The attacker's names beyond its share are counted, as "other".
    expect(await labelled(metrics, 'Junk509')).toBe(false);
    expect(await labelled(metrics, 'other')).toBe(true);
  });

  test('many clients together take at most 400 labels; signed-in staff keep the rest', async () => {
    const metrics = createMetrics();
    for (let c = 0; c < 60; c++) {
      for (let i = 0; i < 20; i++) {
        metrics.observeRequest(`Junk${c}_${i}`, 200, 0.01, [], { client: `address:10.0.${c}.1`, trusted: false });
      }
    }
    metrics.observeRequest('AlignPanel_Options', 200, 0.01, [], { client: 'key:user:staff-2', trusted: true });
    expect(await labelled(metrics, 'AlignPanel_Options')).toBe(true);
    const text = await metrics.registry.metrics();
    const junk = new Set(text.match(/operation="Junk\d+_\d+"/g) ?? []);
    expect(junk.size).toBe(400);
  });

  test("a name already labelled stays labelled for every caller, and the gateway's own operations are labelled", async () => {
    const metrics = createMetrics();
    const attacker = { client: 'address:203.0.113.9', trusted: false };
    metrics.observeRequest('PublishedConcerns', 200, 0.01, []);
    for (let i = 0; i < 30; i++) metrics.observeRequest(`Junk${i}`, 200, 0.01, [], attacker);
    metrics.observeRequest('PublishedConcerns', 200, 0.01, [], attacker);
    expect(await metrics.registry.metrics()).toContain(
      'civic_gateway_requests_total{operation="PublishedConcerns",status="200"} 2',
    );
  });
});
