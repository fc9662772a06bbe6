import type { SubgraphContextBase } from '@civic/server-kit/subgraph';
import DataLoader from 'dataloader';
import type { ResourcesPrisma } from './db.ts';
import type { Organization, Service } from './generated/prisma/client.ts';

export interface Context extends SubgraphContextBase {
  prisma: ResourcesPrisma;
  loaders: ReturnType<typeof createLoaders>;
}

function byIds<T extends { id: string }>(load: (ids: string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = await load([...ids]);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Per-request loaders: N entity references cost one query. */
function createLoaders(prisma: ResourcesPrisma) {
  return {
    organization: byIds<Organization>((ids) => prisma.organization.findMany({ where: { id: { in: ids } } })),
    service: byIds<Service>((ids) => prisma.service.findMany({ where: { id: { in: ids } } })),
  };
}

export function createContext(base: SubgraphContextBase, prisma: ResourcesPrisma): Context {
  return { ...base, prisma, loaders: createLoaders(prisma) };
}
