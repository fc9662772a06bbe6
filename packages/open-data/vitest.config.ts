import { defineConfig } from 'vitest/config';

// The tests build the datasets from a real stack (built dist/ processes).
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
