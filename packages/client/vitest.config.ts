import { defineConfig } from 'vitest/config';

// The client is tested against the real stack (built dist/ of every service).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 400_000,
  },
});
