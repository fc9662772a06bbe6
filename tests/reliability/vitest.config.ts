import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // Each file starts a whole stack and kills parts of it; the sustained-load file measures an error
    // window. One file at a time keeps them from starving each other on a small machine.
    fileParallelism: false,
    // One file at a time, after the parallel projects; vitest would otherwise put these in a group of
    // its own that runs after every numbered group, Lighthouse's included (see vitest.config.ts).
    sequence: { groupOrder: 1 },
  },
});
