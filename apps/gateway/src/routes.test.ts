import { describe, expect, test } from 'vitest';
import { wantsIde } from './routes.ts';
import { fakeRequest } from './test-doubles.ts';

describe('wantsIde', () => {
  test('only a browser GET of /graphql without a query gets the IDE', () => {
    const html = { accept: 'text/html,application/xhtml+xml' };
    expect(wantsIde(fakeRequest({ method: 'GET', headers: html }))).toBe(true);
    expect(wantsIde(fakeRequest({ method: 'GET', search: '?query={__typename}', headers: html }))).toBe(false);
    expect(wantsIde(fakeRequest({ method: 'POST', headers: html }))).toBe(false);
    expect(wantsIde(fakeRequest({ method: 'GET', headers: { accept: 'application/json' } }))).toBe(false);
  });
});
