// Hive Gateway on the committed supergraph, for a city that outgrows the Node gateway's PUBLIC
// traffic: `hive-gateway supergraph -c deploy/hive-gateway/gateway.config.ts` in the one image
// (deploy/kubernetes/hive-gateway.yaml). The same limits as apps/gateway (same variables, same
// defaults): cost from the supergraph's @cost/@listSize, depth, tokens; field suggestions hidden and
// introspection off as in production. Every subgraph request is signed with the PUBLIC identity,
// so the subgraphs run in production mode and answer only what the public may see: this gateway
// verifies no credentials (staff and partners keep using the Node gateway).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PUBLIC_IDENTITY, signIdentity } from '@civic/server-kit/identity';
import { PORTS, SUBGRAPHS } from '@civic/server-kit/ports';
import { defineConfig } from '@graphql-hive/gateway';

const root = join(import.meta.dirname, '..', '..');
// Read at start like the Node gateway's settings (not build inputs).
const env = process.env;
const number = (name: string, fallback: number) => {
  const value = Number(env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
};

/** The Node gateway's defaults (apps/gateway/src/env.ts), read from the same variables. */
export const limits = {
  maxCost: number('MAX_COST', 5_000),
  defaultListSize: number('DEFAULT_LIST_SIZE', 20),
  maxDepth: number('MAX_DEPTH', 10),
  maxTokens: number('MAX_TOKENS', 2_000),
};

/** The committed supergraph with each subgraph at <NAME>_URL (the cluster's Services). */
export function supergraph(): string {
  let sdl = readFileSync(env.SUPERGRAPH_PATH ?? join(root, 'apps', 'gateway', 'supergraph.graphql'), 'utf8');
  for (const name of SUBGRAPHS) {
    const url = env[`${name.toUpperCase()}_URL`];
    if (url) sdl = sdl.replaceAll(`http://127.0.0.1:${PORTS[name]}/graphql`, url);
  }
  return sdl;
}

const secret = env.CIVIC_GATEWAY_SECRET ?? '';

export const gatewayConfig = defineConfig({
  supergraph: supergraph(),
  graphqlEndpoint: '/graphql',
  healthCheckEndpoint: '/health',
  readinessCheckEndpoint: '/ready',
  landingPage: false,
  graphiql: false,
  logging: env.LOG_LEVEL === 'debug' ? 'debug' : 'warn',
  demandControl: { maxCost: limits.maxCost, listSize: limits.defaultListSize },
  maxDepth: limits.maxDepth,
  maxTokens: limits.maxTokens,
  blockFieldSuggestions: true,
  disableIntrospection: { disableIf: () => true },
  plugins: () => [
    {
      onFetch({ options, setOptions }) {
        const body = typeof options.body === 'string' ? options.body : '';
        setOptions({
          ...options,
          headers: { ...(options.headers as Record<string, string>), ...signIdentity(secret, PUBLIC_IDENTITY, body) },
        });
      },
    },
  ],
});
