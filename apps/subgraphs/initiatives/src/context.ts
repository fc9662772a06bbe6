import type { SubgraphContextBase } from '@civic/server-kit/subgraph';
import DataLoader from 'dataloader';
import type { InitiativesPrisma } from './db.ts';
import type { ConversationStatsSource } from './feeds/conversation-stats.ts';
import type { Initiative } from './generated/prisma/client.ts';

export interface Context extends SubgraphContextBase {
  prisma: InitiativesPrisma;
  loaders: ReturnType<typeof createLoaders>;
  /** Engagement's published-conversation counts, read through the gateway. */
  conversationStats: ConversationStatsSource;
}

/** Per-request loaders: N entity references cost one query. */
function createLoaders(prisma: InitiativesPrisma) {
  return {
    initiative: new DataLoader<string, Initiative | null>(async (ids) => {
      const rows = await prisma.initiative.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

export function createContextFactory(conversationStats: ConversationStatsSource) {
  return (base: SubgraphContextBase, prisma: InitiativesPrisma): Context => ({
    ...base,
    prisma,
    loaders: createLoaders(prisma),
    conversationStats,
  });
}
