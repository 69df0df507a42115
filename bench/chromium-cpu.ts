// CPU time of every Chromium thread on this machine (Linux /proc), keyed by process type
// and thread name: machines here are shared and noisy, so bench:files also reports CPU time
// per MiB moved, which depends much less on what else runs than MiB/s does.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks (USER_HZ, 100 per second on Linux) by "process-type thread-name". */
export type CpuTicks = Map<string, number>;

const TICKS_PER_SECOND = 100;

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // the process or thread ended meanwhile
  }
}

/** Empty where /proc is missing (not Linux): the bench then prints no CPU figures. */
export function chromiumCpu(): CpuTicks {
  const ticks: CpuTicks = new Map();
  const list = (dir: string): string[] => {
    try {
      return readdirSync(dir);
    } catch {
      return []; // not Linux, or the process ended meanwhile
    }
  };
  const pids = list('/proc').filter((name) => /^\d+$/.test(name));
  for (const pid of pids) {
    const cmd = read(`/proc/${pid}/cmdline`);
    if (!cmd?.includes('chromium')) continue;
    const type = /--type=([a-z-]+)/.exec(cmd)?.[1] ?? 'browser';
    for (const tid of list(`/proc/${pid}/task`)) {
      const stat = read(`/proc/${pid}/task/${tid}/stat`);
      if (!stat) continue;
      const name = tid === pid ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      // After "(name) ": state is field 3; utime and stime are fields 14 and 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const used = Number(fields[11]) + Number(fields[12]);
      const key = `${type} ${name}`;
      ticks.set(key, (ticks.get(key) ?? 0) + used);
    }
  }
  return ticks;
}

/** What each thread used between two readings (threads that ended in between are lost). */
export function cpuSince(before: CpuTicks, after: CpuTicks = chromiumCpu()): CpuTicks {
  const used: CpuTicks = new Map();
  for (const [key, value] of after) used.set(key, value - (before.get(key) ?? 0));
  return used;
}

/** Milliseconds of CPU per MiB moved, all threads together. */
export function cpuMsPerMiB(used: CpuTicks, mib: number): number {
  const total = [...used.values()].reduce((sum, x) => sum + x, 0);
  return (total * (1000 / TICKS_PER_SECOND)) / mib;
}

/** The busiest threads, for BENCH_CPU_DETAIL. */
export function cpuLines(used: CpuTicks, mib: number, top = 10): string[] {
  return [...used]
    .filter(([, value]) => value > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(
      ([key, value]) =>
        `  ${((value * 1000) / TICKS_PER_SECOND / mib).toFixed(1).padStart(6)} ms/MiB  ${key}`,
    );
}
