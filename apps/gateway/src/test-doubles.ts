import type { ServerResponse } from 'node:http';
import type { IncomingRequest } from '@civic/server-kit/http';

/** A request as server-kit hands it to the gateway, for unit tests. */
export function fakeRequest(
  options: { method?: string; path?: string; search?: string; headers?: Record<string, string> } = {},
): IncomingRequest {
  const headers: IncomingRequest['headers'] = {};
  for (const [name, value] of Object.entries(options.headers ?? {})) headers[name.toLowerCase()] = value;
  return {
    method: options.method ?? 'POST',
    path: options.path ?? '/graphql',
    search: options.search ?? '',
    headers,
    header: (name) => {
      const value = headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    body: Buffer.alloc(0),
    remoteAddress: '192.0.2.1',
  };
}

/** A response that records what was set and sent. */
export function fakeResponse() {
  const recorded = {
    status: undefined as number | undefined,
    headers: {} as Record<string, string>,
    body: '',
    ended: false,
  };
  const res = {
    setHeader(name: string, value: string) {
      recorded.headers[name.toLowerCase()] = String(value);
      return res;
    },
    writeHead(status: number, headers: Record<string, string> = {}) {
      recorded.status = status;
      for (const [name, value] of Object.entries(headers)) recorded.headers[name.toLowerCase()] = String(value);
      return res;
    },
    end(body?: string | Buffer) {
      recorded.body = body === undefined ? '' : String(body);
      recorded.ended = true;
      return res;
    },
  };
  return { res: res as unknown as ServerResponse, recorded };
}
