import { fileURLToPath } from 'node:url';
import type { Database } from '@civic/db/connect';
import type { Logger } from '@civic/server-kit/logger';
import type { SubgraphDefinition } from '@civic/server-kit/subgraph';
import { type Context, createContext } from './context.ts';
import { createPrisma, type EngagementPrisma } from './db.ts';
import { alignmentWorkerMode, startAlignmentProcess } from './domain/alignment-process.ts';
import { startAlignmentWorker } from './domain/alignment-worker.ts';
import { startFollowWorker } from './domain/follow.ts';
import { startWebhookWorker } from './domain/webhook-delivery.ts';
import { schema } from './schema/index.ts';
import { refreshReferenceNeighborhoods } from './seed/reference.ts';
import { seedEngagement } from './seed/seed.ts';

/** The bundled entry (dist/main.js), one level under the package like src/. */
const BUILT_ENTRY = new URL('../dist/main.js', import.meta.url);

export const engagementSubgraph: SubgraphDefinition<EngagementPrisma, Context> = {
  name: 'engagement',
  schema,
  migrationsDir: fileURLToPath(new URL('../prisma/migrations', import.meta.url)),
  createPrisma,
  createContext,
  // Tags, translates and groups concerns from the durable job queue, in this process or (ALIGNMENT_WORKER=process)
  // in a child process of its own, forked from the built entry whatever runs this definition…
  // …and translates public notes and mails confirmed followers.
  startBackground: async (prisma, db, logger) => {
    const alignment = await startAlignment(prisma, db, logger);
    const follow = await startFollowWorker(prisma, db, logger).catch(async (error) => {
      await alignment.stop();
      throw error;
    });
    // …and POSTs partner webhook deliveries.
    const webhooks = await startWebhookWorker(prisma, db, logger).catch(async (error) => {
      await Promise.all([follow.stop(), alignment.stop()]);
      throw error;
    });
    return {
      async stop() {
        await Promise.all([webhooks.stop(), follow.stop(), alignment.stop()]);
      },
    };
  },
  seed: (prisma, sql, logger, mode) => seedEngagement(prisma, sql, logger, mode),
  refreshReference: (_prisma, sql, logger) => refreshReferenceNeighborhoods(sql, logger),
};

async function startAlignment(
  prisma: EngagementPrisma,
  db: Database,
  logger: Logger,
): Promise<{ stop(): Promise<void> }> {
  if (alignmentWorkerMode() === 'inline' || db.target.kind !== 'postgres') {
    return startAlignmentWorker(prisma, db, logger);
  }
  const sender = await startAlignmentWorker(prisma, db, logger, { work: false });
  const engine = await startAlignmentProcess(fileURLToPath(BUILT_ENTRY), logger).catch(async (error) => {
    await sender.stop();
    throw error;
  });
  return {
    async stop() {
      await Promise.all([engine.stop(), sender.stop()]);
    },
  };
}
