import { cacheExchange } from '@urql/exchange-graphcache';
import { Client, fetchExchange } from 'urql';

/** The gateway is the only server the web client talks to. */
export const GATEWAY_URL: string = import.meta.env.VITE_GATEWAY_URL ?? 'http://localhost:4000/graphql';

// Types without an id are embedded in their parent in the normalized cache.
const UNKEYED_TYPES = Object.fromEntries(
  ['PageInfo', 'QueryConcernsConnection', 'QueryConcernsConnectionEdge'].map((name) => [name, () => null]),
);

export function createClient(): Client {
  return new Client({
    url: GATEWAY_URL,
    exchanges: [
      cacheExchange({
        keys: UNKEYED_TYPES,
      }),
      fetchExchange,
    ],
    fetchOptions: { headers: { 'apollo-require-preflight': 'true' } },
  });
}
