/**
 * Library and system errors in plain words, for every command line of the project (conformance, grade,
 * the reference server and client): a user who mistypes an option or a host must read what to do, not
 * parseArgs's advice about positional arguments or a bare `ENOTFOUND`.
 */

/** Edit distance (insertions, deletions, substitutions), for "did you mean". */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/** The closest candidate when it is close enough to be a typo (or the word is a prefix of it), else undefined. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  const plain = word.replace(/^-+/, '').toLowerCase();
  if (plain === '') return undefined;
  let best: { candidate: string; d: number } | undefined;
  for (const candidate of candidates) {
    const c = candidate.replace(/^-+/, '').toLowerCase();
    const d = c.startsWith(plain) && plain.length >= 3 ? 0 : distance(plain, c);
    if (!best || d < best.d) best = { candidate, d };
  }
  return best && best.d <= Math.max(1, Math.floor(plain.length / 3)) ? best.candidate : undefined;
}

/**
 * A node:util parseArgs error rewritten: "unknown option --tagz (did you mean --tags?)", "--tags needs a
 * value". `options` is the parseArgs option table (its keys are the long names). Returns undefined for
 * an error that is not parseArgs's.
 */
export function parseArgsMessage(error: unknown, options: Record<string, { type: string; short?: string }>): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as NodeJS.ErrnoException).code;
  const names = Object.keys(options).map((name) => `--${name}`);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const given = /Unknown option '([^']+)'/.exec(error.message)?.[1] ?? '?';
    const flag = given.split('=')[0]!;
    const guess = didYouMean(flag, names);
    return `unknown option ${flag}${guess ? ` (did you mean ${guess}?)` : ''}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = /'(-[^ ']+)/.exec(error.message)?.[1];
    if (/argument missing/.test(error.message)) return `${name ?? 'an option'} needs a value`;
    if (/does not take an argument/.test(error.message)) return `${name ?? 'an option'} takes no value`;
    return error.message;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const given = /Unexpected argument '([^']+)'/.exec(error.message)?.[1];
    return `unexpected argument${given ? ` "${given}"` : ''}: this command takes options only`;
  }
  return undefined;
}

interface SystemErrorLike {
  code?: string;
  syscall?: string;
  hostname?: string;
  address?: string;
  port?: number;
  path?: string;
}

/**
 * A Node system error (ENOTFOUND, EADDRINUSE, ECONNREFUSED, ENOENT...) as a sentence that names what it
 * is about (host, port, path). `context` fills in what the error object may lack (the port asked for).
 * Returns undefined for an error that is not a system error this knows.
 */
export function systemErrorMessage(error: unknown, context: { host?: string; port?: number; path?: string } = {}): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as SystemErrorLike;
  const host = e.hostname ?? e.address ?? context.host;
  const port = e.port ?? context.port;
  const where = host !== undefined ? `${host}${port !== undefined ? `:${port}` : ''}` : port !== undefined ? `port ${port}` : 'the address';
  const file = e.path ?? context.path;
  switch (e.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name${host !== undefined ? ` ${host}` : ''} is not known (check its spelling, or give an IP address such as 127.0.0.1)`;
    case 'EADDRINUSE':
      return `port ${port ?? '?'} is already in use${host ? ` on ${host}` : ''}: another server is listening there (stop it, or pick another port; --port 0 picks a free one)`;
    case 'EADDRNOTAVAIL':
      return `${host ?? 'that address'} is not an address of this machine, so nothing can listen on it`;
    case 'EACCES':
      return e.syscall === 'listen' || e.syscall === 'bind' ? `no permission to listen on port ${port ?? '?'} (ports below 1024 need root; pick a higher one)` : `no permission to read ${file ?? 'the file'}`;
    case 'ECONNREFUSED':
      return `nothing accepts connections at ${where} (is the server running, on that port?)`;
    case 'ETIMEDOUT':
      return `${where} did not answer in time`;
    case 'ENOENT':
      return e.syscall === 'scandir' || e.syscall === 'opendir' ? `no such directory: ${file ?? '?'}` : `no such file or directory: ${file ?? '?'}`;
    case 'ENOTDIR':
      return `not a directory: ${file ?? '?'}`;
    default:
      return undefined;
  }
}
