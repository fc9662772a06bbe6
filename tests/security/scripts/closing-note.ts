// Figures for issues 16's closing note, on a fresh PGlite demo stack (built dist/ bundles):
// each subgraph's "demo data seeded" log line, and the ten neighborhoods with the highest SVI
// with whether the equity-priority rule in force marks them.
//   cd tests/security && tsx scripts/closing-note.ts
import { startStack } from '@civic/test-stack/stack';

const QUERY = `{
  equityPriorityRule { isDefault version }
  neighborhoods { name sviOverall equityPriority equityPriorityReasons { clause } }
}`;

type Answer = {
  data: {
    equityPriorityRule: { isDefault: boolean; version: number };
    neighborhoods: {
      name: string;
      sviOverall: number | null;
      equityPriority: boolean;
      equityPriorityReasons: { clause: string }[];
    }[];
  };
};

const started = Date.now();
const stack = await startStack({ seed: 'demo', env: { LOG_LEVEL: 'info' }, readyTimeoutMs: 600_000 });
try {
  console.log(`stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  for (const [name, process] of stack.processes) {
    for (const line of process.output.filter((l) => /data seeded/.test(l))) console.log(`${name}: ${line.trim()}`);
  }
  console.log(`query (POST ${stack.gatewayUrl}): ${QUERY.replace(/\s+/g, ' ')}`);
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: QUERY }),
  });
  const { data } = (await response.json()) as Answer;
  console.log(`rule: version ${data.equityPriorityRule.version}, default ${data.equityPriorityRule.isDefault}`);
  const top = data.neighborhoods
    .filter((n) => n.sviOverall !== null)
    .sort((a, b) => (b.sviOverall ?? 0) - (a.sviOverall ?? 0) || a.name.localeCompare(b.name))
    .slice(0, 10);
  for (const [i, n] of top.entries()) {
    const reasons = n.equityPriorityReasons.map((r) => r.clause).join(', ');
    console.log(
      `${i + 1}. ${n.name}: SVI ${n.sviOverall?.toFixed(4)}, priority ${n.equityPriority ? `yes (${reasons})` : 'no'}`,
    );
  }
} finally {
  await stack.destroy();
}
