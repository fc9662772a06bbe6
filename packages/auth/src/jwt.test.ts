import { SignJWT } from 'jose';
import { describe, expect, test } from 'vitest';
import { createJwtVerifier, DEV_AUDIENCE, DEV_ISSUER, mintToken, TokenError } from './jwt.ts';

const secret = 'a-development-signing-key-of-forty-chars!';
const verify = createJwtVerifier({ issuer: DEV_ISSUER, audience: DEV_AUDIENCE, localSecret: secret });

function sign(times: { iat?: number; exp?: number }) {
  const jwt = new SignJWT({ role: 'ADMIN' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('admin-1')
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE);
  if (times.iat !== undefined) jwt.setIssuedAt(times.iat);
  if (times.exp !== undefined) jwt.setExpirationTime(times.exp);
  return jwt.sign(new TextEncoder().encode(secret));
}

const now = () => Math.floor(Date.now() / 1000);

describe('sign-in token lifetime (issue 21, item 8)', () => {
  test('a token without exp is refused, with or without iat', async () => {
    await expect(verify(await sign({}))).rejects.toThrow(TokenError);
    await expect(verify(await sign({ iat: now() }))).rejects.toThrow('no expiry');
  });

  test('a token living longer than the maximum (24 h by default) is refused', async () => {
    await expect(verify(await sign({ iat: now(), exp: now() + 30 * 86_400 }))).rejects.toThrow(TokenError);
    // Expiring soon, but issued long ago for a long life: still over the maximum.
    await expect(verify(await sign({ iat: now() - 40 * 86_400, exp: now() + 60 }))).rejects.toThrow(TokenError);
    // No iat to measure from: exp far ahead is enough to refuse it.
    await expect(verify(await sign({ exp: now() + 2 * 86_400 }))).rejects.toThrow(TokenError);
  });

  test('tokens within the maximum pass; the limit is configurable', async () => {
    expect((await verify(await sign({ iat: now(), exp: now() + 3_600 }))).sub).toBe('admin-1');
    expect((await verify(await mintToken(secret, { sub: 'dev', role: 'ADMIN' }))).sub).toBe('dev');
    const strict = createJwtVerifier({
      issuer: DEV_ISSUER,
      audience: DEV_AUDIENCE,
      localSecret: secret,
      maxLifetimeSeconds: 600,
    });
    await expect(strict(await mintToken(secret, { sub: 'dev', role: 'ADMIN' }, { ttl: '1h' }))).rejects.toThrow(
      TokenError,
    );
    expect((await strict(await mintToken(secret, { sub: 'dev', role: 'ADMIN' }, { ttl: '5m' }))).sub).toBe('dev');
  });
});
