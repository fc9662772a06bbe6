import { Agent, request } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** What RemoteGraphQLDataSource reads of a fetch response, with the whole body already read. */
export class SubgraphResponse {
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };

  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText: string,
    private readonly headerValues: Readonly<Record<string, string>>,
    readonly body: string,
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = { get: (name) => headerValues[name.toLowerCase()] ?? null };
  }

  async text(): Promise<string> {
    return this.body;
  }

  async json(): Promise<unknown> {
    return JSON.parse(this.body);
  }

  /** Another response with the same content, for a second caller of a shared fetch. */
  copy(): SubgraphResponse {
    return this.withBody(this.body);
  }

  /** The same status and headers with another body (one operation's answer out of a batch's). */
  withBody(body: string): SubgraphResponse {
    return new SubgraphResponse(this.url, this.status, this.statusText, this.headerValues, body);
  }
}

export class SubgraphTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

// Subgraph connections are kept alive and reused; ten callers in flight need about ten sockets each.
const agents = {
  http: new Agent({ keepAlive: true, maxSockets: 128, maxFreeSockets: 32, scheduling: 'lifo' }),
  https: new HttpsAgent({ keepAlive: true, maxSockets: 128, maxFreeSockets: 32, scheduling: 'lifo' }),
};

/**
 * POSTs a subgraph fetch with Node's own HTTP client. The gateway makes several of these for
 * every operation; the global fetch (undici, web streams, an AbortSignal per call) cost about a
 * quarter of the gateway's CPU in profiles of the concern page.
 *
 * `retryOnStaleConnection` (queries and GETs, which are safe to send twice): a request written to a
 * kept-alive connection that the subgraph had just closed (a restart, its idle timeout) fails with
 * ECONNRESET before any answer; it is sent once more on a new connection, as Node's documentation of
 * `request.reusedSocket` recommends. A mutation is never resent.
 */
export async function subgraphFetch(
  url: string,
  init: { method?: string; headers: Record<string, string>; body: string },
  timeoutMs: number,
  options: { retryOnStaleConnection?: boolean } = {},
): Promise<SubgraphResponse> {
  const started = Date.now();
  try {
    return await fetchOnce(url, init, timeoutMs);
  } catch (error) {
    const stale = error instanceof StaleConnectionError;
    const left = timeoutMs - (Date.now() - started);
    if (!stale || !options.retryOnStaleConnection || left <= 0) throw stale ? error.cause : error;
    return fetchOnce(url, init, left).catch((again: unknown) => {
      throw again instanceof StaleConnectionError ? again.cause : again;
    });
  }
}

/** A request that failed on a reused connection before any answer came. */
class StaleConnectionError extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}

function fetchOnce(
  url: string,
  init: { method?: string; headers: Record<string, string>; body: string },
  timeoutMs: number,
): Promise<SubgraphResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    let answered = false;
    const req = (secure ? httpsRequest : request)(
      target,
      {
        method: init.method ?? 'POST',
        headers: { ...init.headers, 'content-length': Buffer.byteLength(init.body) },
        agent: secure ? agents.https : agents.http,
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve(
            new SubgraphResponse(
              url,
              res.statusCode ?? 0,
              res.statusMessage ?? '',
              headers,
              Buffer.concat(chunks).toString('utf8'),
            ),
          );
        });
      },
    );
    const timer = setTimeout(
      () => fail(new SubgraphTimeoutError(`no answer from ${url} in ${timeoutMs} ms`)),
      timeoutMs,
    );
    function fail(error: Error) {
      clearTimeout(timer);
      req.destroy();
      const code = (error as NodeJS.ErrnoException).code;
      const stale = req.reusedSocket && !answered && (code === 'ECONNRESET' || code === 'EPIPE');
      reject(stale ? new StaleConnectionError(error) : error);
    }
    req.on('error', fail);
    req.end(init.body);
  });
}
