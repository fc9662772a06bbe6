import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // A cache build starts the built engagement subgraph; a loaded 2-core machine needs minutes.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});
