import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // The instances file starts eight services and HAProxy; nothing else of this project runs beside it.
    fileParallelism: false,
    // One file at a time, after the parallel projects; vitest would otherwise put these in a group of
    // its own that runs after every numbered group, Lighthouse's included (see vitest.config.ts).
    sequence: { groupOrder: 1 },
  },
});
