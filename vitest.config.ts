import { defineConfig } from 'vitest/config';

// One vitest run over every package's own vitest config (or defaults), so `npm test` reports
// a single total.
export default defineConfig({
  test: {
    projects: ['packages/*', 'apps/*', 'apps/subgraphs/*', 'tests/*', 'bench'],
    // End-to-end files each start a whole stack of processes; two at a time suit a 2-core machine.
    maxWorkers: 2,
  },
});
