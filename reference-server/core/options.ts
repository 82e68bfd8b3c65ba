/** The core's options (PROTOCOL.md §7 limits enforced by the protocol itself) and their defaults. */

export interface CoreOptions {
  /** First field of HELLO: `HELLO <serverName> <protocolVersion>`. */
  serverName: string;
  protocolVersion: string;
  /** Password of /OPER; undefined: /OPER always answers BAD_PASSWORD (§5.18). */
  operPassword?: string;
  /** Simultaneous connections, registered or not; one more gets ERR SERVER_FULL (§7). */
  maxConnections: number;
  /** Largest /SEND size in bytes (§5.16). */
  maxFileBytes: number;
  /** Files waiting for one recipient, counting uploads already announced to them (§7). */
  maxPendingFiles: number;
  /** Plain messages remembered per channel for /HISTORY (§5.17). */
  historySize: number;
  /** Bytes of every waiting file and announced upload together, server-wide; one more /SEND is ERR LIMIT (§7). */
  maxPendingFileBytes: number;
  /** Bytes of history of every channel together; past it the server's oldest messages are forgotten (§7). */
  maxHistoryBytes: number;
  /** Simultaneous connections from one address, 0 for no limit; one more gets ERR SERVER_FULL (§7). */
  maxConnectionsPerAddress: number;
}

export const DEFAULT_CORE_OPTIONS: Readonly<CoreOptions> = {
  serverName: 'chat-conformance',
  protocolVersion: '1',
  maxConnections: 10000,
  maxFileBytes: 1048576,
  maxPendingFiles: 8,
  historySize: 100,
  maxPendingFileBytes: 64 * 1024 * 1024,
  maxHistoryBytes: 16 * 1024 * 1024,
  maxConnectionsPerAddress: 0,
};

/** Defaults filled in; keys given as undefined keep their default (except operPassword, which may be absent). */
export function resolveCoreOptions(partial: Partial<CoreOptions> = {}): CoreOptions {
  const resolved: CoreOptions = { ...DEFAULT_CORE_OPTIONS };
  for (const key of Object.keys(partial) as Array<keyof CoreOptions>) {
    const value = partial[key];
    if (value !== undefined) (resolved as unknown as Record<string, unknown>)[key] = value;
  }
  for (const key of ['maxConnections', 'maxFileBytes', 'maxPendingFiles', 'historySize', 'maxPendingFileBytes', 'maxHistoryBytes'] as const) {
    const value = resolved[key];
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`${key} must be a positive integer, got ${value}`);
    }
  }
  if (!Number.isInteger(resolved.maxConnectionsPerAddress) || resolved.maxConnectionsPerAddress < 0) {
    throw new RangeError(`maxConnectionsPerAddress must be a non-negative integer, got ${resolved.maxConnectionsPerAddress}`);
  }
  if (/\s/.test(resolved.serverName) || resolved.serverName === '') {
    throw new RangeError(`serverName must be one non-empty word, got '${resolved.serverName}'`);
  }
  return resolved;
}
