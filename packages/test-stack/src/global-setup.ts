import { SHARED_SUBGRAPHS_ENV, serveSharedSubgraphs } from './shared-subgraphs.ts';
import { startStack } from './stack.ts';

/**
 * The root vitest config's global setup: serves shared subgraphs (`StackOptions.shareSubgraphs`) to the
 * run's workers, and stops them when the run ends.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  // CIVIC_TEST_SHARE_SUBGRAPHS=0: every file starts subgraphs of its own (to compare, or to rule sharing out).
  if (process.env.CIVIC_TEST_SHARE_SUBGRAPHS === '0') return undefined;
  const broker = await serveSharedSubgraphs(startStack);
  process.env[SHARED_SUBGRAPHS_ENV] = broker.url;
  return async () => {
    delete process.env[SHARED_SUBGRAPHS_ENV];
    await broker.close();
  };
}
