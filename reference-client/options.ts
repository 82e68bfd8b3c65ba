/**
 * Command-line options (node:util parseArgs).
 */
import { parseArgs } from 'node:util';
import { parseArgsMessage } from '../common/plain-errors.ts';
import { integerOption, UsageError } from '../common/cli-support.ts';

export interface ClientOptions {
  host: string;
  port: number;
  nick: string | undefined;
  profile: string | undefined;
  /** A file of lines to run non-interactively; '-' for stdin. */
  script: string | undefined;
  connectTimeoutMs: number;
  help: boolean;
}

export const USAGE = `usage: npm run client -- [--host H] [--port P] [--nick N] [--profile NAME] [--script FILE]

  --host H              server address (default 127.0.0.1)
  --port P              server port (default 1459)
  --nick N              register with this nick (otherwise: asked for; in a script, its first line)
  --profile NAME        speak another server's dialect (profiles/NAME.json; default canonical)
  --script FILE         run FILE's lines non-interactively ('-' for stdin; piped stdin does the same)
  --connect-timeout MS  give up connecting after MS milliseconds (default 5000)
  -h, --help            this help

Exit codes: 0 done, 1 internal error, 2 usage, 3 server unreachable, 4 connection lost,
5 nick refused (non-interactive). See reference-client/README.md.`;

const CLIENT_FLAGS = {
  host: { type: 'string', default: '127.0.0.1' },
  port: { type: 'string', default: '1459' },
  nick: { type: 'string' },
  profile: { type: 'string' },
  script: { type: 'string' },
  'connect-timeout': { type: 'string', default: '5000' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export function parseClientOptions(argv: readonly string[]): ClientOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: CLIENT_FLAGS,
    });
  } catch (error) {
    throw new UsageError(parseArgsMessage(error, CLIENT_FLAGS) ?? (error as Error).message);
  }
  const v = parsed.values;
  if (v.host === '') throw new UsageError('--host must not be empty');
  return {
    host: v.host,
    port: integerOption('port', v.port, 1, 65535),
    nick: v.nick,
    profile: v.profile,
    script: v.script,
    connectTimeoutMs: integerOption('connect-timeout', v['connect-timeout'], 1, 600_000),
    help: v.help,
  };
}
