import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Self time by function (and by package) from a .cpuprofile, largest first. */
export function topSelfTime(path: string, limit = 25): string[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as { nodes: Node[] };
  const total = profile.nodes.reduce((n, x) => n + (x.hitCount ?? 0), 0);
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const n of profile.nodes) {
    const url = n.callFrame.url;
    const pkg =
      url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)(?!.*node_modules)/)?.[1] ??
      (url ? url.replace(/^.*\/work\/main\//, '') : n.callFrame.functionName || '(native)');
    const key = `${n.callFrame.functionName || '(anonymous)'} ${pkg}:${n.callFrame.lineNumber}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + (n.hitCount ?? 0));
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + (n.hitCount ?? 0));
  }
  const fmt = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([k, v]) => `${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`);
  return ['by package:', ...fmt(byPackage), '', 'by function:', ...fmt(byFunction)];
}
