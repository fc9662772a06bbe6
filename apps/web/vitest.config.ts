import { defineConfig } from 'vitest/config';

// Browser tests start the real built stack (subgraphs + gateway), build and serve this app,
// and drive Debian's Chromium through playwright-core.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Lighthouse runs alone, after everything else: vitest.lighthouse.config.ts.
    exclude: ['test/lighthouse.browser.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 420_000,
    fileParallelism: false,
    // One file at a time, after the parallel projects; vitest would otherwise put these in a group of
    // its own that runs after every numbered group, Lighthouse's included (see vitest.config.ts).
    sequence: { groupOrder: 1 },
  },
});
