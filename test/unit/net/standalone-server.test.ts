/**
 * The reference server runs on its own (`npm run server`, a grading sandbox that shows only its folder):
 * nothing under reference-server/ may import the harness, the grader or the client. Only reference-server/
 * itself, common/ (shared command-line helpers) and packages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../common/project-root.ts';

const ALLOWED = ['reference-server', 'common'].map((dir) => path.join(PROJECT_ROOT, dir) + path.sep);

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

test('the reference server imports nothing of the project outside reference-server/ and common/', () => {
  const outside: string[] = [];
  for (const file of [...sources(path.join(PROJECT_ROOT, 'reference-server')), ...sources(path.join(PROJECT_ROOT, 'common'))]) {
    const text = fs.readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      const target = path.resolve(path.dirname(file), spec!);
      if (!ALLOWED.some((dir) => target.startsWith(dir))) outside.push(`${path.relative(PROJECT_ROOT, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(outside, []);
});

test('the check sees a relative import that leaves the folder', () => {
  const line = "import { x } from '../../harness/plain.ts';";
  const [, spec] = /(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/.exec(line)!;
  const target = path.resolve(path.join(PROJECT_ROOT, 'reference-server', 'net'), spec!);
  assert.ok(!ALLOWED.some((dir) => target.startsWith(dir)));
});
