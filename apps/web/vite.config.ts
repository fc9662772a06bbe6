import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import compression from 'compression';
import { tsImport } from 'tsx/esm/api';
import { type Connect, defineConfig, type Plugin } from 'vite';
import type { DurhamMapAsset } from './scripts/durham-map.ts';

/** Prints the JavaScript every first load downloads (entry and its static imports) and the lazily loaded rest, gzipped. */
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
      this.info(`JS gzipped: ${kb(entry)} on first load, ${kb(lazy)} in lazy chunks (pages, maps, charts, staff)`);
    },
  };
}

const DURHAM_MAP_MODULE = 'virtual:durham-map';

/**
 * The neighborhoods-and-wards map as a static asset generated from `@civic/reference-data` at build
 * time (scripts/durham-map.ts): `import mapUrl from 'virtual:durham-map'` gives its address, whose
 * file name carries a hash of its content so that it can be cached forever.
 */
function durhamMap(): Plugin {
  let asset: DurhamMapAsset | undefined;
  // The generator reads @civic/reference-data, whose TypeScript Node cannot load as it is: tsx loads it.
  const built = async () => {
    if (!asset) {
      const generator: typeof import('./scripts/durham-map.ts') = await tsImport(
        './scripts/durham-map.ts',
        import.meta.url,
      );
      asset = generator.durhamMapAsset();
    }
    return asset;
  };
  let base = '/';
  let building = false;
  return {
    name: 'civic-durham-map',
    configResolved(config) {
      base = config.base;
      building = config.command === 'build';
    },
    resolveId(id) {
      return id === DURHAM_MAP_MODULE ? `\0${DURHAM_MAP_MODULE}` : undefined;
    },
    async load(id) {
      if (id !== `\0${DURHAM_MAP_MODULE}`) return undefined;
      const { fileName, source } = await built();
      if (building) this.emitFile({ type: 'asset', fileName, source });
      return `export default ${JSON.stringify(`${base}${fileName}`)};`;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (!asset || req.url !== `${base}${asset.fileName}`) return next();
        res.setHeader('Content-Type', 'application/json');
        res.end(asset.source);
      });
    },
    generateBundle() {
      if (!asset) return;
      this.info(`Durham map: ${asset.fileName}, ${asset.source.length} bytes, ${asset.gzipBytes} gzipped`);
    },
  };
}

/**
 * Opens the connection to the gateway while the scripts download: every page's data comes from
 * there, and its first request otherwise waits for DNS, TCP and the CORS preflight in turn.
 * `crossorigin`: the client's fetches carry no credentials, so they use the anonymous connection.
 */
function gatewayPreconnect(): Plugin {
  let origin = '';
  return {
    name: 'civic-gateway-preconnect',
    configResolved(config) {
      // The same default as src/client.ts.
      origin = new URL(config.env.VITE_GATEWAY_URL ?? 'http://localhost:4000/graphql').origin;
    },
    transformIndexHtml() {
      return [{ tag: 'link', attrs: { rel: 'preconnect', href: origin, crossorigin: '' }, injectTo: 'head' }];
    },
  };
}

/**
 * `vite preview` (npm start) as a static host should be: gzip for text, and files under assets/,
 * whose names carry a content hash, cached for a year without revalidation.
 */
function previewCaching(): Plugin {
  return {
    name: 'civic-preview-caching',
    configurePreviewServer(server) {
      // compression's types are Express's; it is plain connect middleware.
      server.middlewares.use(compression() as unknown as Connect.NextHandleFunction);
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '/').split('?')[0] ?? '/';
        res.setHeader(
          'Cache-Control',
          path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
        next();
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), bundleSize(), durhamMap(), gatewayPreconnect(), previewCaching()],
  server: { port: 5173, strictPort: true },
  preview: { port: 5173, strictPort: true },
  build: { sourcemap: true },
});
