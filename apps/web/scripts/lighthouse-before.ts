// `pnpm --filter @civic/web exec tsx scripts/lighthouse-before.ts <root of an earlier checkout's apps/web>`:
// the "before" figures of lighthouse/REPORT.md. Builds the earlier client with its own vite.config.ts (as its
// `npm run build` / `npm start` did: its preview served no compression and no cache headers) against today's
// stack and demo data, audits the same pages as scripts/lighthouse.ts the same way (phone: median of 3 runs,
// desktop: one) and writes lighthouse/before.json, which scripts/lighthouse.ts puts beside today's figures.
// The earlier checkout needs node_modules (a symlink to this repository's is enough when the dependencies
// it uses are the same) and its GraphQL documents must validate against today's API schema
// (`gql.tada check` with today's api-schema.graphql), or its pages would show errors instead of data.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { waitStackIdle } from '@civic/test-stack/stack';
import { startWebStack } from '../test/harness.ts';
import { type AuditedPage, auditedPages, auditPages, type Category, type PageAudit } from '../test/lighthouse.ts';

export interface BeforeFigures {
  commit: string;
  /** Whether today's gateway compressed the GraphQL answers (the gateway of bf5049c did not). */
  apiCompressed: boolean;
  date: string;
  load: string;
  pages: {
    name: string;
    route: string;
    /** false when the earlier client had no such page (it answered with its "not found" page). */
    existed: boolean;
    phone: { bytes: number; requests: number; scores: Record<Category, number> };
    desktop: { bytes: number; requests: number };
    largest: PageAudit['largest'];
  }[];
}

const args = process.argv.slice(2);
/**
 * `--uncompressed-api`: the gateway sends GraphQL answers uncompressed, as it did before f0639c9
 * (COMPRESS_MIN_BYTES=0); the earlier client's pages then weigh what they weighed against the gateway of
 * their time. Without it, today's gateway compresses answers of 1 kB or more.
 */
const uncompressedApi = args.includes('--uncompressed-api');
const [root, ...missingPages] = args.filter((a) => a !== '--uncompressed-api');
if (!root) throw new Error('usage: lighthouse-before.ts [--uncompressed-api] <earlier apps/web root> [page name…]');
const oldRoot = resolve(root);
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: oldRoot, encoding: 'utf8' }).trim();
/** Pages the earlier client did not have (its App.tsx answered their routes with NotFoundPage). */
const missing = new Set(missingPages);

const web = await startWebStack({
  production: true,
  root: oldRoot,
  gatewayEnv: uncompressedApi ? { COMPRESS_MIN_BYTES: '0' } : undefined,
});
await waitStackIdle(web.stack);
try {
  const pages: AuditedPage[] = await auditedPages(web);
  const loadBefore = loadavg()[0] ?? 0;
  const onRun = (page: AuditedPage, run: number, scores: Record<Category, number>) =>
    console.log(`${page.name} run ${run}: ${JSON.stringify(scores)}`);
  const mobile = await auditPages(web.webUrl, pages, { formFactor: 'mobile', runs: 3, onRun });
  const desktop = await auditPages(web.webUrl, pages, { formFactor: 'desktop', runs: 1, onRun });
  const figures: BeforeFigures = {
    commit,
    apiCompressed: !uncompressedApi,
    date: new Date().toISOString().slice(0, 16),
    load: `${loadBefore.toFixed(1)} at the start, ${(loadavg()[0] ?? 0).toFixed(1)} at the end`,
    pages: mobile.map((m, i) => ({
      name: m.page.name,
      route: m.page.route,
      existed: !missing.has(m.page.name),
      phone: { bytes: m.bytes, requests: m.requests, scores: m.scores },
      desktop: { bytes: desktop[i]?.bytes ?? Number.NaN, requests: desktop[i]?.requests ?? Number.NaN },
      largest: m.largest,
    })),
  };
  const out = join(
    new URL('..', import.meta.url).pathname,
    'lighthouse',
    uncompressedApi ? 'before.json' : 'before-api-compressed.json',
  );
  writeFileSync(out, `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`wrote ${out}`);
} finally {
  await web.close();
}
