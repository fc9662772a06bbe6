import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS = 100;

/** CPU seconds used so far and peak resident memory of a Linux process, from /proc. */
export function processStats(pid: number): { cpuSeconds: number; peakRssMb: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(status.match(new RegExp(`^${key}:\\s+(\\d+)`, 'm'))?.[1] ?? 0);
  return { cpuSeconds, peakRssMb: Math.round(kb('VmHWM') / 1024), rssMb: Math.round(kb('VmRSS') / 1024) };
}

/** The running child processes of `pid` whose command line has `argument` (Linux: every thread's `children`). */
export function childProcesses(pid: number, argument: string): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`)
      .flatMap((tid) => readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/))
      .filter(Boolean)
      .map(Number)
      .filter((child) => {
        try {
          return readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').includes(argument);
        } catch {
          return false;
        }
      });
  } catch {
    return [];
  }
}

/** The alignment engine's own process under engagement (ALIGNMENT_WORKER=process), as the benchmarks name it. */
export const ALIGNMENT_ENGINE = 'engagement-alignment';

/** Processes a stack runs beside the ones it started: the alignment engine's child of engagement. */
export function engineProcesses(engagementPid: number | undefined): [string, number][] {
  if (!engagementPid) return [];
  return childProcesses(engagementPid, 'alignment-worker').map((pid) => [ALIGNMENT_ENGINE, pid]);
}
