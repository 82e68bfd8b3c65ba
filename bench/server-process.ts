/**
 * Runs a server under bench control: spawn from a command line, learn its port, read its memory,
 * stop it. Loopback only.
 *
 * The port: `{port}` in the command is replaced by a free ephemeral port chosen here; without it the
 * server must print `listening on <host>:<port>` (what every server of this project prints with
 * `--port 0`). Memory comes from /proc: VmHWM is the kernel's own peak-RSS mark, so no sampling can
 * miss a peak. The command runs under `sh -c "exec ..."`; if it still forks (npx, tsx), the LARGEST
 * process of the tree is reported, which is the server and not its launcher.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';

export interface ServerProcess {
  host: string;
  port: number;
  pid: number;
  /** Current RSS of the server (largest process of its tree), bytes; undefined when /proc is unreadable. */
  rssBytes(): number | undefined;
  /** Peak RSS since start (VmHWM of the largest process of the tree), bytes. */
  peakRssBytes(): number | undefined;
  /** CPU time the server tree used so far, ms (user + system). */
  cpuMs(): number | undefined;
  /** Output so far (stdout + stderr, last 8 KB), for error messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** Shell command; `{port}` is replaced by a free port (or by `port`). */
  command: string;
  /** The port the command will listen on, when the caller chose it (e.g. written in a config file). */
  port?: number;
  cwd?: string;
  host?: string;
  startTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

const LISTENING = /listening on (?:\[?[\w.:]*\]?):(\d+)/;

/**
 * Servers run in their own process group (so launchers' children are reached), which also means they
 * would outlive a bench that crashes or is interrupted: every live one is killed when the bench exits.
 */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function killOnExit(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of live) {
      try {
        process.kill(-c.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => process.exit(130));
  }
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, host, resolve);
  });
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export async function spawnServer(options: SpawnOptions): Promise<ServerProcess> {
  const host = options.host ?? '127.0.0.1';
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  let command = options.command;
  let knownPort = options.port;
  if (command.includes('{port}')) {
    knownPort ??= await freePort(host);
    command = command.replaceAll('{port}', String(knownPort));
  }
  // `ulimit -n` as high as allowed: the idle test opens 10,000 connections; exec keeps one process.
  const child = spawn('sh', ['-c', `ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec ${command}`], {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group, so stop() reaches launchers' children too
  });
  killOnExit(child);
  let output = '';
  let exited: string | undefined;
  const append = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-8192);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  child.on('exit', (code, signal) => {
    exited = `exited with ${signal ?? code}`;
  });

  const deadline = Date.now() + startTimeoutMs;
  let port = knownPort;
  while (true) {
    if (exited !== undefined) throw new Error(`server "${command}" ${exited} before listening:\n${output}`);
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`server "${command}" not listening within ${startTimeoutMs} ms:\n${output}`);
    }
    if (port === undefined) {
      const match = LISTENING.exec(output);
      if (match) port = Number(match[1]);
    } else if (knownPort === undefined || (await canConnect(host, port))) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const pid = child.pid!;
  const finalPort = port;
  return {
    host,
    port: finalPort,
    pid,
    rssBytes: () => largest(pid, 'VmRSS'),
    peakRssBytes: () => largest(pid, 'VmHWM'),
    cpuMs: () => treeCpuMs(pid),
    output: () => output,
    stop: () => stopChild(child),
  };
}

function canConnect(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** pid and all its descendants (Linux /proc). */
export function processTree(pid: number): number[] {
  const result: number[] = [];
  const visit = (p: number): void => {
    result.push(p);
    let tasks: string[];
    try {
      tasks = readdirSync(`/proc/${p}/task`);
    } catch {
      return;
    }
    for (const task of tasks) {
      let children = '';
      try {
        children = readFileSync(`/proc/${p}/task/${task}/children`, 'utf8');
      } catch {
        continue;
      }
      for (const child of children.split(' ')) if (child.trim() !== '') visit(Number(child));
    }
  };
  visit(pid);
  return result;
}

/** `field` (VmRSS, VmHWM: kB in /proc/<pid>/status) of the process of the tree where it is largest, bytes. */
function largest(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  let best: number | undefined;
  const pattern = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm');
  for (const p of processTree(pid)) {
    try {
      const match = pattern.exec(readFileSync(`/proc/${p}/status`, 'utf8'));
      if (match) best = Math.max(best ?? 0, Number(match[1]) * 1024);
    } catch {
      // the process ended meanwhile
    }
  }
  return best;
}

/** utime + stime of every process of the tree, ms (clock ticks assumed 100/s, as on Linux x86/arm). */
function treeCpuMs(pid: number): number | undefined {
  let ticks = 0;
  let any = false;
  for (const p of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
      any = true;
    } catch {
      // ended meanwhile
    }
  }
  return any ? ticks * 10 : undefined;
}
