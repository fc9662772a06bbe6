import { defineConfig } from 'vitest/config';

// The CLI is run as a built process (dist/main.js), against a real gateway where needed.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    // Starting a whole stack while another test file does the same on a 2-core machine (as the gateway's tests allow).
    hookTimeout: 420_000,
  },
});
