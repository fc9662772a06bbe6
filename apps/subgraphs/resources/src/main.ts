import { runSubgraphProcess } from '@civic/server-kit/subgraph';
import { resourcesSubgraph } from './subgraph.ts';

await runSubgraphProcess(resourcesSubgraph);
