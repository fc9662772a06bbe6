import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { PORTS, SUBGRAPHS, type SubgraphName } from '@civic/server-kit/ports';
import { parse, printSchema } from 'graphql';

export type Composition = { ok: true; supergraphSdl: string } | { ok: false; errors: string[] };

/** The URLs written into the supergraph; the gateway overrides them from its environment. */
export function defaultSubgraphUrl(name: SubgraphName): string {
  return `http://127.0.0.1:${PORTS[name]}/graphql`;
}

export function composeSubgraphs(readSdl: (name: SubgraphName) => string): Composition {
  const result = composeServices(
    SUBGRAPHS.map((name) => ({ name, url: defaultSubgraphUrl(name), typeDefs: parse(readSdl(name)) })),
  );
  if (result.errors && result.errors.length > 0) {
    return { ok: false, errors: result.errors.map((e) => e.message) };
  }
  if (!result.supergraphSdl) return { ok: false, errors: ['composition produced no supergraph'] };
  return { ok: true, supergraphSdl: result.supergraphSdl };
}

/** The client-facing schema (no federation machinery), for typed clients and docs. */
export function apiSchemaSdl(supergraphSdl: string): string {
  return printSchema(Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema());
}
