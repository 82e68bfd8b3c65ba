/**
 * Write a file so that a reader (or a grader killed mid-write) only ever sees the old or the new content:
 * write a temporary file next to it, then rename. Synchronous on purpose: grade files (grading/) are rewritten after
 * every scenario and must be complete on disk before a SIGKILL can land.
 */
import fs from 'node:fs';
import path from 'node:path';

export function writeFileAtomic(file: string, content: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}
