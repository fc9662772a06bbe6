import { runSeedCommand } from '@civic/server-kit/seed-command';
import { runSubgraphProcess } from '@civic/server-kit/subgraph';
import {
  type ConversationStatsSource,
  gatewayConversationStats,
  startMeasureRefresher,
} from './domain/measure-refresh.ts';
import { type InitiativesEnv, readInitiativesEnv } from './env.ts';
import { initiativesScaleSeed } from './seed/scale-seed.ts';
import { createInitiativesSubgraph } from './subgraph.ts';

// `node dist/main.js seed [--scale N] [--replace]` seeds the database and exits (see civic seed).
if (process.argv[2] === 'seed') {
  await runSeedCommand(createInitiativesSubgraph(), initiativesScaleSeed, process.argv.slice(3));
}

let own: InitiativesEnv;
let conversationStats: ConversationStatsSource;

await runSubgraphProcess(
  () => {
    own = readInitiativesEnv();
    conversationStats = gatewayConversationStats(own.gatewayUrl, own.gatewayTimeoutMs);
    return createInitiativesSubgraph({ conversationStats });
  },
  {
    // The automatic measures are fed from the graph on a timer this subgraph owns.
    onStarted: (running, logger) =>
      own.refresh.enabled
        ? startMeasureRefresher({
            prisma: running.prisma,
            conversationStats,
            logger: logger.child({ task: 'measure-refresh' }),
            intervalMs: own.refresh.intervalMs,
            initialDelayMs: own.refresh.initialDelayMs,
          }).stop
        : undefined,
  },
);
