// tsx src/heap-growth.ts   then   node --max-old-space-size=384 --import tsx src/heap-growth.ts
// A synthetic check of V8's old-generation growing factor: a live set like a subgraph's heap after a
// full collection, and request-like garbage of which a share lives long enough to be promoted (the
// requests in flight under load). Prints the peak RSS.
import { readFileSync } from 'node:fs';

const rssMb = () => Number(readFileSync('/proc/self/status', 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
const live: { id: string; w: number[]; s: string }[] = [];
for (let i = 0; i < 600_000; i++) live.push({ id: `svc-${i}`, w: [i, i + 1, i + 2], s: `${'x'.repeat(40)}${i}` });
const inFlight: unknown[] = new Array(4000);
let peak = 0;
const started = Date.now();
for (let n = 0; n < 3_000_000; n++) {
  inFlight[n % inFlight.length] = {
    rows: Array.from({ length: 20 }, (_, k) => ({ k, name: `row ${n} ${k}`, v: [k, n] })),
  };
  if (n % 20_000 === 0) peak = Math.max(peak, rssMb());
}
console.log(
  JSON.stringify({
    flags: process.execArgv.filter((a) => a.startsWith('--max')).join(' ') || 'default',
    peakRssMb: Math.round(peak),
    heapTotalMb: Math.round(process.memoryUsage().heapTotal / 1048576),
    seconds: (Date.now() - started) / 1000,
    live: live.length,
  }),
);
