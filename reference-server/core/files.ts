/**
 * File transfer bookkeeping (§5.16): the open upload of a sender, the files waiting for a recipient, and
 * the server-wide count of bytes they hold (§7): an upload reserves its announced size when it opens, the
 * reservation passes to the waiting file, and is given back when the file is received or dropped.
 */
import type { ServerState, User, WaitingFile } from './state.ts';

/** RFC 4648 base64 with padding, non-empty. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;

/** Largest decoded chunk of one FILEDATA line (§5.16): 3072 bytes are 4096 base64 characters. */
export const FILEDATA_CHUNK_BYTES = 3072;

export function isBase64(text: string): boolean {
  return BASE64.test(text);
}

/** Files waiting for `recipient` plus uploads announced to them: what the per-recipient limit counts. */
export function pendingCount(recipient: User): number {
  return recipient.waitingFiles.length + recipient.incomingUploads;
}

/** Whether the server can hold `size` more bytes of files, the sender's upload about to be replaced given back. */
export function fitsPendingBytes(state: ServerState, sender: User, size: number): boolean {
  const replaced = sender.upload?.size ?? 0;
  return state.pendingFileBytes - replaced + size <= state.options.maxPendingFileBytes;
}

/** Opens an upload from `sender`, replacing an unfinished one (§5.16.1). */
export function openUpload(state: ServerState, sender: User, recipient: User, name: string, size: number): void {
  abandonUpload(state, sender);
  sender.upload = { recipient, name, size, chunks: [], received: 0 };
  recipient.incomingUploads++;
  state.pendingFileBytes += size;
}

/** Forgets `sender`'s unfinished upload, if any. */
export function abandonUpload(state: ServerState, sender: User): void {
  const upload = sender.upload;
  if (upload === null) return;
  closeUpload(sender);
  state.pendingFileBytes -= upload.size;
}

/** The upload is no longer open; its reserved bytes are the caller's to keep or give back. */
function closeUpload(sender: User): void {
  sender.upload!.recipient.incomingUploads--;
  sender.upload = null;
}

/**
 * Ends `sender`'s complete upload: the file now waits for its recipient (returned), or is dropped
 * (null) if the recipient disconnected meanwhile — a file is never handed to a later user of that nick.
 */
export function completeUpload(state: ServerState, sender: User): { recipient: User; file: WaitingFile } | null {
  const upload = sender.upload!;
  closeUpload(sender);
  if (!upload.recipient.connected) {
    state.pendingFileBytes -= upload.size;
    return null;
  }
  const file: WaitingFile = { from: sender.nick!, name: upload.name, data: Buffer.concat(upload.chunks, upload.size) };
  upload.recipient.waitingFiles.push(file);
  return { recipient: upload.recipient, file };
}

/** Removes and returns the oldest waiting file called `name`, if any. */
export function takeWaitingFile(state: ServerState, recipient: User, name: string): WaitingFile | undefined {
  const index = recipient.waitingFiles.findIndex((file) => file.name === name);
  if (index < 0) return undefined;
  const file = recipient.waitingFiles.splice(index, 1)[0]!;
  state.pendingFileBytes -= file.data.length;
  return file;
}

/** A departing recipient's waiting files are dropped (§5.16). */
export function dropWaitingFiles(state: ServerState, recipient: User): void {
  for (const file of recipient.waitingFiles) state.pendingFileBytes -= file.data.length;
  recipient.waitingFiles.length = 0;
}
