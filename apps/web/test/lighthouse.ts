import { launch } from 'chrome-launcher';
import lighthouse, { type Config, desktopConfig, type Flags } from 'lighthouse';
import { CHROMIUM_ARGS, type WebStack } from './harness.ts';

// Lighthouse audits of the production build (issue 19): the categories, their targets and the
// pages audited, shared by test/lighthouse.browser.test.ts and scripts/lighthouse.ts (the report).

export const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
export type Category = (typeof CATEGORIES)[number];

/** The lowest acceptable score (0–100) per category, on a phone (Lighthouse's mobile preset). */
export const TARGETS: Record<Category, number> = {
  performance: 90,
  accessibility: 100,
  'best-practices': 95,
  seo: 95,
};

export interface AuditedPage {
  name: string;
  /** The hash route, e.g. `#/concerns`. */
  route: string;
}

export type FormFactor = 'mobile' | 'desktop';

export interface PageAudit {
  page: AuditedPage;
  formFactor: FormFactor;
  /** Median over the runs of each category's score, 0–100. */
  scores: Record<Category, number>;
  /** Every run's scores, in order. */
  runs: Record<Category, number>[];
  /** Median of Lighthouse's total-byte-weight: bytes transferred for a cold load. */
  bytes: number;
  /** Median number of network requests. */
  requests: number;
  /** Median of the metrics (ms; CLS unitless). */
  metrics: { fcp: number; lcp: number; tbt: number; cls: number; speedIndex: number };
  /** The largest transfers of the median-performance run: URL path and bytes. */
  largest: { url: string; bytes: number }[];
  /** Audits that lost points in a category below its target, in the median-performance run. */
  shortfalls: string[];
  /** Lighthouse's measure of the host's CPU speed (median): lower on a slower or busier machine. */
  benchmarkIndex: number;
  /** The CPU slowdown the phone runs were simulated with (median; see cpuSlowdownFor). */
  cpuSlowdownMultiplier: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** The pages of issue 19's audit, with ids of the demo data the stack's gateway serves. */
export async function auditedPages(web: WebStack): Promise<AuditedPage[]> {
  const data = await web.query<{
    concerns: { edges: { node: { id: string; neighborhoodId: string | null } }[] };
    initiatives: { id: string }[] | null;
    neighborhoods: { id: string }[];
  }>(
    `{
      concerns(first: 20, orderBy: MOST_SUPPORTED, filter: { ward: 1 }) { edges { node { id neighborhoodId } } }
      initiatives { id }
      neighborhoods { id }
    }`,
  );
  const concern = data.concerns.edges.find((e) => e.node.neighborhoodId)?.node;
  const initiative = data.initiatives?.[0];
  if (!concern?.neighborhoodId || !initiative) throw new Error('the demo data has no concern or initiative to audit');
  return [
    { name: 'Dashboard', route: '#/' },
    { name: 'Concerns list', route: '#/concerns' },
    { name: 'A concern', route: `#/concerns/${concern.id}` },
    { name: 'An initiative', route: `#/initiatives/${initiative.id}` },
    { name: 'A neighborhood', route: `#/neighborhoods/${concern.neighborhoodId}` },
    { name: 'Resource directory', route: '#/resources' },
  ];
}

interface Run {
  scores: Record<Category, number>;
  bytes: number;
  requests: number;
  metrics: PageAudit['metrics'];
  largest: PageAudit['largest'];
  shortfalls: string[];
  benchmarkIndex: number;
  cpuSlowdownMultiplier: number;
}

/**
 * Lighthouse's mobile preset slows the host's CPU 4× to emulate a mid-tier phone, which assumes a host
 * of its "high-end desktop" class (benchmarkIndex 1500–2000). On a slower or busier host (Lighthouse warns
 * below 1000) the same 4× emulates a much slower phone than the preset means, so the slowdown is
 * calibrated to the host as Lighthouse's throttling guide ("Calibrating multipliers") recommends: in
 * proportion to the host's benchmarkIndex, 4× at 1500 and above, never below 1×.
 */
export const PRESET_HOST_BENCHMARK_INDEX = 1500;
export function cpuSlowdownFor(benchmarkIndex: number): number {
  const multiplier = (4 * benchmarkIndex) / PRESET_HOST_BENCHMARK_INDEX;
  return Math.round(Math.min(4, Math.max(1, multiplier)) * 100) / 100;
}

type Lhr = NonNullable<Awaited<ReturnType<typeof lighthouse>>>['lhr'];

function readRun(lhr: Lhr): Run {
  const scores = Object.fromEntries(
    CATEGORIES.map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)]),
  ) as Record<Category, number>;
  const numeric = (id: string) => lhr.audits[id]?.numericValue ?? Number.NaN;
  const requests = (lhr.audits['network-requests']?.details as { items?: unknown[] } | undefined)?.items ?? [];
  const weights =
    (lhr.audits['total-byte-weight']?.details as { items?: { url: string; totalBytes: number }[] } | undefined)
      ?.items ?? [];
  const shortfalls = CATEGORIES.filter((c) => scores[c] < TARGETS[c]).flatMap((c) =>
    (lhr.categories[c]?.auditRefs ?? [])
      .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id]?.score ?? 1) < 1)
      .map((ref) => {
        const audit = lhr.audits[ref.id];
        return `${c}: ${ref.id} (${audit?.displayValue ?? audit?.score}) ${audit?.title ?? ''}`;
      }),
  );
  return {
    scores,
    bytes: numeric('total-byte-weight'),
    requests: requests.length,
    metrics: {
      fcp: numeric('first-contentful-paint'),
      lcp: numeric('largest-contentful-paint'),
      tbt: numeric('total-blocking-time'),
      cls: numeric('cumulative-layout-shift'),
      speedIndex: numeric('speed-index'),
    },
    largest: weights.slice(0, 5).map((w) => ({ url: new URL(w.url).pathname, bytes: w.totalBytes })),
    shortfalls,
    benchmarkIndex: lhr.environment.benchmarkIndex,
    cpuSlowdownMultiplier: lhr.configSettings.throttling.cpuSlowdownMultiplier,
  };
}

export interface AuditOptions {
  formFactor: FormFactor;
  runs: number;
  /** Called after each run (progress for the report script). */
  onRun?: (page: AuditedPage, run: number, scores: Record<Category, number>) => void;
}

/**
 * Audits each page `runs` times in one headless Debian Chromium (a fresh load each time: Lighthouse
 * clears the origin's cache and storage first) and takes the median of every figure.
 */
export async function auditPages(webUrl: string, pages: AuditedPage[], options: AuditOptions): Promise<PageAudit[]> {
  const chrome = await launch({
    chromePath: '/usr/bin/chromium',
    chromeFlags: ['--headless=new', ...CHROMIUM_ARGS],
    logLevel: 'silent',
  });
  const flags: Flags = {
    port: chrome.port,
    logLevel: 'error',
    output: 'json',
    onlyCategories: [...CATEGORIES],
    // Screenshots for the HTML report only; Speed Index reads the trace's own frames.
    disableFullPageScreenshot: true,
    skipAudits: ['screenshot-thumbnails', 'final-screenshot'],
  };
  const config: Config | undefined = options.formFactor === 'desktop' ? desktopConfig : undefined;
  const audits: PageAudit[] = [];
  // The host's speed changes with its load, so each phone run is calibrated by the index measured in
  // the run before it; a first, unscored run measures it for the first page.
  let hostIndex = 0;
  const audit = async (url: string) => {
    const throttling =
      options.formFactor === 'mobile' && hostIndex > 0
        ? { throttling: { cpuSlowdownMultiplier: cpuSlowdownFor(hostIndex) } }
        : {};
    const result = await lighthouse(url, { ...flags, ...throttling }, config);
    if (result) hostIndex = result.lhr.environment.benchmarkIndex;
    return result;
  };
  try {
    if (options.formFactor === 'mobile' && pages[0]) await audit(`${webUrl}/${pages[0].route}`);
    for (const page of pages) {
      const runs: Run[] = [];
      for (let i = 0; i < options.runs; i++) {
        const result = await audit(`${webUrl}/${page.route}`);
        if (!result) throw new Error(`Lighthouse returned nothing for ${page.route}`);
        if (result.lhr.runtimeError) throw new Error(`${page.route}: ${result.lhr.runtimeError.message}`);
        const run = readRun(result.lhr);
        runs.push(run);
        options.onRun?.(page, i + 1, run.scores);
      }
      const byPerformance = [...runs].sort((a, b) => a.scores.performance - b.scores.performance);
      const middle = byPerformance[Math.floor(byPerformance.length / 2)] as Run;
      const of = (pick: (run: Run) => number) => median(runs.map(pick));
      audits.push({
        page,
        formFactor: options.formFactor,
        scores: Object.fromEntries(CATEGORIES.map((c) => [c, of((r) => r.scores[c])])) as Record<Category, number>,
        runs: runs.map((r) => r.scores),
        bytes: of((r) => r.bytes),
        requests: of((r) => r.requests),
        metrics: {
          fcp: of((r) => r.metrics.fcp),
          lcp: of((r) => r.metrics.lcp),
          tbt: of((r) => r.metrics.tbt),
          cls: of((r) => r.metrics.cls),
          speedIndex: of((r) => r.metrics.speedIndex),
        },
        largest: middle.largest,
        shortfalls: middle.shortfalls,
        benchmarkIndex: of((r) => r.benchmarkIndex),
        cpuSlowdownMultiplier: of((r) => r.cpuSlowdownMultiplier),
      });
    }
  } finally {
    chrome.kill();
  }
  return audits;
}

/** "Dashboard: performance 84 < 90 (…audits that lost points)" for every category below its target. */
export function missedTargets(audits: PageAudit[]): string[] {
  return audits.flatMap((audit) =>
    CATEGORIES.filter((c) => audit.scores[c] < TARGETS[c]).map(
      (c) =>
        `${audit.page.name} (${audit.page.route}): ${c} ${audit.scores[c]} < ${TARGETS[c]}; runs ${audit.runs
          .map((r) => r[c])
          .join(
            ', ',
          )}; host benchmarkIndex ${audit.benchmarkIndex}, CPU slowdown ${audit.cpuSlowdownMultiplier}×; ${audit.shortfalls
          .filter((s) => s.startsWith(`${c}:`))
          .join('; ')}`,
    ),
  );
}
