/**
 * The server under test as a child process: `--server "<shell command with {port}>"`. Each start picks a
 * new free port (a killed server's port may sit in TIME_WAIT, and a student server rarely sets
 * SO_REUSEADDR), runs the command in its own process group so the whole tree can be killed, and waits
 * (bounded) until the port accepts connections.
 *
 * Its stdin is a pipe held open for its whole life: that is its server console (PROTOCOL.md §5.18), where
 * `console(line)` types a line. A server that never reads stdin is unaffected (a few lines sit in the
 * pipe); one that reads it blocks there instead of seeing end-of-file at once, as a console on a terminal
 * would. Its answers are not read back: a server's stdout is free-form, so the outcome's output is null.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { canWatchListeningSockets, GroupSockets, waitUntilListening } from './listening.ts';
import { killerOf, sandboxArgv, type SandboxSpec } from './sandbox.ts';
import { freePort, waitUntilAccepting } from './probe.ts';
import { RestartableTarget } from './restartable.ts';
import { TailBuffer } from './tail-buffer.ts';
import type { Writable } from 'node:stream';
import { KILL_NOW, TargetStartError, type ConsoleOutcome, type Launcher, type TargetInstance } from './types.ts';

const HOST = '127.0.0.1';
const TAIL_LINES = 15;
/** Between SIGTERM to the group and SIGKILL. */
const TERM_GRACE_MS = 1500;
/** How long a console line may take to reach the server's stdin pipe (it is full only if the server never reads it). */
const CONSOLE_WRITE_MS = 5000;

export interface SpawnOptions {
  /** Shell command; every "{port}" is replaced by the chosen port. */
  command: string;
  /** How long a start may take before it counts as failed, ms. */
  startTimeoutMs: number;
  operPassword: string | undefined;
  cwd?: string;
  /** A port the server hard-codes (then the command needs no {port}); default: a fresh free port per start. */
  port?: number;
  /**
   * How to tell the server is up: `listening` (the default: watch the process group's listening sockets
   * in /proc, which opens no connection, so a server that dies when a client connects and leaves without
   * a word survives it; falls back to `connect` where /proc is missing) or `connect` (a probe connection).
   */
  readiness?: 'connect' | 'listening';
  /** Run it in this sandbox (harness/target/sandbox.ts): killing the sandbox ends every process it made. */
  sandbox?: SandboxSpec;
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by signal ${signal}` : `exited with code ${code ?? '?'}`;
}

/** "killed by signal X" reads "it was killed by signal X" after a subject; "exited with code N" is unchanged. */
function withSubject(exitText: string): string {
  return `it ${exitText.startsWith('killed by ') ? `was ${exitText}` : exitText}`;
}

function outputTail(stderr: TailBuffer, stdout: TailBuffer): string {
  const err = stderr.last();
  if (err.length > 0) return `last stderr lines:\n${err.map((l) => `  | ${l}`).join('\n')}`;
  const out = stdout.last();
  if (out.length > 0) return `(stderr empty) last stdout lines:\n${out.map((l) => `  | ${l}`).join('\n')}`;
  return '(no output on stderr or stdout)';
}

/**
 * Types `line` on a server's stdin. Rejects (never throws synchronously, never crashes the harness) when
 * the server closed its stdin or has exited (EPIPE), or does not read it while the pipe is full.
 */
function writeConsoleLine(stdin: Writable | null, line: string, gone: () => boolean): Promise<ConsoleOutcome> {
  if (/[\r\n]/.test(line)) return Promise.reject(new Error('a console line cannot contain a line break'));
  if (gone()) return Promise.reject(new Error('the server process has exited: its console is gone'));
  if (stdin === null || stdin.destroyed || !stdin.writable) return Promise.reject(new Error('the server closed its console input (stdin)'));
  return new Promise<ConsoleOutcome>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not read its console input (stdin) within ${CONSOLE_WRITE_MS} ms`)), CONSOLE_WRITE_MS);
    stdin.write(`${line}\n`, (error) => {
      clearTimeout(timer);
      if (error) reject(new Error(`the server's console input (stdin) is closed: ${error.message}`));
      else resolve({ output: null });
    });
  });
}

/**
 * execa, loaded when a launcher is made rather than when this module is: it is some 130 modules (150 ms of a
 * grader's start-up through tsx) that a run against the embedded reference server or a --target never uses.
 * The import starts with the launcher, so it loads while the run is still being set up.
 */
let execaModule: Promise<typeof import('execa')> | undefined;
const loadExeca = (): Promise<typeof import('execa')> => (execaModule ??= import('execa'));

/** Starts one instance of the server command (exported for tests; the runner uses spawnedServer). */
export function spawnedLauncher(options: SpawnOptions): Launcher {
  void loadExeca().catch(() => undefined); // a failure shows at the first start, which awaits it again
  return async (cancel: AbortSignal): Promise<TargetInstance> => {
    const { execa } = await loadExeca();
    const port = options.port ?? (await freePort());
    if (cancel.aborted) throw new TargetStartError('the run is over');
    const command = options.command.replaceAll('{port}', String(port));
    const stderr = new TailBuffer(TAIL_LINES);
    const stdout = new TailBuffer(TAIL_LINES);
    const common = {
      detached: true, // its own process group: kill(-pid) reaches the shell (or the sandbox) and everything it started
      cleanup: false, // we kill the whole group ourselves; execa's cleanup would only kill the shell
      buffer: false,
      reject: false,
    } as const;
    let child;
    if (options.sandbox) {
      // bwrap is the group leader; its death takes the sandbox's whole PID namespace with it.
      const [file, ...args] = sandboxArgv(options.sandbox, command, options.cwd, { infoFd: true });
      // stdin: the server console, held open until the server is stopped; fd 3: bwrap's report (killerOf).
      child = execa(file!, args, { ...common, stdio: ['pipe', 'pipe', 'pipe', 'pipe'], env: {}, extendEnv: false });
    } else {
      child = execa(command, { ...common, stdin: 'pipe', shell: true, ...(options.cwd ? { cwd: options.cwd } : {}) });
    }
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
    child.catch(() => undefined); // with reject: false it resolves; this only guards against spawn errors
    // EPIPE when the server closed its stdin or exited: the next console line reports it; the harness lives on.
    child.stdin?.on('error', () => undefined);
    let markExit: (at: number) => void = () => {};
    const exitSeen = new Promise<number>((resolve) => (markExit = resolve));
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) => {
        markExit(Date.now());
        child.stdin?.destroy(); // nobody types on a dead server's console; frees the pipe
        // Let the last stderr chunk arrive before describing the death.
        setTimeout(() => resolve(`${describeExit(code, signal)}\n${outputTail(stderr, stdout)}`), 50);
      });
      child.once('error', (error) => {
        markExit(Date.now());
        resolve(`could not run: ${error.message}`);
      });
    });
    const pid = child.pid;
    const kill = killerOf(child);
    let gone = false;
    void exited.then(() => (gone = true));

    const stop = async (): Promise<void> => {
      kill('SIGTERM');
      await Promise.race([exited, sleep(TERM_GRACE_MS)]);
      kill('SIGKILL'); // children that ignored SIGTERM, or outlived the shell
      child.stdin?.destroy(); // the pipe's end in this process: a grandchild that outlived the group must not hold it
    };

    // The run is stopped while this server is still starting: kill its group now. Its death also ends
    // the readiness wait below (through `exited`), so the launch does not sit out the start timeout.
    let cancelled = false;
    const onCancel = (): void => {
      cancelled = true;
      if (cancel.reason === KILL_NOW) kill('SIGKILL');
      else void stop();
    };
    cancel.addEventListener('abort', onCancel, { once: true });
    const address = { host: HOST, port };
    const deadline = Date.now() + options.startTimeoutMs;
    const watchSockets = options.readiness !== 'connect' && pid !== undefined && canWatchListeningSockets();
    let failure: string | undefined;
    try {
      failure =
        watchSockets
          ? await waitUntilListening(pid, port, deadline, exited)
          : await waitUntilAccepting(address, deadline, exited);
    } finally {
      cancel.removeEventListener('abort', onCancel);
    }
    if (cancelled) {
      await stop();
      throw new TargetStartError(`server command \`${command}\` did not start: the run was stopped while it was starting`);
    }
    if (failure !== undefined) {
      const exitedByItself = gone;
      await stop();
      const why = exitedByItself ? withSubject(failure.replace(/\n/, ';\n')) : `${failure} after ${options.startTimeoutMs} ms`;
      throw new TargetStartError(`server command \`${command}\` did not start: ${why.split('\n').join(' ')}`);
    }
    const sockets = watchSockets ? new GroupSockets(pid, port) : undefined;
    await sockets?.learnListening();
    const instance: TargetInstance = {
      address,
      died: exited.then((text) => `target crashed: ${text}\n(server command: ${command})`),
      exited: exitSeen,
      ...(sockets
        ? {
            listening: () => !gone && sockets.listening(),
            openConnections: () => (gone ? 0 : sockets.connections()),
            running: () => !gone && sockets.running(),
          }
        : {}),
      stop,
      killNow: () => kill('SIGKILL'),
      console: (line) => writeConsoleLine(child.stdin, line, () => gone),
    };
    return instance;
  };
}

export function spawnedServer(options: SpawnOptions): RestartableTarget {
  const launch = spawnedLauncher(options);
  // A fresh port per start, so standby instances can wait beside the running one: restarts cost no start-up.
  const standby = options.port === undefined;
  return new RestartableTarget(launch, (a) => `spawned \`${options.command}\`${a ? ` on ${a.host}:${a.port}` : ''}`, options.operPassword, undefined, standby);
}
