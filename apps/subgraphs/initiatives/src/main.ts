import { runSubgraphProcess } from '@civic/server-kit/subgraph';
import { initiativesSubgraph } from './subgraph.ts';

await runSubgraphProcess(initiativesSubgraph);
