import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Pothos must load the same graphql module as the tests (one realm).
    server: { deps: { inline: [/@pothos\//] } },
  },
});
