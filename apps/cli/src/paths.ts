import { join } from 'node:path';
import { findWorkspaceRoot } from '@civic/server-kit/env';
import type { SubgraphName } from '@civic/server-kit/ports';

export const root = findWorkspaceRoot(new URL('.', import.meta.url).pathname);

export const paths = {
  dataDir: process.env.CIVIC_DATA_DIR ?? join(root, '.data'),
  subgraphEntry: (name: SubgraphName) => join(root, 'apps', 'subgraphs', name, 'dist', 'main.js'),
  migrations: (name: SubgraphName) => join(root, 'apps', 'subgraphs', name, 'prisma', 'migrations'),
  gatewayEntry: join(root, 'apps', 'gateway', 'dist', 'main.js'),
  webDir: join(root, 'apps', 'web'),
};
