import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { brotliCompress, gzip, constants as zlibConstants } from 'node:zlib';
import { type ApolloServer, type BaseContext, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import { joinBatchAnswers, MAX_BATCH_OPERATIONS } from './batch.ts';
import type { Logger } from './logger.ts';

/** An HTTP failure decided before GraphQL runs (auth, limits); its body is a GraphQL-shaped error. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** A startup problem an operator can fix; printed as one line. */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

export interface IncomingRequest {
  method: string;
  path: string;
  search: string;
  headers: IncomingMessage['headers'];
  header(name: string): string | undefined;
  body: Buffer;
  remoteAddress: string;
}

export type RouteHandler = (req: IncomingRequest, res: ServerResponse) => void | Promise<void>;

export interface HttpServiceOptions<Ctx extends BaseContext> {
  name: string;
  apollo: ApolloServer<Ctx>;
  host: string;
  port: number;
  logger: Logger;
  context: (req: IncomingRequest) => Promise<Ctx>;
  /**
   * Whether a POST may carry a JSON array of operations (`./batch.ts`: the gateway's parallel fetches
   * to one subgraph), run together with one context. Elsewhere Apollo refuses arrays.
   */
  batches?: boolean;
  /** A number, or decided per request from its headers (before the body is read). */
  maxBodyBytes?: number | ((req: IncomingRequest) => number | Promise<number>);
  /** Readiness beyond "not shutting down", e.g. database reachable. */
  ready?: () => Promise<boolean>;
  /**
   * Fields /health adds to `{ status: 'ok', service }` (the state of dependencies, for people and
   * dashboards); /health still answers 200, as liveness, whatever they say.
   */
  health?: () => Promise<Record<string, unknown>>;
  routes?: Record<string, RouteHandler>;
  /** Runs before routing; may answer the request itself (CORS preflight) by returning true. */
  before?: (req: IncomingRequest, res: ServerResponse) => boolean | Promise<boolean>;
  /** Called after each GraphQL request with its duration. */
  onGraphQLResponse?: (req: IncomingRequest, status: number, ms: number) => void;
  /** Compress GraphQL answers of at least this many bytes for clients that accept br or gzip (off when unset). */
  compressAboveBytes?: number;
  /** How long shutdown waits for in-flight requests. */
  drainMs?: number;
  /**
   * How long shutdown keeps serving with readiness failed before it stops accepting, so a load
   * balancer sees /ready fail and moves traffic away first (default 0).
   */
  drainGraceMs?: number;
}

export interface HttpService {
  server: Server;
  url: string;
  port: number;
  /** Fails readiness, stops accepting, lets in-flight requests finish, then stops Apollo. */
  close(): Promise<void>;
}

/**
 * An answer already serialized by the plugin that produced it (a response cache hit), sent as these
 * bytes instead of Apollo's serialization of the result the plugin handed Apollo. Its bytes and
 * compressed forms are kept on it, so an answer sent many times is encoded once.
 */
export interface PreparedAnswer {
  /** The JSON of the execution result. */
  readonly text: string;
  encoded?: { identity?: Buffer; br?: Buffer; gzip?: Buffer };
}

const preparedAnswers = new WeakMap<HTTPGraphQLRequest, PreparedAnswer>();

/**
 * Called by a plugin with its request's `request.http` (the one object Apollo hands every plugin
 * unchanged; it clones the context).
 */
export function answerWithPrepared(request: HTTPGraphQLRequest, answer: PreparedAnswer): void {
  preparedAnswers.set(request, answer);
}

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);
// Quality 4: most of brotli's gain for a fraction of its default (11) cost.
const compressors = {
  br: (bytes: Buffer) => brotli(bytes, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } }),
  gzip: (bytes: Buffer) => gzipped(bytes),
};

/** The encoding the client prefers among br, then gzip, by its Accept-Encoding ("br;q=0" refuses br). */
function preferredEncoding(acceptEncoding: string | undefined): 'br' | 'gzip' | undefined {
  const accepted = new Set(
    (acceptEncoding ?? '')
      .toLowerCase()
      .split(',')
      .map((part) => part.trim().split(/\s*;\s*q=/))
      .filter(([, q]) => q === undefined || Number(q) > 0)
      .map(([name]) => name),
  );
  return accepted.has('br') ? 'br' : accepted.has('gzip') ? 'gzip' : undefined;
}

/** The answer's bytes in the encoding the client prefers, or as they are. */
async function encodeBody(
  text: () => string,
  acceptEncoding: string | undefined,
  minBytes: number | undefined,
  prepared?: PreparedAnswer,
): Promise<{ body: string | Buffer; encoding?: 'br' | 'gzip' }> {
  const kept = prepared?.encoded ?? {};
  if (prepared) prepared.encoded = kept;
  kept.identity ??= Buffer.from(text());
  const bytes = kept.identity;
  const encoding = minBytes !== undefined && bytes.length >= minBytes ? preferredEncoding(acceptEncoding) : undefined;
  if (!encoding) return { body: bytes };
  kept[encoding] ??= await compressors[encoding](bytes);
  return { body: kept[encoding], encoding };
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendGraphQLError(res: ServerResponse, error: HttpError): void {
  sendJson(
    res,
    error.status,
    { errors: [{ message: error.message, extensions: { code: error.code } }] },
    error.headers,
  );
}

/**
 * A body found too large is still read, and dropped, up to this many bytes before the 413 is sent:
 * closing a connection with unread data resets it, and the client would never see the 413.
 */
export const DISCARD_BODY_BYTES = 16 * 1024 * 1024;
/** How deep JSON may nest in a request body or a variables parameter (GeoJSON needs about 10). */
export const MAX_JSON_DEPTH = 64;
/** How deep brackets may nest in a GraphQL document (selections, lists and input objects together). */
export const MAX_DOCUMENT_NESTING = 128;

function tooLarge(limit: number, close: boolean): HttpError {
  return new HttpError(
    413,
    'PAYLOAD_TOO_LARGE',
    `Request body is larger than ${limit} bytes`,
    close ? { connection: 'close' } : {},
  );
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  // Beyond what is worth reading just to answer: refuse at once and close.
  if (declared > DISCARD_BODY_BYTES) return Promise.reject(tooLarge(limit, true));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = declared > limit;
    let settled = false;
    const settle = (error: HttpError | Error | null, body?: Buffer) => {
      if (settled) return;
      settled = true;
      req.off('data', onData);
      if (error) reject(error);
      else resolve(body as Buffer);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        if (size > DISCARD_BODY_BYTES) settle(tooLarge(limit, true));
      } else if (!over) {
        chunks.push(chunk);
      }
    };
    req.on('data', onData);
    req.once('end', () => settle(over ? tooLarge(limit, false) : null, Buffer.concat(chunks)));
    req.once('error', (error) => settle(error));
    req.once('close', () => settle(new Error('the client closed the request before its body was read')));
  });
}

/**
 * Whether JSON (or a GraphQL document, with `graphql`: block strings and comments) nests `[`/`{` deeper than `max`, in one
 * pass without parsing, so that no parser or validator ever recurses that deep.
 */
export function nestsDeeperThan(text: Buffer | string, max: number, graphql = false): boolean {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const QUOTE = 0x22;
  const tripleQuote = (i: number) => bytes[i] === QUOTE && bytes[i + 1] === QUOTE && bytes[i + 2] === QUOTE;
  let depth = 0;
  let inString = false;
  let inBlockString = false;
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    if (inBlockString) {
      if (c === 0x5c && tripleQuote(i + 1)) i += 3;
      else if (tripleQuote(i)) {
        inBlockString = false;
        i += 2;
      }
    } else if (inString) {
      if (c === 0x5c) i++;
      else if (c === QUOTE) inString = false;
    } else if (graphql && tripleQuote(i)) {
      inBlockString = true;
      i += 2;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    } else if (graphql && c === 0x23) {
      while (i < bytes.length && bytes[i] !== 0x0a) i++;
    }
  }
  return false;
}

const tooDeep = () =>
  new HttpError(400, 'JSON_TOO_DEEP', `The request nests JSON deeper than ${MAX_JSON_DEPTH} levels`);
const documentTooDeep = () =>
  new HttpError(400, 'QUERY_TOO_DEEP', `The operation nests deeper than ${MAX_DOCUMENT_NESTING} levels`);

/** Refuses nesting no operation needs, before any JSON or GraphQL parsing. */
function checkNesting(body: Buffer, isJson: boolean, search: URLSearchParams): void {
  if (isJson && nestsDeeperThan(body, MAX_JSON_DEPTH)) throw tooDeep();
  for (const name of ['variables', 'extensions']) {
    const value = search.get(name);
    if (value && nestsDeeperThan(value, MAX_JSON_DEPTH)) throw tooDeep();
  }
  const query = search.get('query');
  if (query && nestsDeeperThan(query, MAX_DOCUMENT_NESTING, true)) throw documentTooDeep();
}

export async function startHttpService<Ctx extends BaseContext>(
  options: HttpServiceOptions<Ctx>,
): Promise<HttpService> {
  const { apollo, logger } = options;
  const maxBodyBytes = options.maxBodyBytes ?? 1_000_000;
  let draining = false;
  let inFlight = 0;

  const handle = async (raw: IncomingMessage, res: ServerResponse) => {
    const url = new URL(raw.url ?? '/', 'http://localhost');
    const req: IncomingRequest = {
      method: raw.method ?? 'GET',
      path: url.pathname,
      search: url.search,
      headers: raw.headers,
      header: (name) => {
        const value = raw.headers[name.toLowerCase()];
        return Array.isArray(value) ? value.join(', ') : value;
      },
      body: Buffer.alloc(0),
      remoteAddress: raw.socket.remoteAddress ?? '',
    };
    if (raw.method !== 'GET' && raw.method !== 'HEAD') {
      const limit = typeof maxBodyBytes === 'number' ? maxBodyBytes : await maxBodyBytes(req);
      req.body = await readBody(raw, limit);
    }
    const body = req.body;
    if (options.before && (await options.before(req, res))) return;
    if (req.path === '/health') {
      const extra = options.health ? await options.health().catch(() => ({})) : {};
      return sendJson(res, 200, { status: 'ok', service: options.name, ...extra });
    }
    if (req.path === '/ready') {
      const ok = !draining && (options.ready ? await options.ready().catch(() => false) : true);
      return sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : draining ? 'shutting down' : 'not ready' });
    }
    const route = options.routes?.[req.path];
    if (route) return route(req, res);
    if (req.path !== '/graphql') return sendJson(res, 404, { error: 'not found' });

    const started = performance.now();
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(raw.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let parsed: unknown;
    const isJson = (req.header('content-type') ?? '').includes('json');
    checkNesting(body, isJson, url.searchParams);
    if (body.length > 0) {
      if (isJson) {
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          throw new HttpError(400, 'BAD_REQUEST', 'The request body is not valid JSON');
        }
        for (const operation of Array.isArray(parsed) ? parsed : [parsed]) {
          const query = (operation as { query?: unknown } | null)?.query;
          if (typeof query === 'string' && nestsDeeperThan(query, MAX_DOCUMENT_NESTING, true)) throw documentTooDeep();
        }
      } else {
        parsed = body.toString('utf8');
      }
    }
    // Built before Apollo runs, so an HttpError from it (a refused signature, say) keeps its status
    // instead of becoming Apollo's 500 "Context creation failed".
    if (options.batches && Array.isArray(parsed)) {
      if (req.method !== 'POST' || parsed.length === 0 || parsed.length > MAX_BATCH_OPERATIONS) {
        throw new HttpError(400, 'BAD_REQUEST', `A batch is a POST of 1 to ${MAX_BATCH_OPERATIONS} operations`);
      }
      const context = await options.context(req);
      const answers = await Promise.all(
        parsed.map((operation: unknown) =>
          apollo.executeHTTPGraphQLRequest({
            httpGraphQLRequest: { method: 'POST', headers, search: url.search, body: operation },
            context: async () => context,
          }),
        ),
      );
      const texts: string[] = [];
      for (const answer of answers) {
        if (answer.body.kind !== 'complete')
          throw new HttpError(400, 'BAD_REQUEST', 'A batch cannot hold deferred answers');
        texts.push(answer.body.string);
      }
      const outHeaders: Record<string, string> = {};
      for (const [key, value] of answers[0]?.headers ?? []) outHeaders[key] = value;
      // The first refusal's status, so a caller can tell that not every operation was answered.
      res.writeHead(answers.find((a) => (a.status ?? 200) !== 200)?.status ?? 200, outHeaders);
      res.end(joinBatchAnswers(texts));
      options.onGraphQLResponse?.(req, res.statusCode, performance.now() - started);
      return;
    }
    const context = await options.context(req);
    const httpGraphQLRequest = { method: req.method.toUpperCase(), headers, search: url.search, body: parsed };
    const response = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: async () => context });
    const status = response.status ?? 200;
    const outHeaders: Record<string, string> = {};
    for (const [key, value] of response.headers) outHeaders[key] = value;
    if (response.body.kind === 'complete') {
      const prepared = status === 200 ? preparedAnswers.get(httpGraphQLRequest) : undefined;
      const serialized = response.body.string;
      const encoded = await encodeBody(
        () => (prepared ? `${prepared.text}\n` : serialized),
        req.header('accept-encoding'),
        options.compressAboveBytes,
        prepared,
      );
      if (options.compressAboveBytes !== undefined)
        outHeaders.vary = [outHeaders.vary, 'accept-encoding'].filter(Boolean).join(', ');
      if (encoded.encoding) outHeaders['content-encoding'] = encoded.encoding;
      res.writeHead(status, outHeaders);
      res.end(encoded.body);
    } else {
      res.writeHead(status, outHeaders);
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    }
    options.onGraphQLResponse?.(req, status, performance.now() - started);
  };

  const server = createServer((raw, res) => {
    inFlight++;
    res.on('close', () => inFlight--);
    if (draining) res.setHeader('connection', 'close');
    handle(raw, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof HttpError) return sendGraphQLError(res, error);
      logger.error('request failed', { error });
      sendGraphQLError(res, new HttpError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error'));
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 60_000;

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new StartupError(
            `port ${options.port} on ${options.host} is already in use, so ${options.name} cannot start. Stop the program using it (for example an earlier npm start), or choose another port`,
          ),
        );
      } else if (error.code === 'EACCES') {
        reject(new StartupError(`${options.name} may not listen on port ${options.port}; choose a port above 1024`));
      } else {
        reject(error);
      }
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;

  return {
    server,
    port,
    url: `http://${host}:${port}/graphql`,
    async close() {
      if (draining) return;
      draining = true;
      if (options.drainGraceMs) await new Promise((r) => setTimeout(r, options.drainGraceMs));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const deadline = Date.now() + (options.drainMs ?? 10_000);
      while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      server.closeAllConnections();
      await closed;
      await apollo.stop();
    },
  };
}
