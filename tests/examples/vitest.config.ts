import { defineConfig } from 'vitest/config';

// Each file starts the real stack from the built dist/ (and one a headless Chromium).
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 400_000,
    fileParallelism: false,
    // One file at a time, after the parallel projects; vitest would otherwise put these in a group of
    // its own that runs after every numbered group, Lighthouse's included (see vitest.config.ts).
    sequence: { groupOrder: 1 },
  },
});
