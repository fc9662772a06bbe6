// Prints the subgraph schema to schema.graphql: the contract the supergraph is composed from.
import { writeFileSync } from 'node:fs';
import { printSubgraphSchema } from '@apollo/subgraph';
import { schema } from '../src/schema/index.ts';

writeFileSync(new URL('../schema.graphql', import.meta.url), printSubgraphSchema(schema));
