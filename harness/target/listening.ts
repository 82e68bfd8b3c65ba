/**
 * Readiness without a probe connection. Some submissions crash when a client connects and closes
 * without a word (the probe `waitUntilAccepting` makes), so a profile may ask the runner to watch the
 * spawned server's LISTENING sockets instead: on Linux, /proc/net/tcp{,6} lists every socket with its
 * state and inode, and /proc/<pid>/fd links name the inodes each process holds. The server is ready
 * when a process of its process group holds a socket in LISTEN state on the expected port.
 */
import { accessSync, constants, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { readinessPollMs } from './probe.ts';

const TCP_LISTEN = '0A';

let watchable: boolean | undefined;

/**
 * True when this machine has the /proc files the method needs. Asked once per process: it cannot change,
 * and reading /proc/net/tcp to find out costs as much as a look at every socket of the machine.
 */
export function canWatchListeningSockets(): boolean {
  if (watchable === undefined) {
    try {
      accessSync('/proc/net/tcp', constants.R_OK);
      watchable = true;
    } catch {
      watchable = false;
    }
  }
  return watchable;
}

/**
 * Pids whose process group is `pgid` (the spawned shell and everything it started), and every descendant
 * of the leader `pgid` whatever its group (a sandbox starts its program in a new session). Reads every
 * process's stat file (about 1.2 ms with 70 processes): GroupMembers for callers that ask every few ms.
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

/**
 * The leader `root` and its descendants, walked through /proc/<pid>/task/<tid>/children (a few small reads
 * per process instead of one per process of the machine); undefined where the kernel has no such files.
 */
export function descendants(root: number): number[] | undefined {
  if (!hasChildrenFiles()) return undefined;
  const found = [root];
  for (let i = 0; i < found.length; i += 1) {
    const pid = found[i]!;
    for (const tid of safeReaddir(`/proc/${pid}/task`)) {
      let children: string;
      try {
        children = readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1');
      } catch {
        continue; // the thread or process ended meanwhile
      }
      for (const child of children.split(' ')) if (/^\d+$/.test(child)) found.push(Number(child));
    }
  }
  return found;
}

let childrenFiles: boolean | undefined;
/** The kernel lists each thread's children (CONFIG_PROC_CHILDREN, on in Debian's kernels); asked once per process. */
function hasChildrenFiles(): boolean {
  if (childrenFiles === undefined) {
    try {
      accessSync(`/proc/self/task/${process.pid}/children`, constants.R_OK);
      childrenFiles = true;
    } catch {
      childrenFiles = false;
    }
  }
  return childrenFiles;
}

/** How often GroupMembers reads every process's stat file; between two reads it walks the leader's descendants. */
export const FULL_SCAN_EVERY_MS = 250;

/**
 * The members of a process group (processGroupMembers) for a caller that asks every few milliseconds, the
 * readiness poll: the whole of /proc is scanned at the first call and then at most every FULL_SCAN_EVERY_MS;
 * in between, the leader's descendants (a walk: about 0.2 ms against 1.2) are added to the last scan's
 * members. What only a scan finds, a daemon that left its parent but stayed in the group, is seen at most
 * FULL_SCAN_EVERY_MS later. A member that ended since the scan holds no socket, so it costs nothing.
 */
export class GroupMembers {
  private scanned: number[] = [];
  private scannedAt = -Infinity;

  constructor(
    private readonly pgid: number,
    private readonly fullScanEveryMs = FULL_SCAN_EVERY_MS,
    private readonly now: () => number = Date.now,
  ) {}

  current(): number[] {
    const walked = this.now() - this.scannedAt < this.fullScanEveryMs ? descendants(this.pgid) : undefined;
    if (walked === undefined) {
      this.scanned = processGroupMembers(this.pgid);
      this.scannedAt = this.now();
      return this.scanned;
    }
    return [...new Set([...this.scanned, ...walked])];
  }
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

/** The kernel's socket tables of this network namespace (the spawned server shares the runner's). */
export interface SocketTables {
  tcp: string;
  tcp6: string;
  unix: string;
}
const SOCKET_TABLES: SocketTables = { tcp: '/proc/net/tcp', tcp6: '/proc/net/tcp6', unix: '/proc/net/unix' };
/** Bytes read from a table at a time: its LISTEN lines come first, and a machine has few of them. */
const TABLE_CHUNK_BYTES = 16 * 1024;

/**
 * Local TCP ports of the LISTEN sockets in `tables` (files in /proc/net/tcp's format), by socket inode.
 * listeningPortsOf says which tables to read. The tables list every socket of
 * the machine (about 1,600 after a few runs of the suite, most in TIME_WAIT: a whole read costs about 10 ms
 * of CPU, mostly the kernel's), but the kernel lists each table's LISTEN sockets first (tcp_get_idx: the
 * listening hash, then the established one), so unless `whole` a read stops at the first line in another
 * state: about 0.3 ms. Read off the runner's thread: a read on it held up every scenario running meanwhile.
 * Exported for tests.
 */
export async function listeningPortsByInode(whole: boolean, tables: readonly string[]): Promise<Map<string, number>> {
  const ports = new Map<string, number>();
  await Promise.all(tables.map((file) => readListening(file, whole, ports).catch(() => undefined)));
  return ports;
}

async function readListening(file: string, whole: boolean, into: Map<string, number>): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const chunk = Buffer.alloc(TABLE_CHUNK_BYTES);
    let partial = '';
    let header = true;
    for (let read = await handle.read(chunk, 0, chunk.length, null); read.bytesRead > 0; read = await handle.read(chunk, 0, chunk.length, null)) {
      const lines = (partial + chunk.toString('latin1', 0, read.bytesRead)).split('\n');
      partial = lines.pop()!;
      for (const line of lines) {
        if (header) {
          header = false;
          continue;
        }
        // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
        const columns = line.trim().split(/\s+/);
        if (columns.length < 10) continue;
        if (columns[3] !== TCP_LISTEN) {
          if (whole) continue;
          return; // past the LISTEN sockets
        }
        into.set(columns[9]!, parseInt(columns[1]!.split(':')[1]!, 16));
      }
    }
  } finally {
    await handle.close();
  }
}

/**
 * The port each of `inodes` listens on, for those that listen. The IPv4 table is read first, then the list of
 * Unix sockets (a spawned process's stdio pipes are Unix sockets); the IPv6 table only when some inode is in
 * neither. Reading the IPv6 table costs the kernel a walk over every TCP socket of the machine when it holds no
 * IPv6 ones (about 4.5 ms with 2,700 sockets in TIME_WAIT, whatever the read's size), and most servers listen
 * on IPv4 only: a readiness poll read it at every change of the group's sockets, a few times per start.
 */
export async function listeningPortsOf(inodes: ReadonlySet<string>, whole = false, tables: SocketTables = SOCKET_TABLES): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  if (inodes.size === 0) return found;
  const take = (byInode: Map<string, number>, among: Iterable<string>): void => {
    for (const inode of among) {
      const port = byInode.get(inode);
      if (port !== undefined) found.set(inode, port);
    }
  };
  take(await listeningPortsByInode(whole, [tables.tcp]), inodes);
  let unexplained = [...inodes].filter((inode) => !found.has(inode));
  if (unexplained.length > 0) {
    const unix = await unixSocketInodes(tables.unix);
    unexplained = unexplained.filter((inode) => !unix.has(inode));
  }
  if (unexplained.length > 0) take(await listeningPortsByInode(whole, [tables.tcp6]), unexplained);
  return found;
}

/** Inodes of the Unix sockets of this network namespace (none when the file cannot be read: the IPv6 table is read then). */
async function unixSocketInodes(file: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(file, 'latin1');
  } catch {
    return new Set();
  }
  const inodes = new Set<string>();
  // Num RefCount Protocol Flags Type St Inode Path
  for (const line of text.split('\n').slice(1)) {
    const inode = line.trim().split(/\s+/)[6];
    if (inode !== undefined) inodes.add(inode);
  }
  return inodes;
}

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
  async learnListening(): Promise<void> {
    const held = this.held();
    const onPort = (byInode: Map<string, number>): Set<string> => new Set([...byInode].filter(([, port]) => port === this.port).map(([inode]) => inode));
    this.listeningInodes = onPort(await listeningPortsOf(held));
    if (this.listeningInodes.size === 0) this.listeningInodes = onPort(await listeningPortsOf(held, true)); // a table not in the usual order
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

async function listeningPortsAmong(inodes: readonly string[], whole: boolean): Promise<number[]> {
  return [...new Set((await listeningPortsOf(new Set(inodes), whole)).values())].sort((a, b) => a - b);
}

/**
 * While the group's sockets stay the same, /proc/net/tcp is read again only this often (listeningPortsByInode
 * says what a read costs): a server loading its code (0.3 s for one started through tsx) holds only its
 * stdio until it opens its listening socket, a change seen at the next poll.
 */
export const UNCHANGED_SOCKETS_REREAD_MS = 250;
/**
 * How often a server not yet seen listening has the tables read whole, in case a kernel did not list the
 * LISTEN sockets first: it would then be seen at most this much later, never missed.
 */
export const WHOLE_TABLE_EVERY_MS = 1000;

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
  let lastInodes: string | undefined;
  let lastReadAt = 0;
  let lastWholeAt = Date.now();
  const members = new GroupMembers(pgid);
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    if (stopReason !== undefined) return stopReason;
    // Socket inodes the group holds (its stdio too: a spawned process's pipes are sockets).
    const inodes = members.current().flatMap((pid) => socketInodes(pid));
    const key = inodes.sort().join(',');
    if (key !== lastInodes || Date.now() - lastReadAt >= UNCHANGED_SOCKETS_REREAD_MS) {
      const whole = Date.now() - lastWholeAt >= WHOLE_TABLE_EVERY_MS;
      if (whole) lastWholeAt = Date.now();
      seen = await listeningPortsAmong(inodes, whole);
      lastInodes = key;
      lastReadAt = Date.now();
      if (seen.includes(port)) return stopReason;
    }
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
