import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Stack } from '@civic/test-stack/stack';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  expectNoLostOrPartialWrites,
  gql,
  recordWrite,
  sleep,
  staffToken,
  startSeededStack,
  storedConversations,
  subgraphReadyForGateway,
  uniqueTitle,
  type WriteAttempt,
  withDatabase,
} from './support.ts';

const DURATION_S = 60;
const KILL_AFTER_MS = 20_000;
/** Errors may still show this long after the gateway is ready again (connections being re-made). */
const GRACE_MS = 3_000;
const CONCERNS_PER_WRITE = 2;

// wrk reads: each thread alternates two bodies and writes the time (ms, from gettimeofday through
// LuaJIT's ffi) and status of every failed response (non-2xx or GraphQL errors) to its own file.
const SCRIPT = `
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_usec; } civic_timeval;
int gettimeofday(civic_timeval *tv, void *tz);
]]
local tv = ffi.new("civic_timeval")
local function now_ms()
  ffi.C.gettimeofday(tv, nil)
  return tonumber(tv.tv_sec) * 1000 + math.floor(tonumber(tv.tv_usec) / 1000)
end
local dir = os.getenv("CIVIC_WRK_DIR")
local counter = 0
local threads = {}
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end
local bodies = {}
local log
local n = 0
ok = 0
bad = 0
function init(args)
  for i = 1, 2 do
    local f = assert(io.open(dir .. "/body" .. i .. ".json", "r")); bodies[i] = f:read("*a"); f:close()
  end
  log = assert(io.open(dir .. "/errors-" .. id .. ".log", "w"))
  log:setvbuf("line")
end
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.headers["authorization"] = os.getenv("CIVIC_WRK_AUTH")
function request()
  n = n + 1
  return wrk.format(nil, nil, nil, bodies[(n % 2) + 1])
end
function response(status, headers, body)
  if status < 200 or status > 299 or string.find(body, '"errors"', 1, true) then
    bad = bad + 1
    local code = string.match(body, '"code":"([A-Z_]+)"') or "-"
    local query = string.find(body, '"initiatives"', 1, true) and "plan" or "concerns"
    log:write(now_ms(), " ", status, " ", code, " ", query, "\\n")
  else
    ok = ok + 1
  end
end
function done(summary, latency, requests)
  local total_ok, total_bad = 0, 0
  for _, t in ipairs(threads) do
    total_ok = total_ok + (t:get("ok") or 0)
    total_bad = total_bad + (t:get("bad") or 0)
  end
  local e = summary.errors
  io.write(string.format('CIVIC_RESULT {"requests":%d,"ok":%d,"bad":%d,"socket":%d,"p50":%d,"p99":%d}\\n',
    summary.requests, total_ok, total_bad, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
`;

interface WrkResult {
  requests: number;
  ok: number;
  bad: number;
  socket: number;
  p50: number;
  p99: number;
  errors: { at: number; status: number; code: string; query: string }[];
}

async function runWrk(
  url: string,
  bodies: [string, string],
  token: string,
  seconds: number,
  dir: string,
): Promise<WrkResult> {
  writeFileSync(join(dir, 'script.lua'), SCRIPT);
  for (const [i, body] of bodies.entries()) writeFileSync(join(dir, `body${i + 1}.json`), body);
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn('/usr/bin/wrk', ['-t2', '-c4', `-d${seconds}s`, '--timeout', '20s', '-s', 'script.lua', url], {
      cwd: dir,
      env: { ...process.env, CIVIC_WRK_DIR: dir, CIVIC_WRK_AUTH: `Bearer ${token}` },
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
  const errors = readdirSync(dir)
    .filter((f) => f.startsWith('errors-'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean))
    .map((l) => {
      const [at, status, code, query] = l.split(' ');
      return { at: Number(at), status: Number(status), code: code ?? '-', query: query ?? '-' };
    });
  return { ...(JSON.parse(line.slice('CIVIC_RESULT '.length)) as Omit<WrkResult, 'errors'>), errors };
}

let stack: Stack;
let dir: string;
beforeAll(async () => {
  stack = await startSeededStack(['initiatives', 'resources'], {
    gatewayEnv: { RATE_LIMIT_PER_ADDRESS: '1000000', RATE_LIMIT_PER_KEY: '1000000', LOG_LEVEL: 'error' },
  });
  dir = mkdtempSync(join(tmpdir(), 'civic-reliability-wrk-'));
});
afterAll(async () => {
  await stack?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('sustained mixed load (wrk reads + staff writes, 60 s) with engagement SIGKILLed and restarted midway', () => {
  test(
    'no acknowledged write is lost; errors only between the kill and ready + grace, and only from engagement',
    async () => {
      const token = staffToken(stack);
      // Staff reading engagement's concerns (the writers' drafts among them), and the strategic plan
      // from initiatives and resources, which the kill must not touch.
      const bodies: [string, string] = [
        JSON.stringify({
          query: '{ concerns(first: 20) { totalCount edges { node { id summary themes status } } } }',
        }),
        JSON.stringify({ query: '{ initiatives { code title leadDepartment { name } } }' }),
      ];
      const plan = await gql<{ initiatives: unknown[] }>(stack.gatewayUrl, JSON.parse(bodies[1]).query);
      expect(plan.body.errors).toBeUndefined();
      expect(plan.body.data?.initiatives.length).toBeGreaterThan(10);

      const started = Date.now();
      const attempts: WriteAttempt[] = [];
      let writing = true;
      const writer = async () => {
        while (writing) {
          const { attempt } = await recordWrite(stack.gatewayUrl, token, uniqueTitle('load'), CONCERNS_PER_WRITE);
          attempts.push(attempt);
          await sleep(50);
        }
      };
      const reads = runWrk(stack.gatewayUrl, bodies, token, DURATION_S, dir);
      const writers = [writer(), writer()];

      await sleep(KILL_AFTER_MS);
      const killedAt = Date.now();
      await stack.stopSubgraph('engagement', 'SIGKILL');
      await stack.startSubgraph('engagement');
      await expect
        .poll(() => subgraphReadyForGateway(stack, 'engagement'), { timeout: 30_000, interval: 100 })
        .toBe(true);
      const readyAt = Date.now();

      const wrk = await reads;
      writing = false;
      await Promise.all(writers);
      const finished = Date.now();

      const acknowledged = attempts.filter((a) => a.id);
      const failedWrites = attempts.filter((a) => !a.id);
      const summary = {
        seconds: Math.round((finished - started) / 1000),
        restartWindowMs: readyAt - killedAt,
        reads: {
          requests: wrk.requests,
          ok: wrk.ok,
          failed: wrk.bad,
          socket: wrk.socket,
          p50Us: wrk.p50,
          p99Us: wrk.p99,
        },
        writes: { attempted: attempts.length, acknowledged: acknowledged.length, failed: failedWrites.length },
        errorCodes: [...new Set([...wrk.errors.map((e) => e.code), ...failedWrites.flatMap((a) => a.codes)])],
      };
      console.log(`sustained load: ${JSON.stringify(summary)}`);

      // Errors happen, and only inside the restart window.
      expect(wrk.socket).toBe(0);
      expect(wrk.bad).toBe(wrk.errors.length);
      expect(wrk.errors.length + failedWrites.length).toBeGreaterThan(0);
      const outside = [
        ...wrk.errors.map((e) => ({ ...e, kind: 'read' })),
        ...failedWrites.map((a) => ({ at: a.at, status: a.status, code: a.codes.join(','), kind: 'write' })),
      ].filter((e) => e.at < killedAt || e.at > readyAt + GRACE_MS);
      expect(outside, 'errors outside the restart window').toEqual([]);
      for (const e of wrk.errors) {
        expect(e.status).toBe(200);
        expect(e.query).toBe('concerns');
        expect(['SERVICE_UNAVAILABLE', 'INTERNAL_SERVER_ERROR']).toContain(e.code);
      }
      for (const a of failedWrites) expect(a.codes.every((c) => c === 'SERVICE_UNAVAILABLE')).toBe(true);
      // Writes were acknowledged before and after the window.
      expect(acknowledged.some((a) => a.at < killedAt)).toBe(true);
      expect(acknowledged.some((a) => a.at > readyAt)).toBe(true);

      // Every acknowledged write is in the database, whole; no unacknowledged one is half there.
      await stack.stopSubgraph('engagement');
      const stored = await withDatabase(stack.targets.engagement, (sql) =>
        storedConversations(
          sql,
          attempts.map((a) => a.title),
        ),
      );
      expect(acknowledged.length).toBeGreaterThan(10);
      expectNoLostOrPartialWrites(attempts, stored, CONCERNS_PER_WRITE);
    },
    (DURATION_S + 120) * 1000,
  );
});
