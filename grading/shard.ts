/** Which submissions a run grades: sub-folders sorted by name, and a deterministic --shard i/n split. */
import fs from 'node:fs';
import path from 'node:path';
import type { Shard } from './options.ts';

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false; // a dangling link
  }
}

/** Sub-folder names of `dir`, hidden ones left out, sorted by code point (the same on every machine). */
export function listSubmissions(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    // A symlink to a folder counts too (a class assembled from links to where submissions were unpacked).
    .filter((e) => !e.name.startsWith('.') && (e.isDirectory() || (e.isSymbolicLink() && isDirectory(path.join(dir, e.name)))))
    .map((e) => e.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Round-robin over the sorted names: shard i of n takes names i-1, i-1+n, ... (every name in exactly one shard). */
export function shardOf<T>(items: readonly T[], shard: Shard | undefined): T[] {
  if (!shard) return [...items];
  return items.filter((_, i) => i % shard.count === shard.index - 1);
}
