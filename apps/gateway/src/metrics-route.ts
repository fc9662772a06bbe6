import { timingSafeEqual } from 'node:crypto';
import { type IncomingRequest, type RouteHandler, sendJson } from '@civic/server-kit/http';
import type { Metrics } from './metrics.ts';

/**
 * GET /metrics for Prometheus. The gateway's port is public: with a token only a scraper presenting
 * `Bearer <token>` gets an answer (404 otherwise); without one it answers when `open` (not production).
 */
export function metricsRoute(metrics: Metrics, access: { token: string | undefined; open: boolean }): RouteHandler {
  const expected = access.token ? Buffer.from(`Bearer ${access.token}`) : undefined;
  const allowed = (req: IncomingRequest): boolean => {
    if (expected) {
      const given = Buffer.from(req.header('authorization')?.trim() ?? '');
      return given.length === expected.length && timingSafeEqual(given, expected);
    }
    return access.open;
  };
  return async (req, res) => {
    if (!allowed(req)) return sendJson(res, 404, { error: 'not found' });
    const text = await metrics.registry.metrics();
    res.writeHead(200, { 'content-type': metrics.registry.contentType });
    res.end(text);
  };
}
