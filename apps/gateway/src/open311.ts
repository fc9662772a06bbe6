import type { ServerResponse } from 'node:http';
import { CONCERN_FIELDS, type ConcernNode, concernRecord } from '@civic/open-data/collect';
import { concernLocation } from '@civic/open-data/render';
import type { ConcernRecord, ExecutePublic, GeoJsonGeometry, OpenDataSnapshot } from '@civic/open-data/types';
import type { IncomingRequest } from '@civic/server-kit/http';
import { sendJson } from '@civic/server-kit/http';
import type { Logger } from '@civic/server-kit/logger';
import { THEMES } from '@civic/taxonomy/themes';

/**
 * Open311 GeoReport v2, read-only and JSON only: services are the shared themes, requests are the
 * published concerns. Hidden concerns are simply absent: the public API never shows them.
 */
export const OPEN311_SPEC = 'http://wiki.open311.org/GeoReport_v2';
export const DEFAULT_WINDOW_DAYS = 90;
export const MAX_WINDOW_DAYS = 90;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
const DAY_MS = 86_400_000;
const CLOSED = new Set(['ADDRESSED', 'NOT_FEASIBLE']);
const SERVICE_GROUP = 'Community concerns';
/** The service of concerns no theme has been given yet: every request has a service_code. */
export const GENERAL_SERVICE_CODE = 'GENERAL';
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const CONCERN_ID = /^[A-Za-z0-9_-]{1,128}$/;
const HOST_PATTERN = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/;

const HEADERS = {
  'access-control-allow-origin': '*',
  'x-content-type-options': 'nosniff',
};

class Open311Error extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function sendError(res: ServerResponse, status: number, description: string, extra: Record<string, string> = {}) {
  sendJson(res, status, [{ code: status, description }], { ...HEADERS, ...extra });
}

export function open311Services() {
  return [
    ...THEMES.map((theme) => ({
      service_code: theme.code,
      service_name: theme.label.en,
      description: `Concerns residents raise about ${theme.label.en.toLowerCase()} (${theme.label.es}).`,
      metadata: false,
      type: 'realtime',
      keywords: theme.keywords.join(', '),
      group: SERVICE_GROUP,
    })),
    {
      service_code: GENERAL_SERVICE_CODE,
      service_name: 'General concern',
      description:
        'Concerns residents raise that have no theme yet (Inquietudes de los residentes que aún no tienen tema).',
      metadata: false,
      type: 'realtime',
      keywords: 'general, other, unthemed',
      group: SERVICE_GROUP,
    },
  ];
}

const serviceName = new Map<string, string>([
  ...THEMES.map((t): [string, string] => [t.code, t.label.en]),
  [GENERAL_SERVICE_CODE, 'General concern'],
]);

/** The service codes a concern is listed under: its themes, or GENERAL when it has none. */
function serviceCodes(concern: ConcernRecord): string[] {
  return concern.themes.length > 0 ? concern.themes : [GENERAL_SERVICE_CODE];
}

/**
 * A concern as a GeoReport v2 request. `location` is where the open data puts it (concernLocation):
 * the public point (rounded to ~100 m) when one was given, else its neighborhood's or ward's centroid.
 */
export function open311Request(
  concern: ConcernRecord,
  agency: string | null,
  location: { point: [number, number] } | null = null,
) {
  const code = serviceCodes(concern)[0] as string;
  const place = [concern.neighborhoodName, concern.ward !== null ? `Ward ${concern.ward}` : null]
    .filter(Boolean)
    .join(', ');
  return {
    service_request_id: concern.id,
    status: CLOSED.has(concern.status) ? 'closed' : 'open',
    status_notes: concern.cityResponse,
    service_name: serviceName.get(code) ?? code,
    service_code: code,
    description: concern.detail ?? concern.summary,
    agency_responsible: agency,
    service_notice: null,
    requested_datetime: concern.createdAt,
    updated_datetime: concern.updatedAt,
    expected_datetime: null,
    // No street address is kept: the neighborhood and ward name the place, lat/long locate it.
    address: place || null,
    address_id: null,
    zipcode: null,
    lat: location?.point[1] ?? null,
    long: location?.point[0] ?? null,
    media_url: null,
  };
}

function parseDate(name: string, value: string | null): number | undefined {
  if (value === null) return undefined;
  const ms = Date.parse(value);
  if (!ISO_DATE.test(value) || Number.isNaN(ms)) {
    throw new Open311Error(400, `${name} must be an ISO 8601 date or date-time, e.g. 2024-05-01T00:00:00Z`);
  }
  return ms;
}

function parseCount(name: string, value: string | null, fallback: number, max: number): number {
  if (value === null) return fallback;
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new Open311Error(400, `${name} must be a whole number from 1 to ${max}`);
  }
  return Number(value);
}

const list = (value: string | null) =>
  value
    ?.split(',')
    .map((v) => v.trim())
    .filter(Boolean) ?? [];

/**
 * The request list's filters, checked as the spec gives them. Without start_date and end_date the
 * window is the latest 90 days of data: the 90 days up to the newest published request (`latest`),
 * so a city whose newest concern is older than 90 days still answers with its most recent ones.
 */
export function parseRequestQuery(params: URLSearchParams, now = Date.now(), latest?: number) {
  const start = parseDate('start_date', params.get('start_date'));
  const end = parseDate('end_date', params.get('end_date'));
  const window = DEFAULT_WINDOW_DAYS * DAY_MS;
  const to = end ?? (start !== undefined ? start + window : Math.min(latest ?? now, now));
  const from = start ?? to - window;
  if (from > to) throw new Open311Error(400, 'start_date must not be after end_date');
  if (to - from > MAX_WINDOW_DAYS * DAY_MS) {
    throw new Open311Error(400, `start_date and end_date may not span more than ${MAX_WINDOW_DAYS} days`);
  }
  const statuses = list(params.get('status')).map((s) => s.toLowerCase());
  for (const s of statuses)
    if (s !== 'open' && s !== 'closed') throw new Open311Error(400, 'status must be open or closed');
  const codes = list(params.get('service_code'));
  for (const c of codes)
    if (!serviceName.has(c)) throw new Open311Error(400, `service_code ${c.slice(0, 50)} is not a service`);
  const ids = list(params.get('service_request_id'));
  return {
    from,
    to,
    statuses,
    codes,
    ids,
    page: parseCount('page', params.get('page'), 1, 100_000),
    pageSize: parseCount('page_size', params.get('page_size') ?? params.get('limit'), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
  };
}

/** Lead department of the first initiative each published concern is aligned with. */
function agencies(snapshot: OpenDataSnapshot): Map<string, string> {
  const byConcern = new Map<string, string>();
  for (const initiative of snapshot.initiatives) {
    const lead = initiative.leadDepartment?.name;
    if (!lead) continue;
    for (const id of initiative.concernIds ?? []) if (!byConcern.has(id)) byConcern.set(id, lead);
  }
  return byConcern;
}

export function open311Service(options: {
  execute: ExecutePublic;
  snapshot: () => Promise<OpenDataSnapshot>;
  logger: Logger;
  contact: string;
  /** The gateway's public origin for discovery.json; the request's Host otherwise. */
  publicUrl: string | undefined;
  cacheSeconds: number;
}) {
  const { logger } = options;
  const base = (req: IncomingRequest) => {
    if (options.publicUrl) return `${options.publicUrl.replace(/\/$/, '')}/open311/v2`;
    const host = req.header('host') ?? '';
    return `http://${HOST_PATTERN.test(host) ? host : 'localhost'}/open311/v2`;
  };

  const oneRequest = async (id: string) => {
    if (!CONCERN_ID.test(id)) return null;
    const data = await options.execute<{
      concern:
        | (ConcernNode & {
            initiatives: { leadDepartment: { name: string } | null }[] | null;
            neighborhood: { boundary: GeoJsonGeometry | null } | null;
          })
        | null;
    }>(
      `query Open311_Request($id: ID!) { concern(id: $id) { ${CONCERN_FIELDS} initiatives { leadDepartment { name } } neighborhood { boundary } } }`,
      { id },
    );
    if (!data.concern) return null;
    const agency = data.concern.initiatives?.find((i) => i.leadDepartment)?.leadDepartment?.name ?? null;
    const record = concernRecord(data.concern);
    const neighborhoods = record.neighborhoodId
      ? [{ id: record.neighborhoodId, boundary: data.concern.neighborhood?.boundary ?? null }]
      : [];
    return open311Request(record, agency, concernLocation(record, { neighborhoods, wards: [] }));
  };

  return {
    handles: (path: string) => path === '/open311' || path.startsWith('/open311/'),
    async serve(req: IncomingRequest, res: ServerResponse): Promise<void> {
      if (answeredByMethod(req, res)) return;
      const path = req.path.replace(/^\/open311\/v2\//, '');
      if (path === req.path) return sendError(res, 404, 'Open311 GeoReport v2 is under /open311/v2/');
      const format = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
      if (format !== 'json') {
        return sendError(res, 400, 'Only the JSON format is served: end the path in .json');
      }
      const resource = path.slice(0, -'.json'.length);
      const params = new URLSearchParams(req.search);
      try {
        let body: unknown;
        if (resource === 'discovery') {
          body = discovery(options.contact, base(req));
        } else if (resource === 'services') {
          body = open311Services();
        } else if (resource === 'requests') {
          body = requestsIn(await options.snapshot(), params);
        } else if (resource.startsWith('requests/')) {
          const found = await oneRequest(decodeSegment(resource.slice('requests/'.length)));
          if (!found) return sendError(res, 404, 'No service request has this id');
          body = [found];
        } else {
          return sendError(res, 404, 'No such Open311 resource');
        }
        const text = JSON.stringify(body);
        res.writeHead(200, {
          ...HEADERS,
          'content-type': 'application/json; charset=utf-8',
          'content-length': String(Buffer.byteLength(text)),
          'cache-control': `public, max-age=${options.cacheSeconds}`,
        });
        res.end(req.method === 'HEAD' ? undefined : text);
      } catch (error) {
        if (error instanceof Open311Error) return sendError(res, error.status, error.message);
        logger.error('open311 request failed', { error, path: req.path });
        return sendError(res, 503, 'Service requests cannot be read right now; try again shortly', {
          'retry-after': '30',
        });
      }
    },
  };
}

/** Preflights are answered here, and every method but GET and HEAD is refused (405). */
function answeredByMethod(req: IncomingRequest, res: ServerResponse): boolean {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, {
      ...HEADERS,
      'access-control-allow-methods': 'GET, HEAD, OPTIONS',
      'access-control-max-age': '86400',
    });
    res.end();
    return true;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendError(res, 405, 'This Open311 endpoint is read-only: use GET', { allow: 'GET, HEAD, OPTIONS' });
    return true;
  }
  return false;
}

function discovery(contact: string, url: string) {
  return {
    changeset: '2026-11-23T00:00:00Z',
    contact,
    key_service: 'No key is needed: this endpoint is read-only.',
    endpoints: [
      {
        specification: OPEN311_SPEC,
        url,
        changeset: '2026-11-23T00:00:00Z',
        type: 'production',
        formats: ['application/json'],
      },
    ],
  };
}

/** GET requests.json: the snapshot's concerns that match the query, newest first, one page. */
function requestsIn(snapshot: OpenDataSnapshot, params: URLSearchParams) {
  const newest = snapshot.concerns.reduce((max, c) => Math.max(max, Date.parse(c.createdAt)), 0);
  const query = parseRequestQuery(params, Date.now(), newest > 0 ? newest : undefined);
  const agency = agencies(snapshot);
  const matching = snapshot.concerns
    .filter((c) => {
      const at = Date.parse(c.createdAt);
      if (query.ids.length > 0) return query.ids.includes(c.id);
      if (at < query.from || at > query.to) return false;
      if (query.codes.length > 0 && !serviceCodes(c).some((t) => query.codes.includes(t))) return false;
      const status = CLOSED.has(c.status) ? 'closed' : 'open';
      return query.statuses.length === 0 || query.statuses.includes(status);
    })
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  const start = (query.page - 1) * query.pageSize;
  return matching
    .slice(start, start + query.pageSize)
    .map((c) => open311Request(c, agency.get(c.id) ?? null, concernLocation(c, snapshot)));
}

function decodeSegment(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
}
