import { describe, expect, test } from 'vitest';
import { createMetrics } from './metrics.ts';
import { operationMetricsPlugin } from './operation-metrics.ts';

async function respond(
  metrics: ReturnType<typeof createMetrics>,
  context: { operationName?: string; status?: number; errors?: { extensions?: { code?: string } }[]; role?: string },
) {
  const listener = await operationMetricsPlugin(metrics).requestDidStart?.({} as never);
  await listener?.willSendResponse?.({
    request: {},
    operationName: context.operationName,
    document: undefined,
    response: {
      body: { kind: 'single', singleResult: { errors: context.errors } },
      http: { status: context.status },
    },
    contextValue: { identity: { role: context.role ?? 'PUBLIC' }, requestId: 'r', client: 'address:127.0.0.1' },
  } as never);
}

describe('operationMetricsPlugin', () => {
  test('counts each operation by name and status, and its error codes', async () => {
    const metrics = createMetrics();
    await respond(metrics, { operationName: 'ConcernList_Page' });
    await respond(metrics, {
      operationName: 'Broken',
      status: 400,
      errors: [{ extensions: { code: 'QUERY_TOO_DEEP' } }],
    });
    const text = await metrics.registry.metrics();
    expect(text).toContain('civic_gateway_requests_total{operation="ConcernList_Page",status="200"} 1');
    expect(text).toContain('civic_gateway_requests_total{operation="Broken",status="400"} 1');
    expect(text).toContain('civic_gateway_errors_total{operation="Broken",code="QUERY_TOO_DEEP"} 1');
  });

  test('an unnamed operation is "anonymous", an error without a code INTERNAL_SERVER_ERROR', async () => {
    const metrics = createMetrics();
    await respond(metrics, { errors: [{}] });
    const text = await metrics.registry.metrics();
    expect(text).toContain('civic_gateway_errors_total{operation="anonymous",code="INTERNAL_SERVER_ERROR"} 1');
  });
});
