// Builds the publishable package into pkg/: ESM and CommonJS JavaScript, type declarations, a
// package.json whose exports point at them and whose dependencies are registry packages, and the
// README. `npm pack ./pkg` makes the tarball. The workspace itself keeps importing the TypeScript
// sources (package.json `exports`), so nothing in the monorepo needs this build to run.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(here, 'pkg');
const ENTRIES = ['client', 'graphql', 'operations'] as const;
const source = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  description: string;
  license?: string;
  dependencies: Record<string, string>;
};

rmSync(out, { recursive: true, force: true });
for (const [format, dir, ext] of [
  ['esm', 'esm', '.js'],
  ['cjs', 'cjs', '.cjs'],
] as const) {
  await build({
    entryPoints: ENTRIES.map((e) => join(here, 'src', `${e}.ts`)),
    outdir: join(out, 'dist', dir),
    outExtension: { '.js': ext },
    bundle: true,
    packages: 'external',
    platform: 'neutral',
    format,
    target: 'es2022',
    logLevel: 'warning',
  });
}

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(here, 'tsconfig.build.json')], { stdio: 'inherit' });
copyFileSync(join(here, 'src', 'graphql-env.d.ts'), join(out, 'dist', 'types', 'graphql-env.d.ts'));
// Declarations keep the sources' `./x.ts` specifiers; a consumer's TypeScript resolves `./x.js` to x.d.ts.
for (const entry of ENTRIES) {
  const file = join(out, 'dist', 'types', `${entry}.d.ts`);
  writeFileSync(file, readFileSync(file, 'utf8').replace(/from '(\.\/[\w-]+?)(?:\.d)?\.ts'/g, "from '$1.js'"));
}

for (const dependency of Object.values(source.dependencies)) {
  if (dependency.startsWith('workspace:')) throw new Error('a published package depends on registry packages only');
}
const exportsOf = (entry: string) => ({
  types: `./dist/types/${entry}.d.ts`,
  import: `./dist/esm/${entry}.js`,
  require: `./dist/cjs/${entry}.cjs`,
});
const manifest = {
  name: source.name,
  version: source.version,
  description: source.description,
  ...(source.license ? { license: source.license } : {}),
  type: 'module',
  main: './dist/cjs/client.cjs',
  module: './dist/esm/client.js',
  types: './dist/types/client.d.ts',
  exports: {
    '.': exportsOf('client'),
    './graphql': exportsOf('graphql'),
    './operations': exportsOf('operations'),
    './package.json': './package.json',
  },
  files: ['dist', 'README.md'],
  sideEffects: false,
  engines: { node: '>=20' },
  dependencies: source.dependencies,
};
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
writeFileSync(join(out, 'dist', 'cjs', 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
copyFileSync(join(here, 'README.md'), join(out, 'README.md'));
console.log(`built ${source.name}@${source.version} in ${out}`);
