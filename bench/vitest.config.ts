import { defineConfig } from 'vitest/config';

// The smoke run starts the whole stack, seeds it, and runs every operation through both gateways:
// about a minute on a quiet machine, several on a busy one.
export default defineConfig({
  test: { testTimeout: 600_000, hookTimeout: 180_000 },
});
