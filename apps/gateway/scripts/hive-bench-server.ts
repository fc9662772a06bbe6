// Hive Gateway serving the committed supergraph on the given subgraphs, for the benchmark's
// comparison (bench/src/run.ts starts it as its own process). It signs the PUBLIC identity onto
// each subgraph request the way our gateway does, so the subgraphs run in production mode.
// Env: HIVE_PORT, CIVIC_GATEWAY_SECRET, ENGAGEMENT_URL, INITIATIVES_URL, RESOURCES_URL.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { PUBLIC_IDENTITY, signIdentity } from '@civic/server-kit/identity';
import { PORTS, SUBGRAPHS } from '@civic/server-kit/ports';
import { createGatewayRuntime } from '@graphql-hive/gateway';

const secret = process.env.CIVIC_GATEWAY_SECRET ?? '';
let supergraph = readFileSync(new URL('../supergraph.graphql', import.meta.url), 'utf8');
for (const name of SUBGRAPHS) {
  const url = process.env[`${name.toUpperCase()}_URL`];
  if (url) supergraph = supergraph.replaceAll(`http://127.0.0.1:${PORTS[name]}/graphql`, url);
}
const hive = createGatewayRuntime({
  supergraph,
  logging: false,
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
const server = createServer(hive);
server.listen(Number(process.env.HIVE_PORT ?? 4100), '127.0.0.1', () => {
  console.log(`hive gateway listening on ${process.env.HIVE_PORT}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
