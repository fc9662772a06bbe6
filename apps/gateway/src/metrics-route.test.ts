import { describe, expect, test } from 'vitest';
import { createMetrics } from './metrics.ts';
import { metricsRoute } from './metrics-route.ts';
import { fakeRequest, fakeResponse } from './test-doubles.ts';

async function scrape(route: ReturnType<typeof metricsRoute>, authorization?: string) {
  const { res, recorded } = fakeResponse();
  await route(fakeRequest({ method: 'GET', path: '/metrics', headers: authorization ? { authorization } : {} }), res);
  return recorded;
}

describe('metricsRoute', () => {
  const metrics = createMetrics();

  test('with a token, only that bearer token gets the metrics; others get 404', async () => {
    const route = metricsRoute(metrics, { token: 'scraper-token-0123456789', open: true });
    expect((await scrape(route)).status).toBe(404);
    expect((await scrape(route, 'Bearer wrong')).status).toBe(404);
    const answered = await scrape(route, 'Bearer scraper-token-0123456789');
    expect(answered.status).toBe(200);
    expect(answered.body).toContain('civic_gateway_requests_total');
  });

  test('without a token it answers only when open (outside production)', async () => {
    expect((await scrape(metricsRoute(metrics, { token: undefined, open: true }))).status).toBe(200);
    expect((await scrape(metricsRoute(metrics, { token: undefined, open: false }))).status).toBe(404);
  });
});
