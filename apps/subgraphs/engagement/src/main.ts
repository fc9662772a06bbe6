import { runSubgraphProcess } from '@civic/server-kit/subgraph';
import { engagementSubgraph } from './subgraph.ts';

await runSubgraphProcess(engagementSubgraph);
