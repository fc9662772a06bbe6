import { type Cache, cacheExchange } from '@urql/exchange-graphcache';
import { Client, fetchExchange } from 'urql';
import { getToken } from './auth.ts';

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

export function createClient(): Client {
  return new Client({
    url: GATEWAY_URL,
    exchanges: [
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
