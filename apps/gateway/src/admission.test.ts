import { HttpError, type IncomingRequest } from '@civic/server-kit/http';
import { PUBLIC_IDENTITY } from '@civic/server-kit/identity';
import { createLogger } from '@civic/server-kit/logger';
import { describe, expect, test } from 'vitest';
import { clientAddressOf, createAdmission } from './admission.ts';
import type { Authenticated } from './auth.ts';
import { memoryRateLimiter } from './rate-limit.ts';
import { fakeRequest, fakeResponse } from './test-doubles.ts';

const STAFF: Authenticated = {
  identity: { role: 'STAFF', subject: 'staff-1', department: 'dept-1', organization: null },
  rateKey: { kind: 'key', id: 'user:staff-1' },
};
const PUBLIC_CALLER: Authenticated = { identity: PUBLIC_IDENTITY, rateKey: { kind: 'address', id: '192.0.2.1' } };

function admission(options: { perAddress?: number; authFailures?: number } = {}) {
  const rejections: string[] = [];
  let verifications = 0;
  const authenticate = async (req: IncomingRequest): Promise<Authenticated> => {
    verifications++;
    const authorization = req.header('authorization');
    if (!authorization) return PUBLIC_CALLER;
    if (authorization === 'Bearer good-staff-token') return STAFF;
    throw new HttpError(401, 'UNAUTHENTICATED', 'The sign-in token is invalid or expired');
  };
  const parts = createAdmission({
    authenticate,
    limiter: memoryRateLimiter(60_000),
    clientAddress: clientAddressOf(false),
    rateLimit: { perAddress: options.perAddress ?? 5, perKey: 50, authFailures: options.authFailures ?? 3 },
    bodyLimits: { anyone: 100, staff: 10_000 },
    metrics: { observeRejection: (reason) => rejections.push(reason) },
    logger: createLogger('test', 'error'),
  });
  return { ...parts, rejections, verifications: () => verifications };
}

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: HttpError) => error.code,
  );

describe('admission', () => {
  test('the body limit rises only for a valid STAFF or ADMIN sign-in token, verified once', async () => {
    const gate = admission();
    expect(await gate.maxBodyBytes(fakeRequest())).toBe(100);
    expect(await gate.maxBodyBytes(fakeRequest({ headers: { authorization: 'Bearer cg_live_key' } }))).toBe(100);
    expect(await gate.maxBodyBytes(fakeRequest({ headers: { authorization: 'Bearer forged' } }))).toBe(100);
    const staff = fakeRequest({ headers: { authorization: 'Bearer good-staff-token' } });
    expect(await gate.maxBodyBytes(staff)).toBe(10_000);
    const before = gate.verifications();
    expect((await gate.admit(staff, fakeResponse().res, 'r1')).identity.role).toBe('STAFF');
    expect(gate.verifications()).toBe(before);
  });

  test('counts requests against the caller, with RateLimit headers, then 429 with Retry-After', async () => {
    const gate = admission({ perAddress: 2 });
    const first = fakeResponse();
    await gate.admit(fakeRequest(), first.res, 'r1');
    expect(first.recorded.headers).toMatchObject({ 'ratelimit-limit': '2', 'ratelimit-remaining': '1' });
    await gate.admit(fakeRequest(), fakeResponse().res, 'r2');
    const refused = await gate.admit(fakeRequest(), fakeResponse().res, 'r3').catch((error: HttpError) => error);
    expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect((refused as HttpError).headers?.['retry-after']).toMatch(/^\d+$/);
    expect(gate.rejections).toEqual(['RATE_LIMITED']);
  });

  test('wrong credentials are 401, and after too many failures 429 before any verification', async () => {
    const gate = admission({ authFailures: 2 });
    const forged = () => fakeRequest({ headers: { authorization: 'Bearer forged' } });
    expect(await codeOf(gate.admit(forged(), fakeResponse().res, 'r1'))).toBe('UNAUTHENTICATED');
    expect(await codeOf(gate.admit(forged(), fakeResponse().res, 'r2'))).toBe('UNAUTHENTICATED');
    const verified = gate.verifications();
    expect(await codeOf(gate.admit(forged(), fakeResponse().res, 'r3'))).toBe('RATE_LIMITED');
    expect(gate.verifications()).toBe(verified);
    expect(gate.rejections).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
  });
});

describe('clientAddressOf', () => {
  const forwarded = fakeRequest({ headers: { 'x-forwarded-for': '203.0.113.5, 10.0.0.1' } });
  test('uses the first x-forwarded-for hop only behind a trusted proxy', () => {
    expect(clientAddressOf(true)(forwarded)).toBe('203.0.113.5');
    expect(clientAddressOf(false)(forwarded)).toBe('192.0.2.1');
    expect(clientAddressOf(true)(fakeRequest())).toBe('192.0.2.1');
  });
});
