import type { ServerResponse } from 'node:http';
import { HttpError, type IncomingRequest } from '@civic/server-kit/http';
import type { Logger } from '@civic/server-kit/logger';
import type { Authenticated } from './auth.ts';
import { authFailureGuard } from './auth-failures.ts';
import type { GatewayEnv } from './env.ts';
import type { Metrics } from './metrics.ts';
import type { RateLimiter } from './rate-limit.ts';

/** The caller's address: the first `x-forwarded-for` hop behind a trusted proxy, else the socket's. */
export function clientAddressOf(trustProxy: boolean): (req: IncomingRequest) => string {
  return (req) => {
    if (trustProxy) {
      const forwarded = req.header('x-forwarded-for')?.split(',')[0]?.trim();
      if (forwarded) return forwarded;
    }
    return req.remoteAddress;
  };
}

const SIGN_IN_TOKEN = /^Bearer\s+(?!cg_)\S+$/i;

/**
 * Who may send what to /graphql: the body limit (raised only for a valid STAFF/ADMIN sign-in token,
 * checked before the body is read), authentication with failed sign-ins counted, and the rate limit.
 */
export function createAdmission(options: {
  authenticate: (req: IncomingRequest) => Promise<Authenticated>;
  limiter: RateLimiter;
  clientAddress: (req: IncomingRequest) => string;
  rateLimit: Pick<GatewayEnv['rateLimit'], 'perAddress' | 'perKey' | 'authFailures'>;
  bodyLimits: { anyone: number; staff: number };
  metrics: Pick<Metrics, 'observeRejection'>;
  logger: Logger;
}) {
  const { limiter, logger } = options;
  // Sign-ins for /graphql and /admin: refused for a while after too many failures (429).
  const signIn = authFailureGuard({
    limiter,
    limit: options.rateLimit.authFailures,
    clientAddress: options.clientAddress,
    authenticate: options.authenticate,
    logger,
  });
  // A sign-in verified to choose the body limit is not verified again for the same request.
  const verifiedHeaders = new WeakMap<IncomingRequest['headers'], Authenticated>();

  async function maxBodyBytes(req: IncomingRequest): Promise<number> {
    if (!SIGN_IN_TOKEN.test(req.header('authorization')?.trim() ?? '')) return options.bodyLimits.anyone;
    const auth = await options.authenticate(req).catch(() => undefined);
    if (!auth) return options.bodyLimits.anyone;
    verifiedHeaders.set(req.headers, auth);
    const staff = auth.identity.role === 'STAFF' || auth.identity.role === 'ADMIN';
    return staff ? options.bodyLimits.staff : options.bodyLimits.anyone;
  }

  async function countAgainstRateLimit(auth: Authenticated, res: ServerResponse, requestId: string): Promise<void> {
    const { rateKey } = auth;
    const limit = rateKey.kind === 'key' ? options.rateLimit.perKey : options.rateLimit.perAddress;
    const decision = await limiter.hit(`${rateKey.kind}:${rateKey.id}`, limit).catch((error: unknown) => {
      // A rate-limit store outage must not take the API down: allow, and say so in the log.
      logger.warn('rate limiter unavailable; allowing request', { error, requestId });
      return null;
    });
    if (!decision) return;
    res.setHeader('ratelimit-limit', String(decision.limit));
    res.setHeader('ratelimit-remaining', String(decision.remaining));
    if (!decision.allowed) {
      throw new HttpError(429, 'RATE_LIMITED', 'Too many requests; try again later', {
        'retry-after': String(decision.retryAfterSeconds),
      });
    }
  }

  /** The caller of a /graphql request, counted against its rate limit; refusals are HttpErrors. */
  async function admit(req: IncomingRequest, res: ServerResponse, requestId: string): Promise<Authenticated> {
    try {
      const verified = verifiedHeaders.get(req.headers);
      if (verified) await signIn.check(req);
      const auth = verified ?? (await signIn.authenticate(req));
      await countAgainstRateLimit(auth, res, requestId);
      return auth;
    } catch (error) {
      if (error instanceof HttpError) {
        options.metrics.observeRejection(error.code);
        logger.info('request refused', { requestId, status: error.status, code: error.code });
      }
      throw error;
    }
  }

  return { maxBodyBytes, admit, signIn: signIn.authenticate };
}
