/**
 * File transfer (§5.16) from the user's point of view: `/SEND <nick> <path>` uploads a local file in
 * base64 chunks, `/RECV <name> [path] [--force]` downloads a waiting file to a local path.
 *
 * Both go through ChatClient typed commands (send, data, recv), never through wire strings.
 */
import { stat, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChatClient, Outcome } from './chat-client.ts';

/** Bytes done so far and the total, for a progress indicator. */
export type Progress = (done: number, total: number) => void;

export type TransferResult = { ok: true; message: string } | { ok: false; message: string };

/** How many /DATA lines may wait for their reply at once: keeps the pipe full without flooding the server. */
const DATA_WINDOW = 8;

/** §5.16: a file name is 1 to 64 of letters, digits, '.', '_', '-' (never a path). */
const FILE_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** The protocol name for a local file: its base name, other characters replaced by '_', at most 64. */
export function protocolFileName(localPath: string): string {
  const base = path.basename(localPath).replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);
  return base === '' || base === '.' || base === '..' ? 'file' : base;
}

function errorOf(outcome: Outcome): string | undefined {
  if (outcome.reply.ok) return undefined;
  const reason = outcome.reply.fields.reason;
  return `${outcome.reply.code ?? 'ERR'}${reason ? `: ${reason}` : ''}`;
}

export async function sendFile(client: ChatClient, nick: string, localPath: string, progress?: Progress): Promise<TransferResult> {
  let size: number;
  try {
    const info = await stat(localPath);
    if (!info.isFile()) return { ok: false, message: `${localPath} is not a regular file` };
    size = info.size;
  } catch (error) {
    return { ok: false, message: `cannot read ${localPath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  if (size === 0) return { ok: false, message: `${localPath} is empty; the protocol carries files of 1 byte or more` };

  const name = protocolFileName(localPath);
  // Announce first, read after: the server's size limit decides before we load a big file.
  const announced = await client.request({ name: 'send', args: { nick, name, size: String(size) } });
  const refused = errorOf(announced);
  if (refused !== undefined) return { ok: false, message: `send refused: ${refused}` };

  const content = await readFile(localPath);
  if (content.length !== size) {
    // The file changed under us; a later /SEND replaces this unfinished upload on the server.
    return { ok: false, message: `${localPath} changed while sending (${size} then ${content.length} bytes); nothing was delivered` };
  }

  const chunk = client.dialect.dataChunkBytes;
  let acknowledged = 0;
  let failure: string | undefined;
  const inFlight = new Set<Promise<void>>();
  for (let offset = 0; offset < size && failure === undefined; offset += chunk) {
    const piece = content.subarray(offset, Math.min(size, offset + chunk));
    const done: Promise<void> = client
      .request({ name: 'data', args: { base64: piece.toString('base64') } })
      .then((outcome) => {
        failure ??= errorOf(outcome);
        if (failure === undefined) {
          acknowledged += piece.length;
          progress?.(acknowledged, size);
        }
      })
      .finally(() => inFlight.delete(done));
    inFlight.add(done);
    if (inFlight.size >= DATA_WINDOW) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure !== undefined) return { ok: false, message: `upload of ${name} failed: ${failure}` };
  return { ok: true, message: `sent ${name} (${size} bytes) to ${nick}` };
}

async function exists(target: string): Promise<'file' | 'directory' | 'none'> {
  try {
    return (await stat(target)).isDirectory() ? 'directory' : 'file';
  } catch {
    return 'none';
  }
}

/**
 * Where `/RECV <name> [path]` writes: `path`, or `path/<name>` when `path` is a directory, or
 * `<cwd>/<name>` without a path.
 */
export async function downloadTarget(name: string, localPath: string | undefined, cwd: string): Promise<string> {
  if (localPath === undefined) return path.resolve(cwd, name);
  const target = path.resolve(cwd, localPath);
  return (await exists(target)) === 'directory' ? path.join(target, name) : target;
}

export async function receiveFile(
  client: ChatClient,
  name: string,
  localPath: string | undefined,
  options: { force: boolean; cwd: string; progress?: Progress },
): Promise<TransferResult> {
  if (!FILE_NAME.test(name) || name === '.' || name === '..') {
    return { ok: false, message: `"${name}" is not a file name of the protocol (1 to 64 letters, digits, . _ -)` };
  }
  const target = await downloadTarget(name, localPath, options.cwd);
  // Refuse BEFORE asking the server: the file stays waiting there, so the user can retry elsewhere.
  if (!options.force && (await exists(target)) !== 'none') {
    return { ok: false, message: `${target} already exists; give another path or add --force to overwrite` };
  }

  const chunks: Buffer[] = [];
  let received = 0;
  // The size is in the FILE event that announced it (the oldest waiting file of that name, §5.16).
  const expected = client.announcedFiles.get(name)?.[0] ?? Number.NaN;
  const outcome = await client.request({ name: 'recv', args: { name } }, (data) => {
    if (data.data !== 'filedata') return;
    const bytes = Buffer.from(data.fields.base64 ?? '', 'base64');
    chunks.push(bytes);
    received += bytes.length;
    options.progress?.(received, expected);
  });
  const refused = errorOf(outcome);
  if (refused !== undefined) return { ok: false, message: `receive refused: ${refused}` };

  const content = Buffer.concat(chunks);
  const announced = Number(outcome.reply.fields.size);
  const from = outcome.reply.fields.from;
  try {
    // 'wx' also closes the gap between the check above and this write.
    await writeFile(target, content, { flag: options.force ? 'w' : 'wx' });
  } catch (error) {
    return { ok: false, message: `cannot write ${target}: ${(error as NodeJS.ErrnoException).code ?? String(error)} (the file is no longer waiting on the server)` };
  }
  const mismatch = Number.isFinite(announced) && announced !== content.length ? ` (WARNING: the server announced ${announced} bytes)` : '';
  return { ok: true, message: `saved ${name} (${content.length} bytes${from ? ` from ${from}` : ''}) to ${target}${mismatch}` };
}
