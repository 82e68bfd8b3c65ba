/**
 * Command-line options of `npm run server`, parsed with node:util parseArgs into server options.
 * Kept apart from cli.ts (which has side effects: sockets, signals, stdin) so it can be unit-tested.
 */
import { parseArgs } from 'node:util';
import { parseArgsMessage } from '../../common/plain-errors.ts';
import { integerOption, UsageError } from '../../common/cli-support.ts';
import type { ServerOptions } from './options.ts';
import { NET_DEFAULTS } from './options.ts';

export const USAGE = `usage: npm run server -- [options]

Runs the reference chat server (docs/PROTOCOL.md). Prints "listening on <host>:<port>" on stdout once
ready; logs go to stderr; lines typed on stdin are console commands (/GLOBAL, /KILL, /BAN, /UNBAN).

  --host <address>               interface to bind (default ${NET_DEFAULTS.host})
  --port <n>                     TCP port (default ${NET_DEFAULTS.port}; 0 = any free port)
  --oper-password <password>     enables /OPER (default: operator commands disabled)
  --max-line-bytes <n>           longest accepted line (default ${NET_DEFAULTS.maxLineBytes})
  --max-connections <n>          simultaneous connections (default: the core's, 10000)
  --registration-timeout-ms <n>  time to register before ERR TIMEOUT, 0 = none (default ${NET_DEFAULTS.registrationTimeoutMs})
  --max-output-bytes <n>         unsent output per client before it is disconnected (default ${NET_DEFAULTS.maxOutputBytes})
  --max-file-bytes <n>           largest /SEND (default: the core's, 1048576)
  --max-pending-files <n>        files waiting for one recipient, uploads announced to them included (default: the core's, 8)
  --history-size <n>             plain messages a channel remembers for /HISTORY (default: the core's, 100)
  --max-pending-file-bytes <n>   bytes of waiting files and open uploads on the whole server (default: the core's, 67108864)
  --max-history-bytes <n>        bytes of history of every channel together; the oldest are forgotten first (default: the core's, 16777216)
  --max-connections-per-address <n>  simultaneous connections from one address, 0 = no limit (default 0)
  --idle-timeout-ms <n>          time a connection may send nothing before ERR TIMEOUT, 0 = none (default ${NET_DEFAULTS.idleTimeoutMs})
  --verbose, -v                  also log every line a client sends, as it is handled (/OPER's password hidden)
  --help                         show this help`;


export type CliCommand = { kind: 'help' } | { kind: 'run'; options: Partial<ServerOptions> };

/** The numeric options: flag name -> server option, and the smallest accepted value. */
const INTEGER_OPTIONS = {
  port: { key: 'port', min: 0, max: 65535 },
  'max-line-bytes': { key: 'maxLineBytes', min: 1 },
  'max-connections': { key: 'maxConnections', min: 1 },
  'registration-timeout-ms': { key: 'registrationTimeoutMs', min: 0, max: 2 ** 31 - 1 },
  'max-output-bytes': { key: 'maxOutputBytes', min: 1 },
  'max-file-bytes': { key: 'maxFileBytes', min: 1 },
  'max-pending-files': { key: 'maxPendingFiles', min: 1 },
  'history-size': { key: 'historySize', min: 1 },
  'max-pending-file-bytes': { key: 'maxPendingFileBytes', min: 1 },
  'max-history-bytes': { key: 'maxHistoryBytes', min: 1 },
  'max-connections-per-address': { key: 'maxConnectionsPerAddress', min: 0 },
  'idle-timeout-ms': { key: 'idleTimeoutMs', min: 0, max: 2 ** 31 - 1 },
} as const satisfies Record<string, { key: keyof ServerOptions; min: number; max?: number }>;

const SERVER_FLAGS = {
  host: { type: 'string' },
  port: { type: 'string' },
  'oper-password': { type: 'string' },
  'max-line-bytes': { type: 'string' },
  'max-connections': { type: 'string' },
  'registration-timeout-ms': { type: 'string' },
  'max-output-bytes': { type: 'string' },
  'max-file-bytes': { type: 'string' },
  'max-pending-files': { type: 'string' },
  'history-size': { type: 'string' },
  'max-pending-file-bytes': { type: 'string' },
  'max-history-bytes': { type: 'string' },
  'max-connections-per-address': { type: 'string' },
  'idle-timeout-ms': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  help: { type: 'boolean', short: 'h' },
} as const;

export function parseCliArgs(argv: readonly string[]): CliCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: SERVER_FLAGS,
    }));
  } catch (error) {
    throw new UsageError(parseArgsMessage(error, SERVER_FLAGS) ?? (error as Error).message);
  }
  if (values.help === true) return { kind: 'help' };

  const options: Partial<ServerOptions> = {};
  if (typeof values.host === 'string') {
    if (values.host === '') throw new UsageError('--host must not be empty');
    options.host = values.host;
  }
  if (typeof values['oper-password'] === 'string') {
    if (values['oper-password'] === '') throw new UsageError('--oper-password must not be empty');
    options.operPassword = values['oper-password'];
  }
  for (const [flag, spec] of Object.entries(INTEGER_OPTIONS)) {
    const raw = values[flag];
    if (typeof raw !== 'string') continue;
    const max = 'max' in spec ? spec.max : Number.MAX_SAFE_INTEGER;
    options[spec.key] = integerOption(flag, raw, spec.min, max);
  }
  if (values.verbose === true) options.logLines = true;
  return { kind: 'run', options };
}
