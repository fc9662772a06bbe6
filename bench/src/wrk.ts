import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LoadResult {
  requests: number;
  durationSeconds: number;
  throughput: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  /** Socket errors, non-2xx responses and responses carrying GraphQL errors. */
  errors: number;
}

// wrk's Lua hooks: POST the body, count responses whose status is not 2xx or whose body has
// GraphQL errors, and print the latency percentiles as JSON when the run is done.
const SCRIPT = `
local body_file = os.getenv("CIVIC_BENCH_BODY")
local headers_file = os.getenv("CIVIC_BENCH_HEADERS")
local f = assert(io.open(body_file, "r")); local text = f:read("*a"); f:close()
-- One body per line: a single body is sent as is, several in turn. Each thread sends its own stripe of them
-- (thread t of n: bodies t, t + n, t + 2n, ...), its connections taking the stripe's next body in turn, so that no
-- two requests in flight are the same unless a thread has more connections than its stripe has bodies: gateways
-- that share identical requests in flight (ours, Hive Gateway) get no help from the load generator itself.
local thread_count = tonumber(os.getenv("CIVIC_BENCH_THREADS")) or 1
local bodies = {}
for line in string.gmatch(text, "[^\\n]+") do bodies[#bodies + 1] = line end
wrk.body = bodies[1]
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
for line in io.lines(headers_file) do
  local k, v = line:match("^([^:]+):%s*(.*)$")
  if k then wrk.headers[k] = v end
end
local bad = 0
local threads = {}
local next_body = 0
function setup(thread)
  thread:set("stripe", #threads)
  table.insert(threads, thread)
end
if #bodies > 1 then
  request = function()
    local mine = math.max(1, math.floor(#bodies / thread_count))
    local index = ((stripe or 0) + thread_count * (next_body % mine)) % #bodies
    next_body = next_body + 1
    return wrk.format(nil, nil, nil, bodies[index + 1])
  end
end
function response(status, headers, body)
  if status < 200 or status > 299 or string.find(body, '"errors"', 1, true) then bad = bad + 1 end
end
function done(summary, latency, requests)
  local total_bad = 0
  for _, t in ipairs(threads) do total_bad = total_bad + (t:get("bad") or 0) end
  local errors = summary.errors
  local socket = errors.connect + errors.read + errors.write + errors.timeout
  io.write(string.format('CIVIC_RESULT {"requests":%d,"duration_us":%d,"p50":%d,"p95":%d,"p99":%d,"max":%d,"mean":%f,"bad":%d,"socket":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean, total_bad, socket))
end
`;

export async function runWrk(options: {
  url: string;
  /** One request body, or several sent in turn. */
  body: string | string[];
  headers?: Record<string, string>;
  connections: number;
  durationSeconds: number;
  threads?: number;
}): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'civic-wrk-'));
  try {
    writeFileSync(join(dir, 'script.lua'), SCRIPT);
    writeFileSync(join(dir, 'body.json'), (Array.isArray(options.body) ? options.body : [options.body]).join('\n'));
    writeFileSync(
      join(dir, 'headers.txt'),
      Object.entries(options.headers ?? {})
        .map(([k, v]) => `${k}: ${v}`)
        .join('\n'),
    );
    const threads = Math.min(options.threads ?? 2, options.connections);
    const args = [
      `-t${threads}`,
      `-c${options.connections}`,
      `-d${options.durationSeconds}s`,
      '--timeout',
      '10s',
      '-s',
      join(dir, 'script.lua'),
      options.url,
    ];
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn('wrk', args, {
        env: {
          ...process.env,
          CIVIC_BENCH_BODY: join(dir, 'body.json'),
          CIVIC_BENCH_HEADERS: join(dir, 'headers.txt'),
          CIVIC_BENCH_THREADS: String(threads),
        },
      });
      let text = '';
      child.stdout.on('data', (c: Buffer) => {
        text += c.toString();
      });
      child.stderr.on('data', (c: Buffer) => {
        text += c.toString();
      });
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}: ${text}`))));
    });
    const line = output.split('\n').find((l) => l.startsWith('CIVIC_RESULT '));
    if (!line) throw new Error(`wrk printed no result:\n${output}`);
    const r = JSON.parse(line.slice('CIVIC_RESULT '.length)) as Record<string, number>;
    const seconds = (r.duration_us ?? 0) / 1e6;
    const ms = (us: number | undefined) => Math.round(((us ?? 0) / 1000) * 100) / 100;
    return {
      requests: r.requests ?? 0,
      durationSeconds: seconds,
      throughput: Math.round(((r.requests ?? 0) / seconds) * 10) / 10,
      latencyMs: { p50: ms(r.p50), p95: ms(r.p95), p99: ms(r.p99), max: ms(r.max), mean: ms(r.mean) },
      errors: (r.bad ?? 0) + (r.socket ?? 0),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
