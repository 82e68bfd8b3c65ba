/**
 * A class whose submissions speak different dialects (issue #15, item 1): a submission that ships a
 * profile.json is graded with it, one without is graded with the class's --profile (or the default), and
 * one spoken to in the wrong dialect is flagged "dialect mismatch" instead of 0 marked "complete".
 * Submissions are folders made here, each with a run.sh starting a dialect fixture server (the reference
 * core behind a translator, test/fixtures/dialect-servers/). Bounded: the six /LIST scenarios, the three
 * submissions at once (two at a time, the mismatched one, which fails every scenario on its timeout, was
 * graded after the first two: 32 s of wall, 20 s at once).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { PROJECT_ROOT } from '../../../common/project-root.ts';
import { profileFor } from '../../../grading/batch.ts';
import type { Grade } from '../../../grading/score.ts';
import { fixtureBundle } from '../../support/fixture-command.ts';

const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures', 'dialect-servers');

function submission(root: string, name: string, fixture: string, profile?: string): void {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'run.sh'), `cd ${JSON.stringify(PROJECT_ROOT)} && exec node ${JSON.stringify(fixtureBundle(path.join(FIXTURES, fixture)))} "$1"\n`);
  if (profile !== undefined) fs.copyFileSync(path.join(PROJECT_ROOT, 'profiles', `${profile}.json`), path.join(dir, 'profile.json'));
}

function readGrade(reports: string, name: string): Grade {
  return JSON.parse(fs.readFileSync(path.join(reports, 'submissions', name, 'grade.json'), 'utf8')) as Grade;
}

test('profileFor: {dir} profile, else the folder\'s profile.json, else the class profile', (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'profile-for-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  submission(root, 'own', 'seed.ts', 'seed');
  submission(root, 'none', 'seed.ts');
  const own = path.join(root, 'own');
  const none = path.join(root, 'none');
  assert.deepEqual(profileFor(undefined, own), { profile: path.join(own, 'profile.json'), note: "profile: the submission's own profile.json" });
  assert.deepEqual(profileFor('/x/lenient.json', own).profile, path.join(own, 'profile.json'), 'the submission\'s own profile wins over the class\'s');
  assert.deepEqual(profileFor('/x/lenient.json', none), { profile: '/x/lenient.json' });
  assert.deepEqual(profileFor(undefined, none), {});
  assert.deepEqual(profileFor('{dir}/profile.json', own).profile, path.join(own, 'profile.json'));
  assert.match(profileFor('{dir}/dialect.json', own).note ?? '', /no profile at .*dialect\.json: graded with the default profile/);
});

test('a class of dialects: own profile.json used, the wrong dialect flagged "dialect mismatch"', { timeout: 150_000 }, async (t) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dialect-class-'));
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'dialect-class-reports-'));
  t.after(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(reports, { recursive: true, force: true });
  });
  submission(root, 'canonical', 'canonical.ts');
  submission(root, 'seed-with-profile', 'seed.ts', 'seed');
  submission(root, 'seed-without-profile', 'seed.ts');
  const run = await execa(
    process.execPath,
    ['--import', 'tsx', 'grading/cli.ts', '--submissions', root, '--server', 'sh {dir}/run.sh {port}', '--tags', '@list', '--timeout', '1500', '--quiet-ms', '200', '--limit', '100', '--jobs', '3', '--reports', reports, '--sandbox-allow', PROJECT_ROOT],
    { cwd: PROJECT_ROOT, reject: false, timeout: 140_000 },
  );
  t.diagnostic(`batch output:\n${run.stdout}\n${run.stderr}`);
  assert.equal(run.exitCode, 0, `${run.stdout}\n${run.stderr}`);

  const canonical = readGrade(reports, 'canonical');
  assert.equal(canonical.state, 'complete');
  assert.equal(canonical.total, canonical.max);

  const own = readGrade(reports, 'seed-with-profile');
  assert.equal(own.state, 'complete');
  assert.match(own.profile, /seed-with-profile\/profile\.json$/);
  assert.ok(own.notes.some((n) => n.includes("the submission's own profile.json")), own.notes.join('\n'));
  assert.equal(own.counts.failed, 0, JSON.stringify(own.scenarios.filter((s) => s.status === 'failed'), null, 1));
  assert.ok(own.counts.passed > 0);

  const wrong = readGrade(reports, 'seed-without-profile');
  assert.equal(wrong.state, 'dialect-mismatch', `${wrong.notes.join('\n')}\n${wrong.scenarios.map((s) => s.message).join('\n')}`);
  assert.ok(wrong.notes.some((n) => /dialect mismatch: no scenario passed/.test(n)));
  const md = fs.readFileSync(path.join(reports, 'submissions', 'seed-without-profile', 'grade.md'), 'utf8');
  assert.match(md, /DIALECT MISMATCH/);
  const csv = fs.readFileSync(path.join(reports, 'class.csv'), 'utf8');
  assert.match(csv, /^seed-without-profile,dialect-mismatch,/m);
});
