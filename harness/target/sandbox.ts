/**
 * The sandbox every submission process runs in (its server, its client program, whatever they start):
 * bubblewrap (`bwrap`, Debian package bubblewrap), the tool Flatpak runs untrusted applications with.
 * Chosen over nsjail (not in Debian stable) and systemd-run scopes (need a running systemd, absent in
 * containers and on this machine) because it is one small setuid-free binary that builds the whole view
 * from arguments: nothing to configure, nothing left behind.
 *
 * What a sandboxed program gets:
 * - a file system of its own: the interpreters' system folders (/usr, /bin, /lib*, /etc) read-only, its
 *   submission folder read-only at the same path (so `{dir}` in a command still works), any `allow`
 *   folder read-only, a private /tmp (tmpfs, size-capped) and nothing else: no reports, no other
 *   submission, no home folder, no harness;
 * - its own PID namespace (it sees only its own processes, never the grader's command line or memory)
 *   whose init is killed, with every process in it, when the sandbox ends (`--die-with-parent`, killerOf,
 *   and the kernel kills a namespace whose init dies: a double-forked `setsid` daemon dies too); its own IPC and
 *   UTS namespaces and a new session (no terminal to inject keystrokes into);
 * - a scrubbed environment (PATH, HOME=/tmp, LANG, PYTHONUNBUFFERED, NO_COLOR only): no CI secret;
 * - resource limits (prlimit): memory per process (RLIMIT_DATA: heap and private mappings; RLIMIT_AS would
 *   stop Node, Java and WebAssembly, which reserve huge address ranges they never use), CPU seconds, file
 *   size, and, when the harness runs as root, a process count under a uid of its own (RLIMIT_NPROC counts
 *   per uid and root is exempt from it, so the program is moved to a fresh unprivileged uid first).
 * It shares the harness's network namespace (the harness must reach it); in a batch each submission's
 * grader runs in a network namespace of its own (grading/batch.ts), so only its own grader is reachable,
 * and the grader's control endpoint needs a per-run secret the sandbox cannot read.
 */
import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type SandboxLimits = {
  /** Heap and private writable memory per process (RLIMIT_DATA), bytes. */
  memoryBytes: number;
  /** Processes and threads of the sandbox's uid (RLIMIT_NPROC), when a uid of its own can be used. */
  processes: number;
  /** CPU time per process (RLIMIT_CPU), seconds. */
  cpuSeconds: number;
  /** Largest file it may write (RLIMIT_FSIZE), bytes; also the size of its /tmp. */
  fileBytes: number;
};

export const DEFAULT_SANDBOX_LIMITS: Readonly<SandboxLimits> = {
  memoryBytes: 1024 * 1024 * 1024,
  processes: 256,
  cpuSeconds: 600,
  fileBytes: 64 * 1024 * 1024,
};

/** Everything needed to wrap a command (serialisable: it travels to Cucumber workers for --client). */
export type SandboxSpec = {
  /** The folder the submission's commands expect (`{dir}`, or the working directory), shown read-only. */
  readonly dir: string;
  /** Where the content shown at `dir` really is (a private copy in batch mode; `dir` itself otherwise). */
  readonly source: string;
  /** More folders shown read-only at their own path (e.g. a shared course library). */
  readonly allow: ReadonlyArray<string>;
  /** Run as this uid and gid (only when the harness is root); undefined: as the harness's own user. */
  readonly uid?: number;
  readonly limits: Readonly<SandboxLimits>;
};

/** Folders of the interpreters and their libraries, read-only; a symlink (merged /usr) is recreated as one. */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc', '/opt'];
/** What the sandbox mounts itself (never re-created as a plain folder). */
const OWN_MOUNTS = ['/proc', '/dev', '/tmp'];
const SANDBOX_PATH = '/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin';

/** Why sandboxing cannot work here (undefined when it can): bwrap missing, or refusing to run. */
export function sandboxUnavailable(): string | undefined {
  try {
    execFileSync('bwrap', ['--ro-bind', '/', '/', '--unshare-pid', '--die-with-parent', '--', 'true'], { stdio: 'pipe', timeout: 10_000 });
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'bubblewrap (bwrap) is not installed: apt-get install bubblewrap';
    const stderr = String((error as { stderr?: Buffer }).stderr ?? '').trim();
    return `bubblewrap (bwrap) cannot create namespaces here (${stderr.split('\n')[0] || (error as Error).message}); in a container it needs --privileged, or --cap-add SYS_ADMIN with --security-opt seccomp=unconfined --security-opt apparmor=unconfined`;
  }
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** A fresh unprivileged uid for one sandbox (so its process count is its own), when we are root. */
export function sandboxUid(): number | undefined {
  return isRoot() ? randomInt(200_000, 1_000_000_000) : undefined;
}

/** The arguments that show the system folders read-only. */
function systemMounts(): string[] {
  const args: string[] = [];
  for (const dir of SYSTEM_DIRS) {
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(dir);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) args.push('--symlink', fs.readlinkSync(dir), dir);
    else if (stat.isDirectory()) args.push('--ro-bind', dir, dir);
  }
  return args;
}

/**
 * bwrap creates the missing parents of a bind mount owner-only (0700), which would lock a sandbox running
 * under its own uid out of its folder: create them first, traversable (0755), each once.
 */
function ancestorDirs(dirs: readonly string[]): string[] {
  const made = new Set<string>();
  const args: string[] = [];
  for (const dir of dirs) {
    const parts = dir.split(path.sep).filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const ancestor = path.sep + parts.slice(0, i).join(path.sep);
      if (made.has(ancestor) || SYSTEM_DIRS.includes(ancestor) || OWN_MOUNTS.includes(ancestor)) continue;
      made.add(ancestor);
      args.push('--perms', '0755', '--dir', ancestor);
    }
  }
  return args;
}

/**
 * The descriptor of bwrap's own on which it writes, once the sandbox exists, the pid of the sandbox's PID
 * namespace init (`--info-fd`; never passed on to the sandboxed command). A caller that asks for it
 * (sandboxArgv's `infoFd`) must spawn bwrap with a pipe there and kill the sandbox with killerOf.
 */
export const SANDBOX_INFO_FD = 3;

/**
 * The argv (bwrap first) that runs the shell command `command` inside the sandbox `spec`, in `cwd`
 * (when it is inside the visible folders; else in `spec.dir`). With `infoFd`, bwrap reports its namespace's
 * init on SANDBOX_INFO_FD (see killerOf).
 */
export function sandboxArgv(spec: SandboxSpec, command: string, cwd?: string, options: { infoFd?: boolean } = {}): string[] {
  const visible = [spec.dir, ...spec.allow];
  const inside = cwd !== undefined && visible.some((dir) => cwd === dir || cwd.startsWith(`${dir}${path.sep}`));
  const { limits } = spec;
  const args = [
    'bwrap',
    ...systemMounts(),
    '--proc', '/proc',
    '--dev', '/dev',
    '--perms', '1777', '--size', String(limits.fileBytes), '--tmpfs', '/tmp',
    // After /tmp: a submission folder under /tmp is shown on top of the private /tmp, not hidden by it.
    ...ancestorDirs(visible),
    ...spec.allow.flatMap((dir) => ['--ro-bind', dir, dir]),
    '--ro-bind', spec.source, spec.dir,
    '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--unshare-cgroup-try',
    '--die-with-parent', '--new-session',
    ...(options.infoFd ? ['--info-fd', String(SANDBOX_INFO_FD)] : []),
    '--hostname', 'sandbox',
    '--chdir', inside ? cwd : spec.dir,
    '--clearenv',
    '--setenv', 'PATH', SANDBOX_PATH,
    '--setenv', 'HOME', '/tmp',
    '--setenv', 'TMPDIR', '/tmp',
    '--setenv', 'LANG', 'C.UTF-8',
    '--setenv', 'PYTHONUNBUFFERED', '1',
    '--setenv', 'NO_COLOR', '1',
  ];
  // setpriv needs these two to change uid; it drops them (and every other) when it does.
  if (spec.uid !== undefined) args.push('--cap-add', 'CAP_SETUID', '--cap-add', 'CAP_SETGID');
  args.push(
    '--',
    'prlimit',
    `--data=${limits.memoryBytes}`,
    `--cpu=${limits.cpuSeconds}`,
    `--fsize=${limits.fileBytes}`,
    '--core=0',
    ...(spec.uid !== undefined ? [`--nproc=${limits.processes}`] : []),
    '--',
  );
  if (spec.uid !== undefined) args.push('setpriv', `--reuid=${spec.uid}`, `--regid=${spec.uid}`, '--clear-groups', '--');
  args.push('/bin/sh', '-c', command);
  return args;
}

/**
 * Kills a spawned process's whole group (it was spawned `detached`), and, when it is a sandbox spawned with
 * sandboxArgv's `infoFd` and a pipe at SANDBOX_INFO_FD, on SIGKILL its PID namespace's init too, whose death
 * makes the kernel kill every process in the namespace.
 *
 * Why the second kill: bwrap's child arms --die-with-parent only once it runs, so a sandbox killed in its
 * first moments (a start cancelled when the run stops, a standby stopped just after it was started) could
 * outlive bwrap with everything it then starts (measured: 1 start in 60 killed 0-2 ms after the spawn, on
 * an idle machine; a full unit run once left a daemon 20 s). The init's pid comes from bwrap itself, and is
 * killed only while /proc shows it in the namespace bwrap named, never this process's own: a reused pid or
 * a forged report kills nothing else. A kill that comes before the report is carried out when it arrives.
 */
export function killerOf(child: { pid?: number; stdio: ReadonlyArray<unknown> }): (signal: NodeJS.Signals) => void {
  const pid = child.pid;
  let init: { pid: number; namespace: number } | undefined;
  let killed = false;
  const killInit = (): void => {
    if (!init) return;
    try {
      const own = fs.readlinkSync('/proc/self/ns/pid');
      const its = fs.readlinkSync(`/proc/${init.pid}/ns/pid`);
      if (its === `pid:[${init.namespace}]` && its !== own) process.kill(init.pid, 'SIGKILL');
    } catch {
      // gone already (ESRCH, ENOENT): nothing to kill
    }
  };
  const info = child.stdio[SANDBOX_INFO_FD] as (NodeJS.ReadableStream & { on(event: 'error', listener: () => void): unknown }) | null | undefined;
  if (info) {
    let text = '';
    info.setEncoding('utf8');
    info.on('error', () => undefined);
    info.on('data', (chunk: string) => {
      if (init || text.length > 4096) return;
      text += chunk;
      try {
        const parsed = JSON.parse(text) as { 'child-pid'?: unknown; 'pid-namespace'?: unknown };
        const initPid = parsed['child-pid'];
        const namespace = parsed['pid-namespace'];
        if (Number.isInteger(initPid) && Number.isInteger(namespace)) init = { pid: initPid as number, namespace: namespace as number };
      } catch {
        return; // not all of it yet
      }
      if (killed) killInit();
    });
  }
  return (signal) => {
    if (pid !== undefined) {
      try {
        process.kill(-pid, signal);
      } catch {
        // ESRCH: the group is already gone
      }
    }
    if (signal === 'SIGKILL') {
      killed = true;
      killInit();
    }
  };
}

/** A submission folder prepared for sandboxed runs; dispose() removes what was made for it. */
export interface PreparedSandbox {
  spec: SandboxSpec;
  dispose(): void;
}

/** Largest submission folder copied for a sandbox: a folder bigger than this is refused, not copied. */
export const MAX_COPY_BYTES = 256 * 1024 * 1024;

/** Bytes under `dir` (symlinks not followed), stopping once past `limit`. */
function folderBytes(dir: string, limit: number): number {
  let total = 0;
  const visit = (p: string): void => {
    if (total > limit) return;
    const stat = fs.lstatSync(p);
    if (stat.isDirectory()) for (const entry of fs.readdirSync(p)) visit(path.join(p, entry));
    else total += stat.size;
  };
  visit(dir);
  return total;
}

/**
 * Prepare `dir` for sandboxed runs. With `copy`, the sandbox sees a private copy (made under `workDir`,
 * symlinks kept as links, readable by the sandbox's uid) instead of the folder itself, so it can neither
 * depend on nor change anything of the original while it runs.
 */
export function prepareSandbox(options: { dir: string; allow?: string[]; copy: boolean; workDir?: string; limits?: Partial<SandboxLimits> }): PreparedSandbox {
  const dir = path.resolve(options.dir);
  const limits = { ...DEFAULT_SANDBOX_LIMITS, ...options.limits };
  const uid = sandboxUid();
  const allow = (options.allow ?? []).map((p) => path.resolve(p));
  if (!options.copy) return { spec: { dir, source: dir, allow, ...(uid !== undefined ? { uid } : {}), limits }, dispose: () => undefined };

  const size = folderBytes(dir, MAX_COPY_BYTES);
  if (size > MAX_COPY_BYTES) throw new Error(`the submission folder ${dir} holds more than ${MAX_COPY_BYTES} bytes: not copied into a sandbox`);
  const base = fs.mkdtempSync(path.join(options.workDir ?? fs.realpathSync(process.env.TMPDIR ?? '/tmp'), 'sandbox-'));
  const copy = path.join(base, 'submission');
  fs.cpSync(dir, copy, { recursive: true, verbatimSymlinks: true, dereference: false });
  // The sandbox's own uid must read it: owner-only modes would lock it out of its own files.
  if (uid !== undefined) execFileSync('chmod', ['-R', 'a+rX', base]);
  return {
    spec: { dir, source: copy, allow, ...(uid !== undefined ? { uid } : {}), limits },
    dispose: () => fs.rmSync(base, { recursive: true, force: true }),
  };
}
