import type { SubgraphContextBase } from '@civic/server-kit/subgraph';
import DataLoader from 'dataloader';
import type { EngagementPrisma } from './db.ts';
import type { Concern } from './generated/prisma/client.ts';

export interface Context extends SubgraphContextBase {
  prisma: EngagementPrisma;
  loaders: ReturnType<typeof createLoaders>;
}

/** Per-request loaders: N entity references cost one query. */
function createLoaders(prisma: EngagementPrisma) {
  return {
    concern: new DataLoader<string, Concern | null>(async (ids) => {
      const rows = await prisma.concern.findMany({ where: { id: { in: [...ids] } } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
  };
}

export function createContext(base: SubgraphContextBase, prisma: EngagementPrisma): Context {
  return { ...base, prisma, loaders: createLoaders(prisma) };
}
