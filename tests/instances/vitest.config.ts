import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // The instances file starts eight services and HAProxy; nothing else of this project runs beside it.
    fileParallelism: false,
  },
});
