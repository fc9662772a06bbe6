import { defineConfig } from 'vitest/config';

// Lighthouse scores performance on this machine's CPU: it runs as a project of its own, in a group
// after every other project has finished (sequence.groupOrder), so no other stack competes for the
// two cores while it measures.
export default defineConfig({
  test: {
    name: '@civic/web-lighthouse',
    include: ['test/lighthouse.browser.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 420_000,
    fileParallelism: false,
    sequence: { groupOrder: 1 },
  },
});
