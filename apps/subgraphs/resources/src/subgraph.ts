import { fileURLToPath } from 'node:url';
import type { SubgraphDefinition } from '@civic/server-kit/subgraph';
import { startWebhookForwarder } from '@civic/webhooks/forward';
import { type Context, createContext } from './context.ts';
import { createPrisma, type ResourcesPrisma } from './db.ts';
import { startContentWorker } from './domain/content-translations.ts';
import { gatewayInitiatives, type InitiativeDirectory } from './domain/initiative-links.ts';
import { readResourcesEnv } from './env.ts';
import { schema } from './schema/index.ts';
import { seedResources } from './seed/seed.ts';

// This module sits one level below the package in src/ and in the bundle (dist/main.js).
const PACKAGE_DIR = new URL('../', import.meta.url);

/** The HSDS example tables copied into this app (data/hsds-example, CC BY-SA 4.0 Open Referral). */
export const HSDS_EXAMPLE_DIR = fileURLToPath(new URL('data/hsds-example/', PACKAGE_DIR));

export interface ResourcesOptions {
  /** Where initiative ids are confirmed before a service is linked; defaults to the gateway named by CIVIC_GATEWAY_URL. */
  initiatives?: InitiativeDirectory;
}

export function createResourcesSubgraph(options: ResourcesOptions = {}): SubgraphDefinition<ResourcesPrisma, Context> {
  let initiatives = options.initiatives;
  const directory: InitiativeDirectory = (id) => {
    if (!initiatives) {
      const env = readResourcesEnv();
      initiatives = gatewayInitiatives(env.gatewayUrl, env.gatewayTimeoutMs);
    }
    return initiatives(id);
  };
  return {
    name: 'resources',
    schema,
    migrationsDir: fileURLToPath(new URL('prisma/migrations', PACKAGE_DIR)),
    createPrisma,
    createContext: (base, prisma) => ({ ...createContext(base, prisma), initiatives: directory }),
    seed: (prisma, _sql, logger, mode) => seedResources(prisma, logger, mode),
    // Machine-translates directory content from the durable job queue, in this process (a sweep at
    // start covers seeded content; imports and edits queue their own).
    // …and hands its partner webhook events to engagement (an outbox on its own queue).
    startBackground: async (prisma, db, logger) => {
      const content = await startContentWorker(prisma, db, logger.child({ task: 'translate' }));
      const webhooks = await startWebhookForwarder(prisma, db, logger, {
        source: 'resources',
        schema: 'resources_webhooks',
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

export const resourcesSubgraph = createResourcesSubgraph();
