/**
 * Write a file so that a reader (or a grader killed mid-write) only ever sees the old or the new content:
 * write a temporary file next to it, then rename. Synchronous, so a final grade (grading/) is complete on
 * disk before a SIGKILL can land; writeFileAtomicInBackground for the rewrites while a run goes on.
 */
import fs from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(file: string, content: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

/**
 * The same, its system calls off the event loop (the runner's loop serves the scenarios running meanwhile).
 * Its own temporary name, so a synchronous write never shares one with it; the caller waits for it to
 * settle before it writes the same file again.
 */
export async function writeFileAtomicInBackground(file: string, content: string): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.background.tmp`);
  await fs.promises.writeFile(tmp, content);
  await fs.promises.rename(tmp, file);
}
