/**
 * Client-driven mode (`--client "<command with {host} {port}>"`): a user of a scenario is a spawned
 * client program, the way the course's own test scripts grade a submission's client.py. What the
 * harness writes to its stdin is what the user types; what it prints on stdout is what the user sees.
 * This module makes such a process look like the byte link a TestClient reads and writes (the same
 * role a TCP socket plays otherwise). The process runs in its own process group, and destroy() kills
 * the whole group, so a client that holds stdin open or forks never outlives its scenario.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { killerOf, sandboxArgv, type SandboxSpec } from '../target/sandbox.ts';

/** The few things a TestClient needs from its connection: a TCP socket and a ProcessLink both have them. */
export interface Link {
  write(data: Buffer, callback: (error?: Error | null) => void): unknown;
  destroy(): void;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
}

/** The command with {host} and {port} filled in. */
export function clientCommand(template: string, host: string, port: number): string {
  return template.replaceAll('{host}', host).replaceAll('{port}', String(port));
}

/** How long a killed client gets between SIGTERM and SIGKILL. */
const TERM_GRACE_MS = 500;

export class ProcessLink extends EventEmitter implements Link {
  private readonly child: ChildProcess;
  private readonly kill: (signal: NodeJS.Signals) => void;
  private exited = false;
  private killed = false;

  /**
   * Spawn `command` (a shell command line); `onStderr` receives what the client prints on stderr. With a
   * sandbox, the client runs in it (harness/target/sandbox.ts) and destroy() ends its whole PID namespace.
   */
  constructor(readonly command: string, onStderr: (text: string) => void, cwd?: string, sandbox?: SandboxSpec) {
    super();
    const common = {
      detached: true, // its own process group: destroy() reaches the shell and the client it started
      stdio: ['pipe', 'pipe', 'pipe'] as ['pipe', 'pipe', 'pipe'],
    };
    if (sandbox) {
      const [file, ...args] = sandboxArgv(sandbox, command, cwd, { infoFd: true });
      // fd 3: bwrap's report of its namespace's init (killerOf).
      this.child = spawn(file!, args, { ...common, stdio: ['pipe', 'pipe', 'pipe', 'pipe'], env: {} });
    } else {
      this.child = spawn(command, {
        ...common,
        shell: true,
        env: { ...process.env, PYTHONUNBUFFERED: '1', NO_COLOR: process.env.NO_COLOR ?? '' },
        ...(cwd ? { cwd } : {}),
      });
    }
    this.kill = killerOf(this.child);
    this.child.stdout!.on('data', (chunk: Buffer) => this.emit('data', chunk));
    this.child.stderr!.setEncoding('utf8').on('data', onStderr);
    // Writing to a client that already exited: EPIPE. The exit itself is what the scenario observes.
    this.child.stdin!.on('error', () => {});
    this.child.on('error', (error) => this.emit('error', error));
    // 'close': the process exited AND its stdout is drained, so every byte it printed was delivered.
    this.child.on('close', () => {
      this.exited = true;
      this.emit('close');
    });
  }

  /** Resolves once the process is running; rejects when it cannot be started. */
  started(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.child.pid !== undefined) return resolve();
      this.child.once('spawn', () => resolve());
      this.child.once('error', reject);
    });
  }

  write(data: Buffer, callback: (error?: Error | null) => void): unknown {
    if (this.exited || this.child.stdin!.destroyed) {
      callback(new Error('the client program has exited'));
      return false;
    }
    return this.child.stdin!.write(data, callback);
  }

  /** Kill the client's whole process group (SIGTERM, then SIGKILL). Never throws. */
  destroy(): void {
    if (this.killed) return;
    this.killed = true;
    this.child.stdin!.destroy();
    this.kill('SIGTERM');
    if (!this.exited) setTimeout(() => this.kill('SIGKILL'), TERM_GRACE_MS).unref();
  }

  /** Synchronous last resort. */
  killNow(): void {
    this.kill('SIGKILL');
  }
}
