import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Process-level tests need built dist/ bundles of every service: `vitest run --config vitest.e2e.config.ts`.
    exclude: ['**/node_modules/**', 'test/e2e/**'],
  },
});
