/**
 * `npm run server -- [options]`: the reference server as a process.
 *
 * Contract with scripts (the conformance harness, benchmarks, CI): exactly one line on stdout,
 * `listening on <host>:<port>` with the real bound port, once the server accepts connections; every
 * log line on stderr; exit 0 after SIGINT/SIGTERM once every connection is closed; exit 2 with a
 * one-line message on a bad command line; exit 1 when it cannot listen.
 */
import { createInterface } from 'node:readline';
import { parseCliArgs, USAGE } from './cli-args.ts';
import { EXIT_USAGE, UsageError } from '../../common/cli-support.ts';
import { startServer, type RunningServer } from './server.ts';
import { NET_DEFAULTS } from './options.ts';
import { systemErrorMessage } from '../../common/plain-errors.ts';
import { optimiseEarly } from './jit-policy.ts';

const PROGRAM = 'chat-server';
/** A shutdown that has not finished by then (a peer that never closes) is cut short. */
const SHUTDOWN_DEADLINE_MS = 5000;

async function main(): Promise<void> {
  let command;
  try {
    command = parseCliArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${PROGRAM}: ${error.message} (see --help)\n`);
    process.exit(EXIT_USAGE);
  }
  if (command.kind === 'help') {
    process.stdout.write(USAGE + '\n');
    return;
  }

  let server: RunningServer;
  try {
    server = await startServer({ ...command.options, onBusy: optimiseEarly });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    const plain = systemErrorMessage(error, { host: command.options.host ?? NET_DEFAULTS.host, port: command.options.port ?? NET_DEFAULTS.port });
    process.stderr.write(`${PROGRAM}: cannot start: ${plain ?? code ?? message}\n`);
    process.exit(1);
  }
  process.stdout.write(`listening on ${server.host}:${server.port}\n`);
  stopOnSignals(server);
  readConsole(server);
}

function stopOnSignals(server: RunningServer): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      process.stderr.write(`${PROGRAM}: ${signal} again, exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    process.stderr.write(`${PROGRAM}: ${signal} received, closing connections\n`);
    setTimeout(() => {
      process.stderr.write(`${PROGRAM}: connections still open after ${SHUTDOWN_DEADLINE_MS} ms, exiting\n`);
      process.exit(0);
    }, SHUTDOWN_DEADLINE_MS).unref();
    // exit explicitly: stdin (the console) would otherwise keep the process alive.
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/**
 * Lines typed on stdin go to the server console (§5.18). When stdin is closed, empty or absent
 * (CI, `< /dev/null`, a service manager), the console simply ends and the server keeps running.
 */
function readConsole(server: RunningServer): void {
  let input: NodeJS.ReadStream;
  try {
    input = process.stdin; // the getter itself may throw when fd 0 is not open
  } catch {
    return;
  }
  input.on('error', (error: NodeJS.ErrnoException) => {
    process.stderr.write(`${PROGRAM}: console input unavailable (${error.code ?? error.message})\n`);
  });
  const lines = createInterface({ input, crlfDelay: Infinity, terminal: false });
  lines.on('line', (line) => server.consoleLine(line));
}

await main();
