import { createLogger } from '@civic/server-kit/logger';
import { exitWithSetupError } from '@civic/server-kit/startup';
import { type RunningSubgraph, readSubgraphEnv, startSubgraph } from '@civic/server-kit/subgraph';
import type { InitiativesPrisma } from './db.ts';
import { readInitiativesEnv } from './env.ts';
import { gatewayConversationStats } from './feeds/conversation-stats.ts';
import { type MeasureRefresher, startMeasureRefresher } from './refresh.ts';
import { createInitiativesSubgraph } from './subgraph.ts';

// Like server-kit's runSubgraphProcess, plus the automatic-measure timer this subgraph owns.
let running: RunningSubgraph<InitiativesPrisma>;
let refresher: MeasureRefresher | undefined;
try {
  const env = readSubgraphEnv('initiatives');
  const own = readInitiativesEnv();
  const logger = createLogger('initiatives', env.logLevel);
  const conversationStats = gatewayConversationStats(own.gatewayUrl, own.gatewayTimeoutMs);
  running = await startSubgraph(createInitiativesSubgraph({ conversationStats }), { env, logger });
  if (own.refresh.enabled) {
    refresher = startMeasureRefresher({
      prisma: running.prisma,
      conversationStats,
      logger: logger.child({ task: 'measure-refresh' }),
      intervalMs: own.refresh.intervalMs,
      initialDelayMs: own.refresh.initialDelayMs,
    });
  }
} catch (error) {
  exitWithSetupError('initiatives', error);
}

let stopping = false;
const stop = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  refresher?.stop();
  await running.stop().catch(() => {});
  process.exit(signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : 1);
};
process.on('SIGTERM', () => void stop('SIGTERM'));
process.on('SIGINT', () => void stop('SIGINT'));
