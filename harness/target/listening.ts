/**
 * Readiness without a probe connection. Some submissions crash when a client connects and closes
 * without a word (the probe `waitUntilAccepting` makes), so a profile may ask the runner to watch the
 * spawned server's LISTENING sockets instead: on Linux, /proc/net/tcp{,6} lists every socket with its
 * state and inode, and /proc/<pid>/fd links name the inodes each process holds. The server is ready
 * when a process of its process group holds a socket in LISTEN state on the expected port.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { readinessPollMs } from './probe.ts';

const TCP_LISTEN = '0A';

/** True when this machine has the /proc files the method needs. */
export function canWatchListeningSockets(): boolean {
  try {
    readFileSync('/proc/net/tcp', 'utf8');
    return true;
  } catch {
    return false;
  }
}

/**
 * Pids whose process group is `pgid` (the spawned shell and everything it started), and every descendant
 * of the leader `pgid` whatever its group (a sandbox starts its program in a new session).
 */
export function processGroupMembers(pgid: number): number[] {
  const procs: Array<{ pid: number; ppid: number; pgrp: number }> = [];
  for (const name of safeReaddir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const fields = statFields(`/proc/${name}/stat`);
    if (fields) procs.push({ pid: Number(name), ppid: Number(fields[1]), pgrp: Number(fields[2]) });
  }
  const members = new Set(procs.filter((p) => p.pgrp === pgid).map((p) => p.pid));
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs) {
      if (!members.has(p.pid) && (members.has(p.ppid) || p.ppid === pgid)) {
        members.add(p.pid);
        grew = true;
      }
    }
  }
  return [...members];
}

/** The scheduler state letter of each thread of `pid` (R running or runnable, S sleeping, ...). */
function threadStates(pid: number): string[] {
  const states: string[] = [];
  for (const tid of safeReaddir(`/proc/${pid}/task`)) {
    const fields = statFields(`/proc/${pid}/task/${tid}/stat`);
    if (fields) states.push(fields[0]!);
  }
  return states;
}

/**
 * The fields of a /proc stat file after the command name (which may contain spaces and parentheses):
 * state ppid pgrp ...; undefined when the process or thread ended meanwhile.
 */
function statFields(file: string): string[] | undefined {
  try {
    const stat = readFileSync(file, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** Socket inodes held open by `pid`. */
function socketInodes(pid: number): string[] {
  const inodes: string[] = [];
  for (const fd of safeReaddir(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.push(match[1]!);
    } catch {
      // Closed meanwhile.
    }
  }
  return inodes;
}

/** Local TCP ports (IPv4 and IPv6) of the sockets in `state`, by socket inode. */
function localPortsByInode(state: string): Map<string, number> {
  const ports = new Map<string, number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const columns = line.trim().split(/\s+/);
      // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
      if (columns.length < 10 || columns[3] !== state) continue;
      const port = parseInt(columns[1]!.split(':')[1]!, 16);
      ports.set(columns[9]!, port);
    }
  }
  return ports;
}

const listeningPortsByInode = (): Map<string, number> => localPortsByInode(TCP_LISTEN);

/**
 * The sockets a process group holds, by inode, and among them the ones listening on `port`. Cheap enough
 * to call after every scenario: it reads the group's fd links, never /proc/net/tcp (which lists every
 * socket of the machine, thousands on a busy one) except to name the listening ones once.
 */
export class GroupSockets {
  private members: number[] = [];
  private membersAt = 0;
  private listeningInodes = new Set<string>();

  constructor(
    private readonly pgid: number,
    private readonly port: number,
  ) {}

  /** Remember which of the group's sockets listen on the port (call once the server is up). */
  learnListening(): void {
    const byInode = listeningPortsByInode();
    this.listeningInodes = new Set([...this.held()].filter((inode) => byInode.get(inode) === this.port));
  }

  /** The group still holds a socket that listened on the port. */
  listening(): boolean {
    const held = this.held();
    return [...this.listeningInodes].some((inode) => held.has(inode));
  }

  /** Sockets the group holds besides its listening ones: its open connections (and any other socket it has). */
  connections(): number {
    let count = 0;
    for (const inode of this.held()) if (!this.listeningInodes.has(inode)) count += 1;
    return count;
  }

  /**
   * Some thread of the group is runnable (state R): it has work it has not done yet. On a loaded machine a
   * server may wait its turn for the CPU for longer than a quiet pause, with the departures of a scenario's
   * connections still unread: its unchanged socket count then means "not yet", not "never".
   */
  running(): boolean {
    this.held(); // refreshes the member list at most every 500 ms
    return this.members.some((pid) => threadStates(pid).includes('R'));
  }

  private held(): Set<string> {
    // Group membership changes rarely (a forking server's children): look it up at most every 500 ms.
    if (Date.now() - this.membersAt > 500) {
      this.members = processGroupMembers(this.pgid);
      this.membersAt = Date.now();
    }
    return new Set(this.members.flatMap((pid) => socketInodes(pid)));
  }
}

/** The TCP ports the process group `pgid` is listening on right now. */
export function listeningPortsOfGroup(pgid: number): number[] {
  const byInode = listeningPortsByInode();
  const ports = new Set<number>();
  for (const pid of processGroupMembers(pgid)) {
    for (const inode of socketInodes(pid)) {
      const port = byInode.get(inode);
      if (port !== undefined) ports.add(port);
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/**
 * Poll until the process group `pgid` listens on `port`, `deadline` (epoch ms) passes, or `gaveUp`
 * resolves (the process exited). Resolves to undefined when ready, else to why not.
 */
export async function waitUntilListening(pgid: number, port: number, deadline: number, gaveUp?: Promise<string>): Promise<string | undefined> {
  let stopReason: string | undefined;
  void gaveUp?.then((reason) => {
    stopReason = reason;
  });
  let seen: number[] = [];
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    if (stopReason !== undefined) return stopReason;
    seen = listeningPortsOfGroup(pgid);
    if (seen.includes(port)) return stopReason;
    await sleep(readinessPollMs(attempt));
  }
  return stopReason ?? `not listening on port ${port} (its processes listen on ${seen.length ? seen.join(', ') : 'no port'})`;
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
