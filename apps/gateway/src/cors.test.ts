import { describe, expect, test } from 'vitest';
import { corsPolicy } from './cors.ts';
import { fakeRequest, fakeResponse } from './test-doubles.ts';

const WEB = 'http://localhost:5173';
const PARTNER_SITE = 'https://partner.example';

function call(policy: ReturnType<typeof corsPolicy>, method: string, origin?: string) {
  const { res, recorded } = fakeResponse();
  const answered = policy(fakeRequest({ method, headers: origin ? { origin } : {} }), res);
  return { answered, ...recorded };
}

describe('corsPolicy', () => {
  const policy = corsPolicy({ origins: [WEB], publicOrigins: [PARTNER_SITE] });

  test('the web client may call with credentials and every sign-in header', () => {
    const simple = call(policy, 'POST', WEB);
    expect(simple.answered).toBe(false);
    expect(simple.headers).toMatchObject({
      'access-control-allow-origin': WEB,
      'access-control-allow-credentials': 'true',
      vary: 'origin',
      'access-control-expose-headers': 'retry-after, x-request-id, ratelimit-limit, ratelimit-remaining',
    });
    const preflight = call(policy, 'OPTIONS', WEB);
    expect(preflight).toMatchObject({ answered: true, status: 204 });
    expect(preflight.headers['access-control-allow-headers']).toBe(
      'content-type, authorization, x-api-key, apollo-require-preflight, x-request-id',
    );
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, POST, OPTIONS');
    expect(preflight.headers['access-control-max-age']).toBe('600');
  });

  test('a public origin gets anonymous access only: no credentials, no key or token headers', () => {
    const simple = call(policy, 'POST', PARTNER_SITE);
    expect(simple.headers['access-control-allow-origin']).toBe(PARTNER_SITE);
    expect(simple.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = call(policy, 'OPTIONS', PARTNER_SITE);
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toBe(
      'content-type, apollo-require-preflight, x-request-id',
    );
  });

  test('any public origin with "*": the answer is "*", and credentialed origins still win', () => {
    const open = corsPolicy({ origins: [WEB], publicOrigins: ['*'] });
    expect(call(open, 'POST', 'https://anyone.example').headers['access-control-allow-origin']).toBe('*');
    expect(call(open, 'POST', WEB).headers['access-control-allow-credentials']).toBe('true');
  });

  test('other origins get no CORS headers, and their preflight 403', () => {
    const simple = call(policy, 'POST', 'https://elsewhere.example');
    expect(simple).toMatchObject({ answered: false, headers: {} });
    expect(call(policy, 'OPTIONS', 'https://elsewhere.example')).toMatchObject({ answered: true, status: 403 });
    expect(call(policy, 'OPTIONS')).toMatchObject({ answered: true, status: 403 });
  });
});
