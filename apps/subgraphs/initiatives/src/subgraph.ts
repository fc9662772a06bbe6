import { fileURLToPath } from 'node:url';
import type { SubgraphDefinition } from '@civic/server-kit/subgraph';
import { type Context, createContext } from './context.ts';
import { createPrisma, type InitiativesPrisma } from './db.ts';
import { schema } from './schema/index.ts';
import { seedDemo } from './seed.ts';

export const initiativesSubgraph: SubgraphDefinition<InitiativesPrisma, Context> = {
  name: 'initiatives',
  schema,
  migrationsDir: fileURLToPath(new URL('../prisma/migrations', import.meta.url)),
  createPrisma,
  createContext,
  seed: (prisma, _sql, logger) => seedDemo(prisma, logger),
};
