import type { SubgraphContextBase } from '@civic/server-kit/subgraph';
import DataLoader from 'dataloader';
import type { InitiativesPrisma } from './db.ts';
import type { Initiative } from './generated/prisma/client.ts';

export interface Context extends SubgraphContextBase {
  prisma: InitiativesPrisma;
  loaders: ReturnType<typeof createLoaders>;
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

export function createContext(base: SubgraphContextBase, prisma: InitiativesPrisma): Context {
  return { ...base, prisma, loaders: createLoaders(prisma) };
}
