/**
 * The server under test as a child process: `--server "<shell command with {port}>"`. Each start picks a
 * new free port (a killed server's port may sit in TIME_WAIT, and a student server rarely sets
 * SO_REUSEADDR), runs the command in its own process group so the whole tree can be killed, and waits
 * (bounded) until the port accepts connections.
 */
import { execa } from 'execa';
import { setTimeout as sleep } from 'node:timers/promises';
import { canWatchListeningSockets, waitUntilListening } from './listening.ts';
import { freePort, waitUntilAccepting } from './probe.ts';
import { RestartableTarget } from './restartable.ts';
import { TailBuffer } from './tail-buffer.ts';
import { KILL_NOW, TargetStartError, type TargetInstance } from './types.ts';

const HOST = '127.0.0.1';
const TAIL_LINES = 15;
/** Between SIGTERM to the group and SIGKILL. */
const TERM_GRACE_MS = 1500;

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
   * How to tell the server is up: `connect` (a probe connection, the default) or `listening` (watch the
   * process group's listening sockets in /proc, for servers that crash on a connect-then-close probe;
   * falls back to `connect` where /proc is missing).
   */
  readiness?: 'connect' | 'listening';
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
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

export function spawnedServer(options: SpawnOptions): RestartableTarget {
  const launch = async (cancel: AbortSignal): Promise<TargetInstance> => {
    const port = options.port ?? (await freePort());
    if (cancel.aborted) throw new TargetStartError('the run is over');
    const command = options.command.replaceAll('{port}', String(port));
    const stderr = new TailBuffer(TAIL_LINES);
    const stdout = new TailBuffer(TAIL_LINES);
    const child = execa(command, {
      shell: true,
      detached: true, // its own process group: kill(-pid) reaches the shell and everything it started
      cleanup: false, // we kill the whole group ourselves; execa's cleanup would only kill the shell
      stdin: 'ignore',
      buffer: false,
      reject: false,
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => stdout.push(chunk));
    child.catch(() => undefined); // with reject: false it resolves; this only guards against spawn errors
    const exited = new Promise<string>((resolve) => {
      child.once('exit', (code, signal) => {
        // Let the last stderr chunk arrive before describing the death.
        setTimeout(() => resolve(`${describeExit(code, signal)}\n${outputTail(stderr, stdout)}`), 50);
      });
      child.once('error', (error) => resolve(`could not run: ${error.message}`));
    });
    const pid = child.pid;
    let gone = false;
    void exited.then(() => (gone = true));

    const stop = async (): Promise<void> => {
      killGroup(pid, 'SIGTERM');
      await Promise.race([exited, sleep(TERM_GRACE_MS)]);
      killGroup(pid, 'SIGKILL'); // children that ignored SIGTERM, or outlived the shell
    };

    // The run is stopped while this server is still starting: kill its group now. Its death also ends
    // the readiness wait below (through `exited`), so the launch does not sit out the start timeout.
    let cancelled = false;
    const onCancel = (): void => {
      cancelled = true;
      if (cancel.reason === KILL_NOW) killGroup(pid, 'SIGKILL');
      else void stop();
    };
    cancel.addEventListener('abort', onCancel, { once: true });
    const address = { host: HOST, port };
    const deadline = Date.now() + options.startTimeoutMs;
    let failure: string | undefined;
    try {
      failure =
        options.readiness === 'listening' && pid !== undefined && canWatchListeningSockets()
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
    return {
      address,
      died: exited.then((text) => `target crashed: ${text}\n(server command: ${command})`),
      stop,
      killNow: () => killGroup(pid, 'SIGKILL'),
    };
  };
  return new RestartableTarget(launch, (a) => `spawned \`${options.command}\`${a ? ` on ${a.host}:${a.port}` : ''}`, options.operPassword);
}
