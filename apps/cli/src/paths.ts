import { join } from 'node:path';
import { findWorkspaceRoot } from '@civic/server-kit/env';
import type { SubgraphName } from '@civic/server-kit/ports';
import { cliEnv } from './env.ts';

export const root = findWorkspaceRoot(new URL('.', import.meta.url).pathname);

export const paths = {
  get dataDir() {
    return cliEnv().dataDir ?? join(root, '.data');
  },
  subgraphEntry: (name: SubgraphName) => join(root, 'apps', 'subgraphs', name, 'dist', 'main.js'),
  migrations: (name: SubgraphName) => join(root, 'apps', 'subgraphs', name, 'prisma', 'migrations'),
  gatewayEntry: join(root, 'apps', 'gateway', 'dist', 'main.js'),
  webDir: join(root, 'apps', 'web'),
};
