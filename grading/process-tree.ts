/**
 * The process groups under a grader process. A submission's server runs in its own process group (the
 * runner spawns it detached so it can kill the whole tree), so killing the grader's group does not reach
 * it; and a grader that is SIGKILLed, or stopped while the server is still starting, cannot clean up. The
 * batch therefore watches the grader's descendants (Linux /proc; elsewhere this finds nothing and the
 * runner's own cleanup is all there is) and kills their groups itself.
 */
import fs from 'node:fs';

interface ProcEntry {
  pid: number;
  ppid: number;
  pgid: number;
}

function readProcs(): ProcEntry[] {
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const out: ProcEntry[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so parse after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.push({ pid: Number(name), ppid: Number(fields[1]), pgid: Number(fields[2]) });
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

/** Process group ids of every descendant of `root` (its own group included), never our own group. */
export function descendantGroups(root: number): Set<number> {
  const procs = readProcs();
  const children = new Map<number, ProcEntry[]>();
  for (const p of procs) {
    const list = children.get(p.ppid);
    if (list) list.push(p);
    else children.set(p.ppid, [p]);
  }
  const groups = new Set<number>();
  const queue = [root];
  const seen = new Set<number>();
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    for (const child of children.get(pid) ?? []) {
      groups.add(child.pgid);
      queue.push(child.pid);
    }
  }
  groups.add(root);
  const own = readProcs().find((p) => p.pid === process.pid)?.pgid;
  if (own !== undefined) groups.delete(own);
  return groups;
}

/** The pids whose parent is `pid` (Linux /proc; empty elsewhere). */
export function childrenOf(pid: number): number[] {
  return readProcs()
    .filter((p) => p.ppid === pid)
    .map((p) => p.pid);
}

export function killGroups(groups: Iterable<number>, signal: NodeJS.Signals): void {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, signal);
    } catch {
      // already gone
    }
  }
}
