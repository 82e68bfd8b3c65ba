/**
 * The server's command line: option parsing (pure) and the process contract (one stdout line with the
 * bound port, console on stdin, clean exit on SIGTERM, one-line errors with exit status 2).
 */
import { describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseCliArgs } from '../../../reference-server/net/cli-args.ts';
import { UsageError } from '../../../common/cli-support.ts';
import { registered } from './helpers.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = 'reference-server/net/cli.ts';
const TSX = join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
/** Starting tsx on a loaded 2-core machine can take a while; this only bounds a failure. */
const STARTUP_DEADLINE_MS = 30_000;

describe('parseCliArgs', () => {
  it('maps every option to a server option', () => {
    assert.deepEqual(
      parseCliArgs([
        '--port=0',
        '--host', '0.0.0.0',
        '--oper-password', 's3cret',
        '--max-line-bytes', '512',
        '--max-connections', '3',
        '--registration-timeout-ms', '0',
        '--max-output-bytes', '65536',
        '--max-file-bytes', '10',
      ]),
      {
        kind: 'run',
        options: {
          port: 0,
          host: '0.0.0.0',
          operPassword: 's3cret',
          maxLineBytes: 512,
          maxConnections: 3,
          registrationTimeoutMs: 0,
          maxOutputBytes: 65536,
          maxFileBytes: 10,
        },
      },
    );
  });

  it('leaves every option out when none is given (the defaults apply)', () => {
    assert.deepEqual(parseCliArgs([]), { kind: 'run', options: {} });
  });

  it('recognises --help and -h', () => {
    assert.deepEqual(parseCliArgs(['--help']), { kind: 'help' });
    assert.deepEqual(parseCliArgs(['-h']), { kind: 'help' });
  });

  const mistakes: Array<[string[], RegExp]> = [
    [['--prot', '1459'], /--prot/],
    [['--port'], /--port/],
    [['--port', 'abc'], /--port must be an integer/],
    [['--port', '65536'], /--port must be an integer from 0 to 65535/],
    [['--port', '-1'], /--port/],
    [['--max-line-bytes', '0'], /--max-line-bytes must be an integer >= 1/],
    [['--max-connections', '2.5'], /--max-connections/],
    [['--max-output-bytes', '1e6'], /--max-output-bytes/],
    [['--host', ''], /--host must not be empty/],
    [['stray'], /stray/],
  ];
  for (const [argv, message] of mistakes) {
    it(`refuses ${JSON.stringify(argv)} with a usage error`, () => {
      assert.throws(() => parseCliArgs(argv), (error: unknown) => error instanceof UsageError && message.test(error.message));
    });
  }
});

/** Spawns the CLI; killed after the test if still running. */
function spawnCli(t: TestContext, command: string, args: string[], stdin: 'ignore' | 'pipe' = 'ignore'): ChildProcess {
  const child = spawn(command, args, { cwd: REPO_ROOT, stdio: [stdin, 'pipe', 'pipe'] });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

async function firstStdoutLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  const timer = setTimeout(() => child.kill('SIGKILL'), STARTUP_DEADLINE_MS);
  try {
    for await (const line of lines) return line;
    throw new Error('the server exited without printing a line');
  } finally {
    clearTimeout(timer);
    lines.close();
  }
}

function collect(stream: NodeJS.ReadableStream | null): { text: string } {
  const sink = { text: '' };
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => (sink.text += chunk));
  return sink;
}

describe('the server process', () => {
  // tsx itself, not `npx tsx`: npm exec does not forward SIGTERM (it dies of it and orphans the server),
  // so only a direct spawn can observe the server's own exit status.
  it('tsx cli.ts --port 0: prints the bound port, serves, and exits 0 on SIGTERM', async (t) => {
    const child = spawnCli(t, TSX, [CLI, '--port', '0', '--registration-timeout-ms', '0']);
    const stderr = collect(child.stderr);
    const exited = once(child, 'close');
    const line = await firstStdoutLine(child);
    const match = /^listening on 127\.0\.0\.1:(\d+)$/.exec(line);
    assert.ok(match, `unexpected first line: ${line}`);
    const port = Number(match[1]);
    assert.ok(port > 0);

    const alice = await registered(port, 'alice');
    t.after(() => alice.destroy());
    assert.deepEqual(await alice.sync(), []);

    child.kill('SIGTERM');
    await alice.waitClosed(10_000);
    const [code, signal] = await exited;
    assert.deepEqual({ code, signal }, { code: 0, signal: null }, stderr.text);
    assert.match(stderr.text, /conn \d+ from 127\.0\.0\.1:\d+ connected/);
  });

  it('passes stdin lines to the console (/GLOBAL from *)', async (t) => {
    const child = spawnCli(t, process.execPath, ['--import', 'tsx', CLI, '--port', '0'], 'pipe');
    const exited = once(child, 'close');
    const port = Number(/:(\d+)$/.exec(await firstStdoutLine(child))![1]);
    const bob = await registered(port, 'bob');
    t.after(() => bob.destroy());
    child.stdin!.write('/GLOBAL maintenance at noon\n');
    assert.equal(await bob.nextLine(), 'GLOBAL * maintenance at noon');
    child.stdin!.end(); // the console closing must not stop the server
    assert.deepEqual(await bob.sync(), []);
    child.kill('SIGINT');
    const [code] = await exited;
    assert.equal(code, 0);
  });

  it('reports a bad option in one line on stderr and exits 2', async (t) => {
    const child = spawnCli(t, process.execPath, ['--import', 'tsx', CLI, '--port', 'nope']);
    const stderr = collect(child.stderr);
    const stdout = collect(child.stdout);
    const [code] = await once(child, 'close');
    assert.equal(code, 2);
    assert.equal(stdout.text, '');
    assert.match(stderr.text, /^chat-server: --port must be an integer .*\(see --help\)\n$/);
  });

  it('prints the usage on --help and exits 0', async (t) => {
    const child = spawnCli(t, process.execPath, ['--import', 'tsx', CLI, '--help']);
    const stdout = collect(child.stdout);
    const [code] = await once(child, 'close');
    assert.equal(code, 0);
    assert.match(stdout.text, /^usage: npm run server/);
    assert.match(stdout.text, /--max-output-bytes/);
  });
});
