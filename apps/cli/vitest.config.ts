import { defineConfig } from 'vitest/config';

// The CLI is run as a built process (dist/main.js), against a real gateway where needed.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
