import { runSeedCommand } from '@civic/server-kit/seed-command';
import { exitWithSetupError } from '@civic/server-kit/startup';
import { runSubgraphProcess } from '@civic/server-kit/subgraph';
import {
  ALIGNMENT_WORKER_COMMAND,
  alignmentWorkerMode,
  runAlignmentWorkerProcess,
} from './domain/alignment-process.ts';
import { engagementScaleSeed } from './seed/scale-seed.ts';
import { engagementSubgraph } from './subgraph.ts';

// `node dist/main.js seed [--scale N] [--replace]` seeds the database and exits (see civic seed).
// `node dist/main.js alignment-worker`: the alignment engine's own process (ALIGNMENT_WORKER=process starts it).
if (process.argv[2] === 'seed') await runSeedCommand(engagementSubgraph, engagementScaleSeed, process.argv.slice(3));
else if (process.argv[2] === ALIGNMENT_WORKER_COMMAND) await runAlignmentWorkerProcess();
else {
  try {
    alignmentWorkerMode();
  } catch (error) {
    exitWithSetupError('engagement', error);
  }
  await runSubgraphProcess(engagementSubgraph);
}
