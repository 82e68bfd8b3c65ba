/**
 * CPU time of each thread of this process, from /proc/self/task (Linux). The generator is saturated
 * when its BUSIEST thread is, whatever the total: one overloaded shard bottlenecks the whole run.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** thread id -> utime + stime in ms (clock ticks taken as 10 ms, as on Linux x86/arm). */
export function threadCpuMs(): Map<string, number> {
  const result = new Map<string, number>();
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return result; // not Linux: no per-thread figure
  }
  for (const tid of tasks) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      result.set(tid, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // the thread ended meanwhile
    }
  }
  return result;
}

/** Largest per-thread CPU between two snapshots, in cores over `wallMs`; NaN when unknown. */
export function busiestThreadCores(before: Map<string, number>, after: Map<string, number>, wallMs: number): number {
  let busiest = Number.NaN;
  for (const [tid, ms] of after) {
    const delta = ms - (before.get(tid) ?? 0);
    busiest = Number.isNaN(busiest) ? delta : Math.max(busiest, delta);
  }
  return busiest / wallMs;
}
