import { runSeedCommand } from '@civic/server-kit/seed-command';
import { runSubgraphProcess } from '@civic/server-kit/subgraph';
import { engagementScaleSeed } from './seed/scale-seed.ts';
import { engagementSubgraph } from './subgraph.ts';

// `node dist/main.js seed [--scale N] [--replace]` seeds the database and exits (see civic seed).
if (process.argv[2] === 'seed') await runSeedCommand(engagementSubgraph, engagementScaleSeed, process.argv.slice(3));
else await runSubgraphProcess(engagementSubgraph);
