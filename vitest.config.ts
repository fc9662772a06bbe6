import { defineConfig } from 'vitest/config';

// One vitest run over every package's own vitest config (or defaults), so `npm test` reports
// a single total.
export default defineConfig({
  test: {
    // Every package with tests has its own vitest.config.ts (a folder without one is not a project,
    // so apps/subgraphs itself is not picked up as a second copy of its children's tests).
    projects: [
      'packages/*/vitest.config.ts',
      'apps/*/vitest.config.ts',
      'apps/web/vitest.lighthouse.config.ts',
      'apps/subgraphs/*/vitest.config.ts',
      'tests/*/vitest.config.ts',
      'tooling/*/vitest.config.ts',
      'bench/vitest.config.ts',
    ],
    // Serves subgraphs that test files share (`shareSubgraphs` in @civic/test-stack/stack) for the whole run.
    globalSetup: ['packages/test-stack/src/global-setup.ts'],
    // End-to-end files each start a whole stack of processes; two at a time suit a 2-core machine.
    maxWorkers: 2,
    // Order of the groups (each project's sequence.groupOrder): 0 the projects that run two files at a
    // time, 1 those that run one file at a time (fileParallelism: false), 2 Lighthouse alone. A
    // fileParallelism: false project left at 0 would go to a group vitest runs after every numbered one.
  },
});
