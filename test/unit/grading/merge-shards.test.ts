/** grade:merge checks that every shard arrived and that each shard's submissions were graded. */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileRubric } from '../../../grading/rubric.ts';
import { computeGrade } from '../../../grading/score.ts';
import { main } from '../../../grading/merge-cli.ts';
import { missingFromShards, SHARD_MANIFEST, SHARD_SCHEMA, type ShardManifest } from '../../../grading/merge.ts';
import { info, result } from './helpers.ts';

const rubric = compileRubric({ title: 'T', hiddenVisibility: 'hidden', categories: [{ id: 'a', title: 'A', points: 1, tags: '@a' }] }, 't.json');
const scenario = info(1, ['@a']);

function grade(submission: string) {
  return computeGrade({
    rubric,
    selected: [scenario],
    filtered: new Map(),
    results: new Map([[scenario.key, result(scenario, 'passed')]]),
    notRunReason: 'not run',
    meta: { submission, target: 't', profile: 'canonical', state: 'complete', notes: [], startedAt: '2026-01-01T00:00:00Z', wallMs: 1 },
  });
}

const manifest = (index: number, count: number, submissions: string[]): ShardManifest => ({ schema: SHARD_SCHEMA, index, count, submissions });

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** A folder like the artifacts of the given shards: shard-i/shard.json and shard-i/submissions/<name>/grade.json. */
function artifacts(shards: Array<{ m: ShardManifest; graded: string[] }>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'merge-shards-'));
  dirs.push(root);
  for (const { m, graded } of shards) {
    const dir = path.join(root, `shard-${m.index}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, SHARD_MANIFEST), JSON.stringify(m));
    for (const name of graded) {
      fs.mkdirSync(path.join(dir, 'submissions', name), { recursive: true });
      fs.writeFileSync(path.join(dir, 'submissions', name, 'grade.json'), JSON.stringify(grade(name)));
    }
  }
  return root;
}

/** Runs grade:merge, capturing stderr. */
function merge(args: string[]): { code: number; stderr: string } {
  let stderr = '';
  const write = process.stderr.write.bind(process.stderr);
  const out = process.stdout.write.bind(process.stdout);
  process.stderr.write = ((chunk: string) => ((stderr += chunk), true)) as typeof process.stderr.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return { code: main(args), stderr };
  } finally {
    process.stderr.write = write;
    process.stdout.write = out;
  }
}

test('every shard arrived with every grade: exit 0', () => {
  const root = artifacts([
    { m: manifest(1, 2, ['a', 'c']), graded: ['a', 'c'] },
    { m: manifest(2, 2, ['b']), graded: ['b'] },
  ]);
  const out = path.join(root, 'class');
  const { code, stderr } = merge([root, '--out', out]);
  assert.equal(code, 0, stderr);
  assert.ok(fs.existsSync(path.join(out, 'class.csv')));
});

test('a shard that did not arrive: listed, exit 1, and the report of what arrived is still written', () => {
  const root = artifacts([
    { m: manifest(1, 3, ['a', 'd']), graded: ['a', 'd'] },
    { m: manifest(3, 3, ['c']), graded: ['c'] },
  ]);
  const out = path.join(root, 'class');
  const { code, stderr } = merge([root, '--out', out]);
  assert.equal(code, 1);
  assert.match(stderr, /MISSING: shard 2\/3 did not arrive/);
  assert.ok(fs.readFileSync(path.join(out, 'class.csv'), 'utf8').includes('d'));
});

test('a shard that arrived without some of its grades (a job cut short): named', () => {
  const root = artifacts([{ m: manifest(1, 1, ['a', 'b']), graded: ['a'] }]);
  const { code, stderr } = merge([root, '--out', path.join(root, 'class')]);
  assert.equal(code, 1);
  assert.match(stderr, /MISSING: shard 1\/1: no grade for b/);
});

test('--expect-shards catches lost shards that no arrived manifest can name', () => {
  // The CI started two jobs; only shard 1's artifact arrived.
  const root = artifacts([{ m: manifest(1, 2, ['a']), graded: ['a'] }]);
  assert.match(merge([root, '--out', path.join(root, 'class'), '--expect-shards', '2']).stderr, /shard 2\/2 did not arrive/);
  assert.equal(merge([root, '--out', path.join(root, 'class'), '--expect-shards', 'x']).code, 2);
});

test('missingFromShards: shards that disagree on their number are reported', () => {
  const problems = missingFromShards([manifest(1, 2, []), manifest(2, 3, [])], new Set());
  assert.match(problems[0]!, /disagree on how many there are \(2, 3\)/);
  assert.ok(problems.some((p) => /shard 3\/3 did not arrive/.test(p)));
  assert.deepEqual(missingFromShards([], new Set()), [], 'no manifests and no expectation: nothing to check (grade files merged as before)');
});
