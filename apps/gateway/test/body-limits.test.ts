import { mintToken } from '@civic/auth/jwt';
import { DEPARTMENTS } from '@civic/reference-data/departments';
import type { Stack } from '@civic/test-stack/stack';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bearer, gql, productionStack, staffToken } from './helpers.ts';

// Small limits so the test sends little: PUBLIC/PARTNER 10 kB, STAFF/ADMIN 50 kB.
const SMALL = 10_000;
const STAFF = 50_000;
const QUERY = '{ goals { number } }';
const padded = (bytes: number) => ({ padding: 'x'.repeat(bytes) });

let stack: Stack;
// The limit is chosen before any API key is looked up: a key, valid or not, never lifts it.
const partnerKey = `cg_live_${'A'.repeat(43)}`;
beforeAll(async () => {
  stack = await productionStack({
    seed: 'none',
    gatewayEnv: { MAX_BODY_BYTES: String(SMALL), MAX_STAFF_BODY_BYTES: String(STAFF) },
  });
});
afterAll(async () => stack?.destroy());

async function status(headers: Record<string, string>, bytes: number) {
  const response = await gql(stack.gatewayUrl, QUERY, padded(bytes), headers);
  return { status: response.status, code: response.body.errors?.[0]?.extensions?.code };
}

describe('request body limits by role', () => {
  test('PUBLIC, API keys (PARTNER) and refused tokens keep MAX_BODY_BYTES (413 above it)', async () => {
    expect(await status({}, SMALL * 2)).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(await status({ authorization: 'Bearer not-a-valid-token' }, SMALL * 2)).toEqual({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    });
    expect(await status({ 'x-api-key': partnerKey }, SMALL * 2)).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(await status(bearer(partnerKey), SMALL * 2)).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect((await status({ 'x-api-key': partnerKey }, SMALL / 2)).status).toBe(401);
    expect((await status({}, SMALL / 2)).status).toBe(200);
  });

  test('signed-in STAFF and ADMIN may send up to MAX_STAFF_BODY_BYTES, not more', async () => {
    const staff = bearer(await staffToken(stack, { role: 'STAFF', department: DEPARTMENTS[0]?.id }));
    const admin = bearer(await staffToken(stack, { role: 'ADMIN' }));
    for (const headers of [staff, admin]) {
      expect(await status(headers, SMALL * 2)).toEqual({ status: 200, code: undefined });
      expect(await status(headers, STAFF * 2)).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    }
  });

  test('an ADMIN token signed with another key gets the small limit (413 above it) and is refused (401) below it', async () => {
    const forged = bearer(await mintToken('another-signing-key-that-is-long-enough-0', { sub: 'x', role: 'ADMIN' }));
    expect(await status(forged, SMALL * 2)).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect((await status(forged, SMALL / 2)).status).toBe(401);
  });
});
