/**
 * Runs the REAL client (reference-client/cli.ts) as a child process with piped stdio, for tests: its
 * code bundled into plain JavaScript (test/support/fixture-command.ts), which starts in a fraction of the
 * CPU that tsx's hooks take. terminal.test.ts runs it through tsx in a real terminal, as users do.
 * Every wait is bounded; `kill()` is always safe to call from `after`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fixtureBundle } from '../../support/fixture-command.ts';

export const CLI_PATH = fileURLToPath(new URL('../../../reference-client/cli.ts', import.meta.url));
/** tsx's loader as an absolute URL, so the client can run with any working directory. */
export const TSX_LOADER = import.meta.resolve('tsx');

function withoutNpmDirectory(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { INIT_CWD: _dir, npm_lifecycle_event: _event, ...rest } = env;
  return rest;
}

export interface Exited {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class ClientProcess {
  stdout = '';
  stderr = '';
  readonly exited: Promise<Exited>;
  private readonly child: ChildProcess;

  constructor(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
    this.child = spawn(process.execPath, [fixtureBundle(CLI_PATH), ...args], {
      cwd: options.cwd ?? process.cwd(),
      // Not npm's record of where a surrounding `npm run` started: the client would take it for the user's directory.
      env: { ...withoutNpmDirectory(process.env), NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout!.setEncoding('utf8').on('data', (text: string) => (this.stdout += text));
    this.child.stderr!.setEncoding('utf8').on('data', (text: string) => (this.stderr += text));
    this.child.stdin!.on('error', () => {}); // the client may exit before reading everything
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Types one line on the client's stdin. */
  line(text: string): void {
    this.child.stdin!.write(`${text}\n`);
  }

  /** Ends the client's stdin: the end of its script. */
  end(): void {
    this.child.stdin!.end();
  }

  /** Waits until stdout matches `pattern` (checked as output arrives), or fails after `timeoutMs` with the output so far. */
  async waitFor(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = this.stdout.match(pattern);
      if (match !== null) return match;
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`client output never matched ${pattern}\n--- stdout ---\n${this.stdout}\n--- stderr ---\n${this.stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  /** Waits for the exit, killing the client if it takes longer than `timeoutMs`. */
  async exit(timeoutMs = 60_000): Promise<Exited> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.kill();
        reject(new Error(`client did not exit within ${timeoutMs} ms\n--- stdout ---\n${this.stdout}\n--- stderr ---\n${this.stderr}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends a signal (e.g. SIGINT, as Ctrl-C would). */
  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
