import { API_KEY_DISPLAY_PREFIX_LENGTH } from '@civic/auth/api-keys';
import { HttpError, type IncomingRequest } from '@civic/server-kit/http';
import type { Logger } from '@civic/server-kit/logger';
import type { Authenticated } from './auth.ts';
import type { RateLimiter } from './rate-limit.ts';

/** Whether a request presents credentials at all (an API key or an Authorization header). */
export function presentsCredentials(req: IncomingRequest): boolean {
  return Boolean(req.header('authorization')?.trim() || req.header('x-api-key')?.trim());
}

/** The display prefix of the API key a request presents, if it looks like one. */
function apiKeyPrefix(req: IncomingRequest): string | undefined {
  const authorization = /^Bearer\s+(cg_\S+)$/i.exec(req.header('authorization')?.trim() ?? '')?.[1];
  const key = req.header('x-api-key')?.trim() || authorization;
  return key?.startsWith('cg_') ? key.slice(0, API_KEY_DISPLAY_PREFIX_LENGTH) : undefined;
}

/**
 * Failed sign-ins (401) counted per client and per API-key prefix in the rate limiter's store
 * (memory, or Redis shared by every instance). Once `limit` failures are counted in a window,
 * credentials from that client or with that prefix get 429 `RATE_LIMITED` with Retry-After before
 * they are verified, so guessing keys costs no database lookups.
 */
export function authFailureGuard(options: {
  limiter: RateLimiter;
  limit: number;
  clientAddress: (req: IncomingRequest) => string;
  authenticate: (req: IncomingRequest) => Promise<Authenticated>;
  logger: Logger;
}) {
  const counters = (req: IncomingRequest) => {
    const keys = [`authfail:address:${options.clientAddress(req)}`];
    const prefix = apiKeyPrefix(req);
    if (prefix) keys.push(`authfail:prefix:${prefix}`);
    return keys;
  };
  const storeDown = (error: unknown) => {
    // A rate-limit store outage must not take sign-in down: allow, and say so in the log.
    options.logger.warn('rate limiter unavailable; not counting failed sign-ins', { error });
    return null;
  };

  /** Throws 429 when the client or the key prefix has failed too often in this window. */
  async function check(req: IncomingRequest): Promise<void> {
    if (!presentsCredentials(req)) return;
    for (const key of counters(req)) {
      const seen = await options.limiter.peek(key).catch(storeDown);
      if (seen && seen.count >= options.limit) {
        throw new HttpError(429, 'RATE_LIMITED', 'Too many failed sign-in attempts; try again later', {
          'retry-after': String(seen.retryAfterSeconds),
        });
      }
    }
  }

  /** `authenticate`, refused early after too many failures, each 401 counted. */
  async function authenticate(req: IncomingRequest): Promise<Authenticated> {
    await check(req);
    try {
      return await options.authenticate(req);
    } catch (error) {
      if (error instanceof HttpError && error.status === 401) {
        await Promise.all(counters(req).map((key) => options.limiter.hit(key, options.limit).catch(storeDown)));
      }
      throw error;
    }
  }

  return { check, authenticate };
}
