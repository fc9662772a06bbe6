import { setTimeout as sleep } from 'node:timers/promises';
import { encodeIdentity, PUBLIC_IDENTITY, signEncodedIdentity } from '@civic/server-kit/identity';
import { INVALIDATIONS_PATH, type InvalidationPage } from '@civic/server-kit/invalidations';
import type { Logger } from '@civic/server-kit/logger';
import type { GatewayEnv } from './env.ts';
import { ALL_TAG, type ResponseCacheStore } from './response-cache-store.ts';
import { invalidationTags } from './response-cache-tags.ts';
import { subgraphFetch } from './subgraph-fetch.ts';

/**
 * Follows each subgraph's feed of invalidations (what background writes changed, recorded in their
 * transactions: @civic/server-kit/invalidations) and clears the tagged answers from the store. Each
 * instance follows on its own; in the Redis store every instance shares, clearing twice is harmless.
 * A follower starts at the feed's newest record (it does not replay), keeps its place across a
 * subgraph's outages, and clears everything when it cannot know what it missed: records pruned while
 * it was away, a subgraph whose records went back (a new database), or a first read after failures.
 */
export interface InvalidationFollower {
  stop(): Promise<void>;
}

export interface FollowOptions {
  store: ResponseCacheStore;
  subgraphUrls: Record<string, string>;
  /** The gateway-subgraph HMAC key; the feed is signed the way GraphQL requests are. */
  secret: string | undefined;
  pollMs: number;
  timeoutMs: number;
  logger: Logger;
}

async function readFeed(url: string, after: number | undefined, options: FollowOptions): Promise<InvalidationPage> {
  const target = after === undefined ? url : `${url}?after=${after}`;
  const headers = options.secret ? signEncodedIdentity(options.secret, encodeIdentity(PUBLIC_IDENTITY), '') : {};
  const response = await subgraphFetch(target, { method: 'GET', headers, body: '' }, options.timeoutMs, {
    retryOnStaleConnection: true,
  });
  if (!response.ok) throw new Error(`${target} answered ${response.status}`);
  return (await response.json()) as InvalidationPage;
}

/** What one page asks the store to clear, and where the follower stands after it. */
export function pageInvalidation(
  after: number | undefined,
  page: InvalidationPage,
  missedReads: boolean,
): { tags: string[]; after: number } {
  if (after === undefined) return { tags: missedReads ? [ALL_TAG] : [], after: page.latest };
  if (page.latest < after || after + 1 < page.oldest) return { tags: [ALL_TAG], after: page.latest };
  const written = new Set<string>();
  for (const entry of page.entries) for (const tag of entry.tags) written.add(tag);
  return {
    tags: written.size > 0 ? invalidationTags(written) : [],
    after: page.entries.at(-1)?.seq ?? after,
  };
}

async function follow(name: string, graphqlUrl: string, options: FollowOptions, signal: AbortSignal) {
  const url = new URL(INVALIDATIONS_PATH, graphqlUrl).href;
  let after: number | undefined;
  let failures = 0;
  while (!signal.aborted) {
    let more = false;
    try {
      const page = await readFeed(url, after, options);
      const next = pageInvalidation(after, page, failures > 0);
      if (next.tags.length > 0) {
        // LOG_LEVEL=debug shows what each background write clears (what keeps clearing an answer).
        options.logger.debug('cache invalidations read', {
          subgraph: name,
          records: page.entries.length,
          written: page.entries.flatMap((e) => e.tags).slice(0, 50),
          cleared: next.tags.slice(0, 50),
        });
        await options.store.invalidate(next.tags);
      }
      if (failures > 0) options.logger.info('following cache invalidations again', { subgraph: name });
      after = next.after;
      more = page.more;
      failures = 0;
    } catch (error) {
      if (signal.aborted) return;
      if (failures++ === 0) {
        options.logger.warn('cache invalidations unavailable; retrying (the TTL still applies)', {
          subgraph: name,
          error: { name: (error as Error).name, message: (error as Error).message },
        });
      }
    }
    if (!more) await sleep(options.pollMs, undefined, { signal }).catch(() => {});
  }
}

export function followInvalidations(options: FollowOptions): InvalidationFollower {
  const controller = new AbortController();
  const loops = Object.entries(options.subgraphUrls).map(([name, url]) =>
    follow(name, url, options, controller.signal),
  );
  return {
    async stop() {
      controller.abort();
      // A read in flight ends by its timeout; shutdown does not wait for more than a second of it.
      await Promise.race([Promise.all(loops), sleep(1_000)]);
    },
  };
}

/** The gateway's followers of its three subgraphs, as its environment configures them. */
export function followSubgraphInvalidations(
  env: Pick<GatewayEnv, 'subgraphUrls' | 'gatewaySecret' | 'subgraphTimeoutMs' | 'responseCache'>,
  store: ResponseCacheStore,
  logger: Logger,
): InvalidationFollower {
  return followInvalidations({
    store,
    subgraphUrls: env.subgraphUrls,
    secret: env.gatewaySecret,
    pollMs: env.responseCache.invalidationPollMs,
    timeoutMs: env.subgraphTimeoutMs,
    logger: logger.child({ task: 'cache-invalidations' }),
  });
}
