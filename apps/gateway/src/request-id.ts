import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { IncomingRequest } from '@civic/server-kit/http';
import { INTERNAL_HEADERS, REQUEST_ID_HEADER } from '@civic/server-kit/identity';

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * Drops the internal headers a client may have sent (only the gateway sets them) and gives the
 * request its id: the client's `x-request-id` when it is plain and short, a new UUID otherwise.
 */
export function tagRequest(req: IncomingRequest, res: ServerResponse): string {
  for (const name of Object.values(INTERNAL_HEADERS)) delete req.headers[name];
  const given = req.header(REQUEST_ID_HEADER);
  const requestId = given && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
  req.headers[REQUEST_ID_HEADER] = requestId;
  res.setHeader(REQUEST_ID_HEADER, requestId);
  return requestId;
}
