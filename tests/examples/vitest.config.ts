import { defineConfig } from 'vitest/config';

// Each file starts the real stack from the built dist/ (and one a headless Chromium).
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 400_000,
    fileParallelism: false,
  },
});
