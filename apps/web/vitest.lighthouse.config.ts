import { defineConfig } from 'vitest/config';

// Lighthouse scores performance on this machine's CPU: it runs as a project of its own, in the last
// group (sequence.groupOrder 2: the parallel projects are 0, the one-file-at-a-time ones 1), so no
// other stack competes for the two cores while it measures.
export default defineConfig({
  test: {
    name: '@civic/web-lighthouse',
    include: ['test/lighthouse.browser.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 420_000,
    fileParallelism: false,
    sequence: { groupOrder: 2 },
  },
});
