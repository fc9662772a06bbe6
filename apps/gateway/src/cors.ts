import type { ServerResponse } from 'node:http';
import type { IncomingRequest } from '@civic/server-kit/http';

const EXPOSED_HEADERS = 'retry-after, x-request-id, ratelimit-limit, ratelimit-remaining';
const SIGNED_IN_REQUEST_HEADERS = 'content-type, authorization, x-api-key, apollo-require-preflight, x-request-id';
const ANONYMOUS_REQUEST_HEADERS = 'content-type, apollo-require-preflight, x-request-id';

export interface CorsSettings {
  /** Origins that may call with credentials (the web client). */
  origins: string[];
  /** Origins that may make anonymous calls only; '*' for any. */
  publicOrigins: string[];
}

interface Grant {
  allowOrigin: string;
  credentials: boolean;
  requestHeaders: string;
}

/**
 * CORS for /graphql and the gateway's other routes (open data and Open311 have their own, `*`).
 * Public origins get anonymous access only: no credentials, and no API key or token headers.
 * The returned function sets the response headers and answers a preflight itself (returns true).
 */
export function corsPolicy(settings: CorsSettings): (req: IncomingRequest, res: ServerResponse) => boolean {
  const anyPublicOrigin = settings.publicOrigins.includes('*');
  const grantFor = (origin: string | undefined): Grant | undefined => {
    if (!origin) return undefined;
    if (settings.origins.includes(origin)) {
      return { allowOrigin: origin, credentials: true, requestHeaders: SIGNED_IN_REQUEST_HEADERS };
    }
    if (anyPublicOrigin || settings.publicOrigins.includes(origin)) {
      return {
        allowOrigin: anyPublicOrigin ? '*' : origin,
        credentials: false,
        requestHeaders: ANONYMOUS_REQUEST_HEADERS,
      };
    }
    return undefined;
  };

  return (req, res) => {
    const grant = grantFor(req.header('origin'));
    if (grant) {
      res.setHeader('access-control-allow-origin', grant.allowOrigin);
      res.setHeader('vary', 'origin');
      if (grant.credentials) res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
    }
    if (req.method !== 'OPTIONS') return false;
    if (!grant) {
      res.writeHead(403).end();
      return true;
    }
    res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
    res.setHeader('access-control-allow-headers', grant.requestHeaders);
    res.setHeader('access-control-max-age', '600');
    res.writeHead(204).end();
    return true;
  };
}
