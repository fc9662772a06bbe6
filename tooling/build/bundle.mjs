#!/usr/bin/env node
// Usage: civic-bundle src/main.ts [src/other.ts ...]
// Workspace packages (@civic/*) export TypeScript sources, so they are bundled in;
// every other dependency stays external and is loaded from node_modules at run time.
import { build } from 'esbuild';

const entryPoints = process.argv.slice(2);
if (entryPoints.length === 0) {
  console.error('usage: civic-bundle <entry.ts> [...]');
  process.exit(2);
}

const externalUnlessWorkspace = {
  name: 'external-unless-workspace',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind === 'entry-point' || args.path.startsWith('@civic/')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

await build({
  entryPoints,
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [externalUnlessWorkspace],
  banner: {
    js: "import { createRequire as __civicCreateRequire } from 'node:module'; const require = __civicCreateRequire(import.meta.url);",
  },
});
