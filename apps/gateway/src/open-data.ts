import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import { renderOpenData } from '@civic/open-data/build';
import type { CatalogOptions } from '@civic/open-data/catalog';
import { collectOpenData } from '@civic/open-data/collect';
import { DATASETS, fileNames } from '@civic/open-data/render';
import type { ExecutePublic, OpenDataSnapshot } from '@civic/open-data/types';
import { HttpError, type IncomingRequest, sendJson } from '@civic/server-kit/http';
import { PUBLIC_IDENTITY } from '@civic/server-kit/identity';
import type { Logger } from '@civic/server-kit/logger';
import type { GatewayContext } from './gateway.ts';

export interface OpenDataSettings {
  /** How long a built snapshot is served before the next request rebuilds it. */
  cacheSeconds: number;
  /** Public URL of /open-data/ for the catalog's links; derived from each request's Host otherwise. */
  baseUrl: string | undefined;
  catalog: Omit<CatalogOptions, 'baseUrl'>;
}

/**
 * Runs an operation through this gateway's own Apollo server as an anonymous caller: the same
 * plugins and limits, and the subgraphs receive the signed PUBLIC identity, so their role rules
 * decide what the open data may hold.
 */
export function publicExecutor(apollo: ApolloServer<GatewayContext>, requestId: () => string): ExecutePublic {
  return async <T>(query: string, variables?: Record<string, unknown>): Promise<T> => {
    const result = await apollo.executeOperation(
      { query, variables },
      { contextValue: { identity: PUBLIC_IDENTITY, requestId: requestId() } },
    );
    if (result.body.kind !== 'single') throw new Error('unexpected incremental result');
    const { data, errors } = result.body.singleResult;
    if (errors?.length) {
      const codes = [...new Set(errors.map((e) => String(e.extensions?.code ?? 'ERROR')))].join(', ');
      throw new PublicApiError(`the public API answered with errors (${codes})`, errors);
    }
    if (!data) throw new PublicApiError('the public API answered without data', []);
    return data as T;
  };
}

export class PublicApiError extends Error {
  constructor(
    message: string,
    readonly errors: readonly { message: string; extensions?: Record<string, unknown> }[],
  ) {
    super(message);
  }
}

/** A value rebuilt at most once per `ttlMs`; concurrent callers share one build, failures are not kept. */
export function ttlCache<T>(ttlMs: number, load: () => Promise<T>) {
  let current: { at: number; value: Promise<T> } | undefined;
  return (): Promise<T> => {
    const now = Date.now();
    if (current && now - current.at < ttlMs) return current.value;
    const value = load();
    const entry = { at: now, value };
    current = entry;
    value.catch(() => {
      if (current === entry) current = undefined;
    });
    return value;
  };
}

interface ServedFile {
  body: Buffer;
  mediaType: string;
  etag: string;
}

const FILE_NAMES = new Set([
  'index.html',
  'data.json',
  ...DATASETS.flatMap((d) => Object.values(fileNames(d)).filter((n): n is string => Boolean(n))),
]);
const HOST_PATTERN = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/;
const OPEN_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'etag, last-modified, x-request-id',
  'x-content-type-options': 'nosniff',
};

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function sendOpenError(res: ServerResponse, status: number, code: string, message: string, extra = {}) {
  sendJson(res, status, { error: { code, message } }, { ...OPEN_HEADERS, ...extra });
}

/**
 * /open-data/: the datasets, their Table Schemas, data.json and an index page, built on demand from
 * the public API and cached for `cacheSeconds`. Read-only and open to any origin.
 */
export function openDataService(options: {
  execute: ExecutePublic;
  settings: OpenDataSettings;
  logger: Logger;
  trustProxy: boolean;
}) {
  const { settings, logger } = options;
  const snapshot = ttlCache<OpenDataSnapshot>(settings.cacheSeconds * 1000, async () => {
    const started = performance.now();
    const built = await collectOpenData(options.execute);
    logger.info('open data read', {
      ms: Math.round(performance.now() - started),
      concerns: built.concerns.length,
      conversations: built.conversations.length,
      measures: built.measures.length,
    });
    return built;
  });
  const rendered = new Map<string, { snapshot: OpenDataSnapshot; files: Map<string, ServedFile> }>();

  const filesFor = async (baseUrl: string) => {
    const current = await snapshot();
    const cached = rendered.get(baseUrl);
    if (cached?.snapshot === current) return { snapshot: current, files: cached.files };
    const files = new Map<string, ServedFile>();
    for (const file of renderOpenData(current, { ...settings.catalog, baseUrl })) {
      const body = Buffer.from(file.body, 'utf8');
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
      files.set(file.name, { body, mediaType: file.mediaType, etag });
    }
    // A few base URLs at most (one per host name the gateway is reached by).
    if (rendered.size >= 8) rendered.clear();
    rendered.set(baseUrl, { snapshot: current, files });
    return { snapshot: current, files };
  };

  return {
    handles: (path: string) => path === '/open-data' || path.startsWith('/open-data/'),
    /** Current snapshot (shared with Open311). */
    snapshot,
    async serve(req: IncomingRequest, res: ServerResponse): Promise<void> {
      if (answeredWithoutFile(req, res)) return;
      const name = req.path === '/open-data/' ? 'index.html' : safeDecode(req.path.slice('/open-data/'.length));
      if (!FILE_NAMES.has(name)) {
        return sendOpenError(
          res,
          404,
          'NOT_FOUND',
          `No open-data file is called ${JSON.stringify(name.slice(0, 100))}`,
        );
      }
      let built: Awaited<ReturnType<typeof filesFor>>;
      try {
        built = await filesFor(baseUrlOf(req, settings.baseUrl, options.trustProxy));
      } catch (error) {
        if (error instanceof HttpError) return sendOpenError(res, error.status, error.code, error.message);
        logger.error('open data could not be built', { error });
        return sendOpenError(
          res,
          503,
          'SERVICE_UNAVAILABLE',
          'The open data cannot be built right now; try again shortly',
          { 'retry-after': '30' },
        );
      }
      const file = built.files.get(name) as ServedFile;
      sendFile(req, res, name, file, new Date(built.snapshot.readAt).toUTCString(), settings.cacheSeconds);
    },
  };
}

/** Preflights, other methods than GET and HEAD, and /open-data without its slash are answered here. */
function answeredWithoutFile(req: IncomingRequest, res: ServerResponse): boolean {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      ...OPEN_HEADERS,
      'access-control-allow-methods': 'GET, HEAD, OPTIONS',
      'access-control-allow-headers': 'if-none-match, if-modified-since',
      'access-control-max-age': '86400',
    });
    res.end();
    return true;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendOpenError(res, 405, 'METHOD_NOT_ALLOWED', 'Open data is read-only: use GET or HEAD', {
      allow: 'GET, HEAD, OPTIONS',
    });
    return true;
  }
  if (req.path === '/open-data') {
    res.writeHead(301, { ...OPEN_HEADERS, location: '/open-data/' });
    res.end();
    return true;
  }
  return false;
}

function baseUrlOf(req: IncomingRequest, configured: string | undefined, trustProxy: boolean): string {
  if (configured) return configured.endsWith('/') ? configured : `${configured}/`;
  const host = req.header('host') ?? '';
  if (!HOST_PATTERN.test(host)) throw new HttpError(400, 'BAD_REQUEST', 'The Host header is not a host name');
  const forwarded = trustProxy ? req.header('x-forwarded-proto')?.split(',')[0]?.trim() : undefined;
  const proto = forwarded === 'https' ? 'https' : 'http';
  return `${proto}://${host}/open-data/`;
}

/** A built file with its validators: 304 when the client's copy is current. */
function sendFile(
  req: IncomingRequest,
  res: ServerResponse,
  name: string,
  file: ServedFile,
  lastModified: string,
  cacheSeconds: number,
): void {
  const headers = {
    ...OPEN_HEADERS,
    'content-type': file.mediaType,
    etag: file.etag,
    'last-modified': lastModified,
    'cache-control': `public, max-age=${cacheSeconds}`,
    ...(name.endsWith('.csv') ? { 'content-disposition': `inline; filename="${name}"` } : {}),
  };
  const tags = req.header('if-none-match');
  const notModified = tags
    ? tags.split(',').some((t) => t.trim() === file.etag || t.trim() === `W/${file.etag}` || t.trim() === '*')
    : Boolean(
        req.header('if-modified-since') &&
          Date.parse(req.header('if-modified-since') as string) >= Date.parse(lastModified),
      );
  if (notModified) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(200, { ...headers, 'content-length': String(file.body.length) });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}
