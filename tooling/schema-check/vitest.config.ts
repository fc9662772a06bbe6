import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    // graphql-inspector must load the same graphql module as check.mjs (one realm).
    server: { deps: { inline: [/@graphql-inspector/] } },
  },
});
