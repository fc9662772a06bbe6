import { defineConfig } from 'vitest/config';

// Each file starts real subgraph and gateway processes from their built dist/.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
