import { runSeedCommand } from '@civic/server-kit/seed-command';
import { runSubgraphProcess } from '@civic/server-kit/subgraph';
import { refreshCoverage } from './domain/matching-coverage.ts';
import { neighborhoodCoverageIndex } from './domain/matching-neighborhoods.ts';
import { resourcesScaleSeed } from './seed/scale-seed.ts';
import { resourcesSubgraph } from './subgraph.ts';

// `node dist/main.js seed [--scale N] [--replace]` seeds the database and exits (see civic seed).
if (process.argv[2] === 'seed') await runSeedCommand(resourcesSubgraph, resourcesScaleSeed, process.argv.slice(3));
else
  await runSubgraphProcess(resourcesSubgraph, {
    // Backfills the coverage of services stored before it existed (or changed while no process ran).
    onStarted: (running, logger) => {
      void refreshCoverage(running.prisma, neighborhoodCoverageIndex())
        .then((n) => {
          if (n > 0) logger.info('service coverage computed', { services: n });
        })
        .catch((error) => logger.error('service coverage could not be computed', { error: String(error) }));
      return undefined;
    },
  });
