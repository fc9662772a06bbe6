import { createHash } from 'node:crypto';
import { type ApolloServerPlugin, type GraphQLRequestContextWillSendResponse, HeaderMap } from '@apollo/server';
import { answerWithPrepared } from '@civic/server-kit/http';
import type { Logger } from '@civic/server-kit/logger';
import { type DocumentNode, type FormattedExecutionResult, type FragmentDefinitionNode, Kind } from 'graphql';
import type { GatewayEnv } from './env.ts';
import type { GatewayContext } from './gateway.ts';
import type { Metrics } from './metrics.ts';
import {
  ALL_TAG,
  type CachedAnswer,
  memoryResponseCache,
  type ResponseCacheStore,
  redisResponseCache,
} from './response-cache-store.ts';
import { DERIVED_TAG, invalidationTags, tagsOfResult } from './response-cache-tags.ts';

export const CACHE_HEADER = 'x-cache';

export function openResponseCache(
  settings: GatewayEnv['responseCache'],
  redisUrl: string | undefined,
  refreshMs: number,
) {
  if (!settings.enabled) return undefined;
  const times = { ttlMs: settings.ttlSeconds * 1000, staleMs: settings.staleSeconds * 1000, refreshMs };
  return redisUrl
    ? redisResponseCache(redisUrl, { ...times, prefix: settings.redisPrefix })
    : memoryResponseCache({ ...times, maxBytes: settings.maxBytes });
}

type Outcome = 'hit' | 'stale' | 'miss' | 'bypass';

/** What Apollo is given for a hit whose stored bytes server-kit sends instead (see answerWithPrepared). */
const SENT_AS_PREPARED: FormattedExecutionResult = Object.freeze({ data: {} });

/** The key of a PUBLIC query's answer: its document, operation name and variables. */
function cacheKey(queryHash: string, operationName: string | undefined | null, variables: unknown): string {
  return createHash('sha256')
    .update(`PUBLIC\n${queryHash}\n${operationName ?? ''}\n${JSON.stringify(variables ?? {})}`)
    .digest('base64url');
}

/** `Cache-Control`, `ETag` and 304 for GET queries (POSTs are never cached by HTTP caches). */
function httpCaching(
  context: GraphQLRequestContextWillSendResponse<GatewayContext>,
  cacheable: boolean,
  maxAgeSeconds: number,
  text: () => string,
): void {
  const { request, response } = context;
  if (request.http?.method !== 'GET' || response.body.kind !== 'single') return;
  const headers = response.http.headers;
  if (!cacheable) {
    headers.set('cache-control', 'no-store');
    return;
  }
  headers.set('cache-control', `public, max-age=${maxAgeSeconds}`);
  headers.set('vary', 'authorization, x-api-key');
  const etag = `"${createHash('sha256').update(text()).digest('base64url').slice(0, 27)}"`;
  headers.set('etag', etag);
  const asked = request.http.headers.get('if-none-match');
  if (asked?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) response.http.status = 304;
}

/**
 * The gateway's response cache. Whole answers to queries from PUBLIC callers are kept (never a
 * PARTNER, STAFF or ADMIN answer, never one with errors), tagged with the entities they hold; a
 * mutation invalidates the answers tagged with what it returned (see response-cache-tags.ts) before
 * its own answer is sent, in the store every instance shares when Redis is configured. A store that
 * fails is skipped (the request runs as without a cache) and logged. A request with `Cache-Control:
 * no-cache` is computed and not stored. Changes made without a gateway mutation (background jobs) are
 * invalidated from the subgraphs' feeds (response-cache-invalidations.ts), the TTL bounding the rest.
 */
export function responseCachePlugin(options: {
  store: ResponseCacheStore | undefined;
  metrics: Pick<Metrics, 'observeResponseCache'>;
  httpMaxAgeSeconds: number;
  logger: Logger;
}): ApolloServerPlugin<GatewayContext> {
  const { store, metrics, logger } = options;
  const unavailable = (error: unknown) => {
    logger.warn('response cache unavailable; answering without it', { error });
    return undefined;
  };
  return {
    async requestDidStart() {
      let outcome: Outcome = 'bypass';
      let publicQuery = false;
      let pending: { key: string; sequence: number } | undefined;
      let hit: CachedAnswer | undefined;
      return {
        async responseForOperation({ operation, request, contextValue, queryHash }) {
          publicQuery = operation.operation === 'query' && contextValue.identity.role === 'PUBLIC';
          // A client asking for a fresh answer (Cache-Control: no-cache) gets one computed for it.
          const fresh = /no-cache|no-store/.test(request.http?.headers.get('cache-control') ?? '');
          if (!store || !publicQuery || !queryHash || fresh) return null;
          const key = cacheKey(queryHash, request.operationName, request.variables);
          const found = await store.get(key).catch(unavailable);
          if (!found) return null;
          if ('sequence' in found) {
            outcome = 'miss';
            pending = { key, sequence: found.sequence };
            return null;
          }
          outcome = found.stale ? 'stale' : 'hit';
          hit = found.answer;
          // Over HTTP the stored JSON is sent as it is (server-kit), not parsed and serialized again:
          // on a 666 kB dashboard that was most of a hit's cost. Apollo serializes only this stand-in.
          if (request.http) answerWithPrepared(request.http, hit);
          const result = request.http ? SENT_AS_PREPARED : (JSON.parse(hit.text) as FormattedExecutionResult);
          return {
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: 'single', singleResult: result },
          };
        },
        async willSendResponse(context) {
          const { response, schema, operation, document } = context;
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const clean = hit !== undefined || (result !== undefined && !result.errors && result.data != null);
          let text = hit?.text;
          const textOf = () => {
            text ??= JSON.stringify(result);
            return text;
          };
          if (store && result && !hit && operation && document) {
            const tagsOf = () => tagsOfResult(schema, operation, fragmentsOf(document), result.data);
            if (operation.operation === 'mutation') {
              const tags = writeInvalidation(tagsOf(), result.data == null);
              if (tags.length > 0) await store.invalidate(tags).catch(unavailable);
            } else if (pending && clean) {
              const entry = { text: textOf() };
              await store.store(pending.key, entry, [ALL_TAG, ...tagsOf()], pending.sequence).catch(unavailable);
            }
          }
          if (store) {
            response.http.headers.set(CACHE_HEADER, outcome);
            metrics.observeResponseCache(outcome);
          }
          httpCaching(context, publicQuery && clean, options.httpMaxAgeSeconds, textOf);
        },
      };
    },
  };
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return fragments;
}

/**
 * What a mutation's answer invalidates: what it returned; everything when it returned no entity
 * (it does not say what it changed); nothing when it answered no data (it failed, and writes are transactional).
 */
function writeInvalidation(returned: Set<string>, failed: boolean): string[] {
  returned.delete(DERIVED_TAG);
  if (returned.size > 0) return invalidationTags(returned);
  return failed ? [] : [ALL_TAG];
}
