import { INTERNAL_HEADERS, REQUEST_ID_HEADER } from '@civic/server-kit/identity';
import { describe, expect, test } from 'vitest';
import { tagRequest } from './request-id.ts';
import { fakeRequest, fakeResponse } from './test-doubles.ts';

describe('tagRequest', () => {
  test('keeps a plain client request id, and echoes it', () => {
    const req = fakeRequest({ headers: { [REQUEST_ID_HEADER]: 'client-id.1' } });
    const { res, recorded } = fakeResponse();
    expect(tagRequest(req, res)).toBe('client-id.1');
    expect(recorded.headers[REQUEST_ID_HEADER]).toBe('client-id.1');
  });

  test('replaces a malformed or missing id with a new UUID', () => {
    const req = fakeRequest({ headers: { [REQUEST_ID_HEADER]: 'not ok\n' } });
    const id = tagRequest(req, fakeResponse().res);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(req.header(REQUEST_ID_HEADER)).toBe(id);
    expect(tagRequest(fakeRequest(), fakeResponse().res)).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('drops the internal identity headers a client sends', () => {
    const sent = Object.fromEntries(Object.values(INTERNAL_HEADERS).map((name) => [name, 'forged']));
    const req = fakeRequest({ headers: sent });
    tagRequest(req, fakeResponse().res);
    for (const name of Object.values(INTERNAL_HEADERS)) expect(req.header(name)).toBeUndefined();
  });
});
