import { fileURLToPath } from 'node:url';
import type { SubgraphDefinition } from '@civic/server-kit/subgraph';
import { startWebhookForwarder } from '@civic/webhooks/forward';
import { type Context, createContextFactory } from './context.ts';
import { createPrisma, type InitiativesPrisma } from './db.ts';
import { startContentWorker } from './domain/content-translations.ts';
import { type ConversationStatsSource, gatewayConversationStats } from './domain/measure-refresh.ts';
import { readInitiativesEnv } from './env.ts';
import { schema } from './schema/index.ts';
import { seedDemo } from './seed/seed.ts';

export interface InitiativesOptions {
  /** Defaults to the gateway named by CIVIC_GATEWAY_URL. */
  conversationStats?: ConversationStatsSource;
}

export function createInitiativesSubgraph(
  options: InitiativesOptions = {},
): SubgraphDefinition<InitiativesPrisma, Context> {
  let source = options.conversationStats;
  const conversationStats: ConversationStatsSource = (range) => {
    if (!source) {
      const env = readInitiativesEnv();
      source = gatewayConversationStats(env.gatewayUrl, env.gatewayTimeoutMs);
    }
    return source(range);
  };
  return {
    name: 'initiatives',
    schema,
    migrationsDir: fileURLToPath(new URL('../prisma/migrations', import.meta.url)),
    createPrisma,
    createContext: createContextFactory(conversationStats),
    seed: (prisma, _sql, logger) => seedDemo(prisma, logger),
    // Machine-translates plan content from the durable job queue, in this process (a sweep at start
    // covers seeded and imported content).
    // …and hands its partner webhook events to engagement (an outbox on its own queue).
    startBackground: async (prisma, db, logger) => {
      const content = await startContentWorker(prisma, db, logger.child({ task: 'translate' }));
      const webhooks = await startWebhookForwarder(prisma, db, logger, {
        source: 'initiatives',
        schema: 'initiatives_webhooks',
      }).catch(async (error) => {
        await content.stop();
        throw error;
      });
      return {
        async stop() {
          await Promise.all([webhooks.stop(), content.stop()]);
        },
      };
    },
  };
}

export const initiativesSubgraph = createInitiativesSubgraph();
