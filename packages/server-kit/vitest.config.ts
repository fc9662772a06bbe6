import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Apollo Server must load the same graphql module as the tests' schema (one realm).
    server: { deps: { inline: [/@apollo\/server/] } },
  },
});
