import { defineConfig } from 'vitest/config';

// Each file starts real subgraph and gateway processes from their built dist/.
export default defineConfig({
  test: {
    // Some tests start extra gateways of their own.
    testTimeout: 180_000,
    // Stacks start slowly on a machine shared with other suites (see helpers.productionStack).
    hookTimeout: 420_000,
    fileParallelism: false,
    // One file at a time, after the parallel projects; vitest would otherwise put these in a group of
    // its own that runs after every numbered group, Lighthouse's included (see vitest.config.ts).
    sequence: { groupOrder: 1 },
  },
});
