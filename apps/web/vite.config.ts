import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** Prints the JavaScript residents download (entry and its static imports) and the lazy staff chunks, gzipped. */
function bundleSize(): Plugin {
  return {
    name: 'civic-bundle-size',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
      const initial = new Set<string>();
      const visit = (name: string) => {
        if (initial.has(name)) return;
        initial.add(name);
        const chunk = bundle[name];
        if (chunk?.type === 'chunk') for (const imported of chunk.imports) visit(imported);
      };
      for (const chunk of chunks) if (chunk.isEntry) visit(chunk.fileName);
      const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
      let entry = 0;
      let lazy = 0;
      for (const chunk of chunks) {
        const size = gzipSync(chunk.code).length;
        if (initial.has(chunk.fileName)) entry += size;
        else lazy += size;
      }
      this.info(`JS gzipped: ${kb(entry)} on first load, ${kb(lazy)} in lazy staff chunks`);
    },
  };
}

export default defineConfig({
  plugins: [react(), bundleSize()],
  server: { port: 5173, strictPort: true },
  preview: { port: 5173, strictPort: true },
  build: { sourcemap: true },
});
