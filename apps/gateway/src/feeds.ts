import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { IncomingRequest } from '@civic/server-kit/http';
import type { Logger } from '@civic/server-kit/logger';
import { PORTS } from '@civic/server-kit/ports';
import type { GatewayContext } from './gateway.ts';
import { PublicApiError, publicExecutor } from './open-data.ts';
import type { RateLimiter } from './rate-limit.ts';

/**
 * Atom feeds (RFC 4287) of what follower emails announce, for those who prefer a feed reader:
 *
 *   /feeds/concerns/<id>.atom        a concern's status changes, their public notes, accepted disputes
 *   /feeds/neighborhoods/<id>.atom   the same for every public concern in a neighborhood
 *   /feeds/initiatives/<id>.atom     an initiative's status changes and new measure observations
 *   /feeds/citywide.atom             the latest public status changes of every concern
 *
 * In Spanish under /feeds/es/… (or with ?lang=es). Built from the PUBLIC GraphQL API through this
 * gateway's own executor, as open data is: nothing here can reach what an anonymous caller cannot.
 * Answered before CORS and authentication (credentials are ignored), counted against the caller's
 * address like an anonymous GraphQL operation.
 */

export type FeedLanguage = 'en' | 'es';
type FeedKind = 'concerns' | 'neighborhoods' | 'initiatives' | 'citywide';

export interface FeedSettings {
  /** Public URL of this gateway, for the feeds' self links (PUBLIC_BASE_URL); the request's Host otherwise. */
  publicBaseUrl: string | undefined;
  /** The web client, for the links to the pages the feeds are about (PUBLIC_WEB_URL). */
  webUrl: string;
  /** Entries in one feed (FEED_ENTRIES, default 50). */
  entries: number;
}

export function feedSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): FeedSettings {
  const entries = Number(env.FEED_ENTRIES ?? 50);
  return {
    publicBaseUrl: env.PUBLIC_BASE_URL?.replace(/\/+$/, '') || undefined,
    webUrl: (env.PUBLIC_WEB_URL || `http://localhost:${PORTS.web}`).replace(/\/+$/, ''),
    entries: Number.isInteger(entries) && entries >= 1 && entries <= 100 ? entries : 50,
  };
}

/** Feed and entry ids: tag URIs (RFC 4151), the same wherever the gateway is reached from. */
const TAG = 'tag:durhamnc.gov,2026:civic-graph';
const EMPTY_FEED_UPDATED = '2026-01-01T00:00:00.000Z';
const FEED_PATH =
  /^\/feeds\/(?:(en|es)\/)?(?:(citywide)|(concerns|neighborhoods|initiatives)\/([A-Za-z0-9_-]{1,100}))\.atom$/;
const HOST_PATTERN = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/;
const OPEN_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'etag, last-modified, x-request-id',
  'x-content-type-options': 'nosniff',
};

const WORDS = {
  en: {
    city: 'City of Durham',
    citywideTitle: 'Durham concerns: the city’s responses',
    concernTitle: (summary: string) => `Concern: ${summary}`,
    neighborhoodTitle: (name: string) => `Concerns in ${name}`,
    initiativeTitle: (code: string, title: string) => `Initiative ${code}: ${title}`,
    status: 'Status',
    machineTranslation: '(Machine translation.)',
    evidence: (day: string) => `The city acted on ${day}.`,
    dispute: (note: string) => `A resident following this concern said it is not fixed: “${note}”`,
    disputeLanguage: '(Written in Spanish.)',
    newValue: (measure: string) => `New value for ${measure}`,
    value: 'Value',
    period: 'Period',
    note: 'Note',
    unnamedMeasure: 'a measure',
    notFound: 'There is no public feed at this address (no public item has this id).',
    tooMany: 'Too many requests; try again later.',
    unavailable: 'The feed cannot be built right now; try again shortly.',
  },
  es: {
    city: 'Ciudad de Durham',
    citywideTitle: 'Inquietudes de Durham: las respuestas de la ciudad',
    concernTitle: (summary: string) => `Inquietud: ${summary}`,
    neighborhoodTitle: (name: string) => `Inquietudes en ${name}`,
    initiativeTitle: (code: string, title: string) => `Iniciativa ${code}: ${title}`,
    status: 'Estado',
    machineTranslation: '(Traducción automática.)',
    evidence: (day: string) => `La ciudad actuó el ${day}.`,
    dispute: (note: string) => `Una persona que sigue esta inquietud dijo que no está resuelta: “${note}”`,
    disputeLanguage: '(Escrito en inglés.)',
    newValue: (measure: string) => `Nuevo valor de ${measure}`,
    value: 'Valor',
    period: 'Período',
    note: 'Nota',
    unnamedMeasure: 'una medida',
    notFound: 'No hay ningún canal público en esta dirección (ningún elemento público tiene este id).',
    tooMany: 'Demasiadas solicitudes; inténtelo más tarde.',
    unavailable: 'No se puede generar el canal ahora; inténtelo en un momento.',
  },
} as const;

const CONCERN_STATUS: Record<string, Record<FeedLanguage, string>> = {
  NEW: { en: 'New', es: 'Nueva' },
  UNDER_REVIEW: { en: 'Under review', es: 'En revisión' },
  ALIGNED: { en: 'Aligned', es: 'Alineada' },
  IN_PROGRESS: { en: 'In progress', es: 'En curso' },
  ADDRESSED: { en: 'Addressed', es: 'Atendida' },
  NOT_FEASIBLE: { en: 'Not feasible', es: 'No viable' },
};
const INITIATIVE_STATUS: Record<string, Record<FeedLanguage, string>> = {
  IN_PROGRESS: { en: 'In progress', es: 'En curso' },
  ON_HOLD: { en: 'On hold', es: 'En pausa' },
  COMPLETE_ONGOING: { en: 'Complete/ongoing', es: 'Completa/continua' },
};
const label = (labels: Record<string, Record<FeedLanguage, string>>, status: string | null, lang: FeedLanguage) =>
  (status && labels[status]?.[lang]) ?? status ?? '—';

// ---------------------------------------------------------------------------------------------
// What the feeds read from the public API

const CHANGE_FIELDS = `id fromStatus toStatus changedAt evidenceActionOn
  publicNote(language: $language) publicNoteMachineTranslated(language: $language)
  dispute { id note language }`;

const CONCERN_QUERY = `query ConcernFeed($id: ID!, $language: String!) {
  concern(id: $id) { id summary createdAt statusHistory { ${CHANGE_FIELDS} } }
}`;
const NEIGHBORHOOD_QUERY = `query NeighborhoodFeed($id: ID!, $language: String!, $first: Int!) {
  neighborhood(id: $id) { id localizedName(language: $language) }
  publicStatusChanges(neighborhoodId: $id, first: $first) { ${CHANGE_FIELDS} concern { id summary } }
}`;
const CITYWIDE_QUERY = `query CitywideFeed($language: String!, $first: Int!) {
  publicStatusChanges(first: $first) { ${CHANGE_FIELDS} concern { id summary } }
}`;
const INITIATIVE_QUERY = `query InitiativeFeed($id: ID!, $language: String!) {
  initiative(id: $id) {
    id code title(language: $language) updatedAt
    statusHistory { id status note changedAt }
    measures { id name(language: $language) unit observations { id period label segment value note recordedAt } }
  }
}`;

interface StatusChange {
  id: string;
  fromStatus: string | null;
  toStatus: string;
  changedAt: string;
  evidenceActionOn: string | null;
  publicNote: string | null;
  publicNoteMachineTranslated: boolean;
  dispute: { id: string; note: string; language: string } | null;
  concern?: { id: string; summary: string } | null;
}
interface ConcernData {
  concern: { id: string; summary: string; createdAt: string; statusHistory: StatusChange[] } | null;
}
interface NeighborhoodData {
  neighborhood: { id: string; localizedName: string } | null;
  publicStatusChanges: StatusChange[];
}
interface CitywideData {
  publicStatusChanges: StatusChange[];
}
interface InitiativeData {
  initiative: {
    id: string;
    code: string;
    title: string;
    updatedAt: string;
    statusHistory: { id: string; status: string | null; note: string | null; changedAt: string }[];
    measures: {
      id: string;
      name: string | null;
      unit: string | null;
      observations: {
        id: string;
        period: string | null;
        label: string | null;
        segment: string;
        value: number;
        note: string | null;
        recordedAt: string;
      }[];
    }[];
  } | null;
}

// ---------------------------------------------------------------------------------------------
// Atom

export interface FeedEntry {
  id: string;
  title: string;
  updated: string;
  link: string;
  content: string;
}

export interface Feed {
  id: string;
  title: string;
  language: FeedLanguage;
  selfUrl: string;
  pageUrl: string;
  entries: FeedEntry[];
  /** When nothing has happened yet (no entries). */
  emptyUpdated: string;
}

/** Characters XML 1.0 cannot hold at all (C0 controls but tab and newlines, lone surrogates, U+FFFE/F). */
const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters to take out.
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '\uFFFD').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function feedUpdated(feed: Feed): string {
  // ISO 8601 times in UTC compare as strings.
  return [feed.emptyUpdated, ...feed.entries.map((e) => e.updated)].sort().at(-1) as string;
}

export function renderAtom(feed: Feed, author: string): string {
  const x = escapeXml;
  const entries = feed.entries.map(
    (e) => `  <entry>
    <id>${x(e.id)}</id>
    <title type="text">${x(e.title)}</title>
    <updated>${x(e.updated)}</updated>
    <link rel="alternate" type="text/html" href="${x(e.link)}"/>
    <author><name>${x(author)}</name></author>
    <content type="text">${x(e.content)}</content>
  </entry>
`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${feed.language}">
  <id>${x(feed.id)}</id>
  <title type="text">${x(feed.title)}</title>
  <updated>${x(feedUpdated(feed))}</updated>
  <link rel="self" type="application/atom+xml" href="${x(feed.selfUrl)}"/>
  <link rel="alternate" type="text/html" href="${x(feed.pageUrl)}"/>
  <author><name>${x(author)}</name></author>
  <generator>Civic Graph</generator>
${entries.join('')}</feed>
`;
}

// ---------------------------------------------------------------------------------------------
// Entries

const newestFirst = (entries: FeedEntry[], max: number) =>
  entries.sort((a, b) => (a.updated < b.updated ? 1 : a.updated > b.updated ? -1 : a.id < b.id ? 1 : -1)).slice(0, max);

function statusChangeEntry(
  change: StatusChange,
  concern: { id: string; summary: string },
  lang: FeedLanguage,
  webUrl: string,
): FeedEntry {
  const w = WORDS[lang];
  const to = label(CONCERN_STATUS, change.toStatus, lang);
  const status = change.fromStatus
    ? `${w.status}: ${label(CONCERN_STATUS, change.fromStatus, lang)} → ${to}`
    : `${w.status}: ${to}`;
  const paragraphs = [status];
  if (change.publicNote) {
    paragraphs.push(
      change.publicNoteMachineTranslated ? `${change.publicNote}\n${w.machineTranslation}` : change.publicNote,
    );
  }
  if (change.evidenceActionOn) paragraphs.push(w.evidence(change.evidenceActionOn.slice(0, 10)));
  if (change.dispute) {
    const other = change.dispute.language !== lang;
    paragraphs.push(w.dispute(change.dispute.note) + (other ? ` ${w.disputeLanguage}` : ''));
  }
  return {
    id: `${TAG}/concern-status-change/${change.id}/${lang}`,
    title: `${to}: ${concern.summary}`,
    updated: new Date(change.changedAt).toISOString(),
    link: `${webUrl}/#/concerns/${encodeURIComponent(concern.id)}`,
    content: paragraphs.join('\n\n'),
  };
}

function changesFeed(changes: StatusChange[], lang: FeedLanguage, webUrl: string, max: number): FeedEntry[] {
  return newestFirst(
    changes.flatMap((c) => (c.concern ? [statusChangeEntry(c, c.concern, lang, webUrl)] : [])),
    max,
  );
}

type Target = { kind: FeedKind; id: string | null; lang: FeedLanguage };

/** The feed of `target`, or null when there is no public item with its id. */
async function buildFeed(
  execute: ReturnType<typeof publicExecutor>,
  target: Target,
  urls: { self: string; web: string },
  max: number,
): Promise<Feed | null> {
  const { lang } = target;
  const w = WORDS[lang];
  const feedId = `${TAG}/feeds/${target.kind}${target.id ? `/${target.id}` : ''}/${lang}`;
  const base = { id: feedId, language: lang, selfUrl: urls.self };
  switch (target.kind) {
    case 'concerns': {
      const { concern } = await execute<ConcernData>(CONCERN_QUERY, { id: target.id, language: lang });
      if (!concern) return null;
      return {
        ...base,
        title: w.concernTitle(concern.summary),
        pageUrl: `${urls.web}/#/concerns/${encodeURIComponent(concern.id)}`,
        entries: newestFirst(
          concern.statusHistory.map((c) => statusChangeEntry(c, concern, lang, urls.web)),
          max,
        ),
        emptyUpdated: new Date(concern.createdAt).toISOString(),
      };
    }
    case 'neighborhoods': {
      const data = await execute<NeighborhoodData>(NEIGHBORHOOD_QUERY, { id: target.id, language: lang, first: max });
      if (!data.neighborhood) return null;
      return {
        ...base,
        title: w.neighborhoodTitle(data.neighborhood.localizedName),
        pageUrl: `${urls.web}/#/concerns?neighborhood=${encodeURIComponent(data.neighborhood.id)}`,
        entries: changesFeed(data.publicStatusChanges, lang, urls.web, max),
        emptyUpdated: EMPTY_FEED_UPDATED,
      };
    }
    case 'citywide': {
      const data = await execute<CitywideData>(CITYWIDE_QUERY, { language: lang, first: max });
      return {
        ...base,
        title: w.citywideTitle,
        pageUrl: `${urls.web}/#/concerns`,
        entries: changesFeed(data.publicStatusChanges, lang, urls.web, max),
        emptyUpdated: EMPTY_FEED_UPDATED,
      };
    }
    case 'initiatives': {
      const { initiative } = await execute<InitiativeData>(INITIATIVE_QUERY, { id: target.id, language: lang });
      if (!initiative) return null;
      const page = `${urls.web}/#/initiatives/${encodeURIComponent(initiative.id)}`;
      const title = w.initiativeTitle(initiative.code, initiative.title);
      const statusEntries = initiative.statusHistory.map((s) => ({
        id: `${TAG}/initiative-status-change/${s.id}/${lang}`,
        title: `${label(INITIATIVE_STATUS, s.status, lang)}: ${title}`,
        updated: new Date(s.changedAt).toISOString(),
        link: page,
        content: [`${w.status}: ${label(INITIATIVE_STATUS, s.status, lang)}`, ...(s.note ? [s.note] : [])].join('\n\n'),
      }));
      const observationEntries = initiative.measures.flatMap((m) =>
        m.observations.map((o) => {
          const measure = m.name ?? w.unnamedMeasure;
          const when = [o.period ?? o.label, o.segment].filter(Boolean).join(', ');
          return {
            id: `${TAG}/measure-observation/${o.id}/${lang}`,
            title: `${w.newValue(measure)}${when ? ` (${when})` : ''}`,
            updated: new Date(o.recordedAt).toISOString(),
            link: page,
            content: [
              `${w.value}: ${o.value}${m.unit ? ` ${m.unit}` : ''}`,
              ...(when ? [`${w.period}: ${when}`] : []),
              ...(o.note ? [`${w.note}: ${o.note}`] : []),
            ].join('\n'),
          };
        }),
      );
      return {
        ...base,
        title,
        pageUrl: page,
        entries: newestFirst([...statusEntries, ...observationEntries], max),
        emptyUpdated: new Date(initiative.updatedAt).toISOString(),
      };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP

function targetOf(req: IncomingRequest): Target | null {
  const match = FEED_PATH.exec(req.path);
  if (!match) return null;
  const [, pathLang, citywide, kind, id] = match;
  const queryLang = new URLSearchParams(req.search).get('lang');
  const lang: FeedLanguage = (pathLang ?? queryLang) === 'es' ? 'es' : 'en';
  return citywide ? { kind: 'citywide', id: null, lang } : { kind: kind as FeedKind, id: id ?? null, lang };
}

/** The language of a page about a feed that does not exist: the path's or query's, else both. */
function pageLanguages(req: IncomingRequest): FeedLanguage[] {
  const wanted = /^\/feeds\/es\//.test(req.path) || new URLSearchParams(req.search).get('lang') === 'es';
  return wanted ? ['es'] : ['en', 'es'];
}

function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
  head = false,
): void {
  const body = Buffer.from(`${text}\n`, 'utf8');
  res.writeHead(status, {
    ...OPEN_HEADERS,
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(body.length),
    ...headers,
  });
  res.end(head ? undefined : body);
}

function baseUrlOf(req: IncomingRequest, configured: string | undefined, trustProxy: boolean): string | null {
  if (configured) return configured;
  const host = req.header('host') ?? '';
  if (!HOST_PATTERN.test(host)) return null;
  const forwarded = trustProxy ? req.header('x-forwarded-proto')?.split(',')[0]?.trim() : undefined;
  return `${forwarded === 'https' ? 'https' : 'http'}://${host}`;
}

function feedPath(target: Target): string {
  const lang = target.lang === 'es' ? 'es/' : '';
  return target.kind === 'citywide'
    ? `/feeds/${lang}citywide.atom`
    : `/feeds/${lang}${target.kind}/${encodeURIComponent(target.id ?? '')}.atom`;
}

/** An unknown id (or one the API refuses as malformed) is a missing feed, not a failure. */
function isMissing(error: unknown): boolean {
  return (
    error instanceof PublicApiError &&
    error.errors.length > 0 &&
    error.errors.every((e) => ['NOT_FOUND', 'BAD_USER_INPUT'].includes(String(e.extensions?.code)))
  );
}

export interface FeedService {
  handles(path: string): boolean;
  serve(req: IncomingRequest, res: ServerResponse): Promise<void>;
}

export function feedRoutes(options: {
  apollo: ApolloServer<GatewayContext>;
  logger: Logger;
  limiter: RateLimiter;
  clientAddress: (req: IncomingRequest) => string;
  perAddress: number;
  trustProxy: boolean;
  settings?: FeedSettings;
}): FeedService {
  const { logger } = options;
  const settings = options.settings ?? feedSettingsFromEnv();
  let sequence = 0;
  const execute = publicExecutor(options.apollo, () => `feed-${Date.now()}-${++sequence}`);

  return {
    handles: (path) => path === '/feeds' || path.startsWith('/feeds/'),
    async serve(req, res) {
      const head = req.method === 'HEAD';
      if (req.method !== 'GET' && !head) {
        return sendText(res, 405, 'Feeds are read-only: use GET or HEAD.', { allow: 'GET, HEAD' });
      }
      const decision = await options.limiter
        .hit(`address:${options.clientAddress(req)}`, options.perAddress)
        .catch((error: unknown) => {
          logger.warn('rate limiter unavailable; allowing request', { error });
          return null;
        });
      if (decision && !decision.allowed) {
        const text = pageLanguages(req)
          .map((l) => WORDS[l].tooMany)
          .join('\n');
        return sendText(res, 429, text, { 'retry-after': String(decision.retryAfterSeconds) }, head);
      }
      const target = targetOf(req);
      const notFound = () =>
        sendText(
          res,
          404,
          pageLanguages(req)
            .map((l) => WORDS[l].notFound)
            .join('\n'),
          {},
          head,
        );
      if (!target) return notFound();
      const base = baseUrlOf(req, settings.publicBaseUrl, options.trustProxy);
      if (!base) return sendText(res, 400, 'The Host header is not a host name.', {}, head);

      let feed: Feed | null;
      try {
        feed = await buildFeed(
          execute,
          target,
          { self: `${base}${feedPath(target)}`, web: settings.webUrl },
          settings.entries,
        );
      } catch (error) {
        if (isMissing(error)) return notFound();
        logger.error('feed could not be built', { error, feed: target.kind });
        return sendText(res, 503, WORDS[target.lang].unavailable, { 'retry-after': '30' }, head);
      }
      if (!feed) return notFound();

      const body = Buffer.from(renderAtom(feed, WORDS[target.lang].city), 'utf8');
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
      const lastModified = new Date(feedUpdated(feed)).toUTCString();
      const headers = {
        ...OPEN_HEADERS,
        'content-type': 'application/atom+xml; charset=utf-8',
        'content-language': target.lang,
        etag,
        'last-modified': lastModified,
        'cache-control': 'public, max-age=60',
      };
      const tags = req.header('if-none-match');
      const since = req.header('if-modified-since');
      const notModified = tags
        ? tags.split(',').some((t) => [etag, `W/${etag}`, '*'].includes(t.trim()))
        : Boolean(since && Date.parse(since) >= Date.parse(lastModified));
      if (notModified) {
        res.writeHead(304, headers);
        res.end();
        return;
      }
      res.writeHead(200, { ...headers, 'content-length': String(body.length) });
      res.end(head ? undefined : body);
    },
  };
}

/** Open data, Open311 and the feeds: the anonymous routes answered before CORS and authentication. */
export function withFeeds<T extends FeedService>(publicData: T, feeds: FeedService): T {
  return {
    ...publicData,
    handles: (path: string) => feeds.handles(path) || publicData.handles(path),
    serve: (req: IncomingRequest, res: ServerResponse) =>
      feeds.handles(req.path) ? feeds.serve(req, res) : publicData.serve(req, res),
  };
}
