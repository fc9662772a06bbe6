import { type Cache, cacheExchange } from '@urql/exchange-graphcache';
import { Client, type CombinedError, fetchExchange, mapExchange } from 'urql';
import { getToken } from './auth.ts';
import { unavailableServices } from './components/QueryState.tsx';

/** The gateway is the only server the web client talks to. */
export const GATEWAY_URL: string = import.meta.env.VITE_GATEWAY_URL ?? 'http://localhost:4000/graphql';

// Value types without an id are embedded in their parent in the normalized cache.
const EMBEDDED = [
  'PageInfo',
  'ConcernConnection',
  'ConcernEdge',
  'ServiceConnection',
  'ServiceEdge',
  'ConversationConnection',
  'ConversationEdge',
  'GoalStatusSummary',
  'StatusCount',
  'InitiativeStatusCount',
  'ResourceSuggestion',
  'ServiceArea',
  'ConversationSource',
  'EquityGap',
  'ConversationMonth',
  'RelatedFact',
  'InitiativeRelatedFact',
  'ResidentContact',
];

const wardKey = (ward: object) => String((ward as { number?: number }).number);

type Entity = { __typename?: string; id?: string };

/**
 * Drops a list field under every set of arguments it was read with: Graphcache's
 * `invalidate(entity, field)` without arguments only drops the argument-less one.
 */
function invalidateList(cache: Cache, entity: string, field: string) {
  for (const cached of cache.inspectFields(entity)) {
    if (cached.fieldName === field) cache.invalidate(entity, field, cached.arguments ?? undefined);
  }
}

/** An alignment made or removed changes lists on both sides; refetch them wherever they are shown. */
function invalidateAlignment(result: unknown, cache: Cache) {
  const alignment = result as { initiative?: Entity | null; resource?: Entity | null } | undefined;
  // The concern page refetches itself (keeping what it shows meanwhile); see AlignPanel.
  for (const entity of [alignment?.initiative, alignment?.resource]) {
    const key =
      entity?.__typename && entity.id ? cache.keyOfEntity({ __typename: entity.__typename, id: entity.id }) : null;
    if (key) invalidateList(cache, key, 'concerns');
  }
  invalidateList(cache, 'Query', 'equityGapReport');
}

/**
 * Keeps a query's "service unavailable" errors on the answers the cache gives it later. Graphcache
 * stores data, not errors: when another query writes an entity this one reads (the concern page's
 * disputes, say), it answers this one again from the cache, without the error, and the page's notice
 * that a service is down disappeared while the service was still down. An answer from the network
 * replaces what was kept.
 */
function keepUnavailableExchange() {
  const kept = new Map<number, CombinedError>();
  return mapExchange({
    onResult(result) {
      if (result.operation.kind !== 'query') return result;
      const outcome = result.operation.context.meta?.cacheOutcome;
      if (outcome !== 'hit' && outcome !== 'partial') {
        if (result.error && unavailableServices(result.error).length > 0) kept.set(result.operation.key, result.error);
        else kept.delete(result.operation.key);
        return result;
      }
      const error = kept.get(result.operation.key);
      return error && !result.error ? { ...result, error } : result;
    },
  });
}

export function createClient(): Client {
  return new Client({
    url: GATEWAY_URL,
    exchanges: [
      keepUnavailableExchange(),
      cacheExchange({
        keys: {
          ...Object.fromEntries(EMBEDDED.map((name) => [name, () => null])),
          Ward: wardKey,
        },
        updates: {
          Mutation: {
            alignConcern(result, _args, cache) {
              invalidateAlignment(result.alignConcern, cache);
            },
            unalignConcern(result, _args, cache) {
              invalidateAlignment(result.unalignConcern, cache);
            },
            changeConcernStatus(_result, _args, cache) {
              // Lists filtered by status; the concern itself updates through its id.
              invalidateList(cache, 'Query', 'concerns');
            },
            createConversation(_result, _args, cache) {
              invalidateList(cache, 'Query', 'conversations');
            },
            publishConversation(_result, _args, cache) {
              invalidateList(cache, 'Query', 'concerns');
              invalidateList(cache, 'Query', 'conversations');
            },
          },
        },
      }),
      fetchExchange,
    ],
    fetchOptions: () => {
      const token = getToken();
      return {
        headers: {
          'apollo-require-preflight': 'true',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      };
    },
  });
}
