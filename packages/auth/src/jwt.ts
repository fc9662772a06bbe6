import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify, SignJWT } from 'jose';

export const DEV_ISSUER = 'civic-graph-dev';
export const DEV_AUDIENCE = 'civic-graph';
/** The longest a sign-in token may live (`exp` minus `iat`, and `exp` minus now), by default. */
export const MAX_TOKEN_LIFETIME_SECONDS = 24 * 60 * 60;

/** The roles a sign-in token may carry; PARTNER comes from API keys and PUBLIC from nothing. */
export type TokenRole = 'STAFF' | 'ADMIN';

export interface StaffClaims {
  sub: string;
  role: TokenRole;
  /** STAFF: the department's Organization id. */
  department?: string | undefined;
  name?: string | undefined;
}

export interface JwtSettings {
  jwksUrl?: string | undefined;
  issuer: string;
  audience: string;
  localSecret?: string | undefined;
  /** Tokens must carry `exp`, at most this far after `iat` and after now (default 24 h). */
  maxLifetimeSeconds?: number | undefined;
}

export class TokenError extends Error {}

/** Verifies tokens from the city's OIDC provider (JWKS) and, when configured, the local HS256 key. */
export function createJwtVerifier(settings: JwtSettings) {
  const jwks: JWTVerifyGetKey | undefined = settings.jwksUrl
    ? createRemoteJWKSet(new URL(settings.jwksUrl))
    : undefined;
  const local = settings.localSecret ? new TextEncoder().encode(settings.localSecret) : undefined;
  const options = { issuer: settings.issuer, audience: settings.audience, clockTolerance: 5 };

  return async function verify(token: string): Promise<StaffClaims> {
    let payload: JWTPayload | undefined;
    let lastError: unknown;
    if (local) {
      try {
        payload = (await jwtVerify(token, local, { ...options, algorithms: ['HS256'] })).payload;
      } catch (error) {
        lastError = error;
      }
    }
    if (!payload && jwks) {
      try {
        payload = (await jwtVerify(token, jwks, { ...options, algorithms: ['RS256', 'ES256', 'PS256', 'EdDSA'] }))
          .payload;
      } catch (error) {
        lastError = error;
      }
    }
    if (!payload) {
      throw new TokenError(lastError ? (lastError as Error).message : 'no token verification is configured');
    }
    checkLifetime(payload, settings.maxLifetimeSeconds ?? MAX_TOKEN_LIFETIME_SECONDS);
    return claimsFrom(payload);
  };
}

/** A token without `exp` would never expire; one that lives longer than `max` is refused as well. */
function checkLifetime(payload: JWTPayload, max: number, now = Math.floor(Date.now() / 1000)): void {
  if (typeof payload.exp !== 'number' || !Number.isFinite(payload.exp)) throw new TokenError('token has no expiry');
  if (payload.exp - now > max) throw new TokenError(`token expires more than ${max} s from now`);
  if (typeof payload.iat === 'number' && payload.exp - payload.iat > max) {
    throw new TokenError(`token lives longer than ${max} s`);
  }
}

function claimsFrom(payload: JWTPayload): StaffClaims {
  const role = payload.role;
  if (role !== 'STAFF' && role !== 'ADMIN') throw new TokenError('token has no STAFF or ADMIN role');
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new TokenError('token has no subject');
  const department = typeof payload.department === 'string' && payload.department ? payload.department : undefined;
  if (role === 'STAFF' && !department) throw new TokenError('a STAFF token must name a department');
  const name = typeof payload.name === 'string' ? payload.name : undefined;
  return { sub: payload.sub, role, department, name };
}

/** Signs a development token with the local key (the `civic token` command and tests). */
export async function mintToken(
  secret: string,
  claims: StaffClaims,
  options: { ttl?: string; issuer?: string; audience?: string } = {},
): Promise<string> {
  const body: JWTPayload = { role: claims.role };
  if (claims.department) body.department = claims.department;
  if (claims.name) body.name = claims.name;
  return new SignJWT(body)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(options.issuer ?? DEV_ISSUER)
    .setAudience(options.audience ?? DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.ttl ?? '8h')
    .sign(new TextEncoder().encode(secret));
}
