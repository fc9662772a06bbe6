import type { ApiKeyStore } from '@civic/auth/api-keys';
import { createJwtVerifier, type JwtSettings, TokenError } from '@civic/auth/jwt';
import { HttpError, type IncomingRequest } from '@civic/server-kit/http';
import { type Identity, PUBLIC_IDENTITY } from '@civic/server-kit/identity';
import type { Logger } from '@civic/server-kit/logger';

export interface Authenticated {
  identity: Identity;
  /** What rate limits count against: the API key, the signed-in user, or the client address. */
  rateKey: { kind: 'key' | 'address'; id: string };
}

const unauthenticated = (message: string) =>
  new HttpError(401, 'UNAUTHENTICATED', message, { 'www-authenticate': 'Bearer' });

/**
 * STAFF and ADMIN by JWT, PARTNER by API key (x-api-key, or a `cg_` bearer token), PUBLIC otherwise.
 * Credentials that are present but wrong are refused, never downgraded to PUBLIC.
 */
export function createAuthenticator(options: {
  jwt: JwtSettings;
  apiKeys: ApiKeyStore;
  clientAddress: (req: IncomingRequest) => string;
  logger: Logger;
}) {
  const verifyJwt = createJwtVerifier(options.jwt);

  return async function authenticate(req: IncomingRequest): Promise<Authenticated> {
    const authorization = req.header('authorization')?.trim();
    let apiKey = req.header('x-api-key')?.trim();
    let bearer: string | undefined;
    if (authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!match?.[1]) throw unauthenticated('The Authorization header must be "Bearer <token>"');
      if (match[1].startsWith('cg_')) apiKey ??= match[1];
      else bearer = match[1];
    }
    if (bearer) {
      try {
        const claims = await verifyJwt(bearer);
        return {
          identity: {
            role: claims.role,
            subject: claims.sub,
            department: claims.role === 'STAFF' ? (claims.department ?? null) : null,
            organization: null,
          },
          rateKey: { kind: 'key', id: `user:${claims.sub}` },
        };
      } catch (error) {
        if (!(error instanceof TokenError)) throw error;
        options.logger.info('token refused', { reason: error.message });
        throw unauthenticated('The sign-in token is invalid or expired');
      }
    }
    if (apiKey) {
      const record = await options.apiKeys.verify(apiKey);
      if (!record) throw unauthenticated('The API key is invalid or revoked');
      return {
        identity: { role: 'PARTNER', subject: record.id, department: null, organization: record.organizationId },
        rateKey: { kind: 'key', id: `apikey:${record.id}` },
      };
    }
    return { identity: PUBLIC_IDENTITY, rateKey: { kind: 'address', id: options.clientAddress(req) } };
  };
}
