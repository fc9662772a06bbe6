import { SHARED_SUBGRAPHS_ENV, serveSharedSubgraphs } from './shared-subgraphs.ts';
import { startStack } from './stack.ts';

/**
 * The root vitest config's global setup: serves shared subgraphs (`StackOptions.shareSubgraphs`) to the
 * run's workers, and stops them when the run ends.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const broker = await serveSharedSubgraphs(startStack);
  process.env[SHARED_SUBGRAPHS_ENV] = broker.url;
  return async () => {
    delete process.env[SHARED_SUBGRAPHS_ENV];
    await broker.close();
  };
}
