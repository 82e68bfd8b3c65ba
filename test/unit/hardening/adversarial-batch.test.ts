/**
 * Issue #16: a class with hostile submissions (test/fixtures/adversarial/) graded in one batch, next to an
 * honest one. Each attack must fail and the honest submission must keep its full grade:
 *  - forger: no forged grade is taken (its grade is its own 0; the honest grade is the honest one);
 *  - daemon (and every other): nothing of any submission is alive after the batch;
 *  - snooper: it saw neither its neighbours nor the grader's environment nor its processes, changed no
 *    neighbour's file and left no loot on the machine;
 *  - saboteur: the control endpoint it found answered 403 (no secret) and closed its endless body;
 *  - hog: output capped, /tmp capped, its folder read-only, its fork bomb stopped (as root);
 *  - megabyte: the grader finishes normally with small reports.
 * Small form for npm test: the six /LIST scenarios, four submissions at a time. Needs bubblewrap.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { PROJECT_ROOT } from '../../../common/project-root.ts';
import { sandboxUnavailable } from '../../../harness/target/sandbox.ts';
import type { Grade } from '../../../grading/score.ts';
import { FIXTURE_SANDBOX_ALLOW } from '../../support/sandbox-allow.ts';

const FIXTURES = path.join(PROJECT_ROOT, 'test', 'fixtures', 'adversarial');
/** Sorted names: the honest one is graded at the same time as the first attackers. */
const ATTACKERS = { forger: 'a-forger', saboteur: 'b-saboteur', daemon: 'd-daemon', snooper: 'e-snooper', hog: 'f-hog', megabyte: 'g-megabyte' };
const HONEST = 'c-honest';
const SECRET = 'hunter2-adversarial';
const LOOT = ['/tmp', '/var/tmp', '/dev/shm'].map((d) => path.join(d, 'adversarial-fixture-loot'));
const OUTPUT_CAP = 64 * 1024;

const sha = (file: string): string => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function processesUnder(root: string): string[] {
  const found: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(root) && !cmdline.includes('grading/cli.ts')) found.push(`${pid}: ${cmdline}`);
    } catch {
      // ended meanwhile
    }
  }
  return found;
}

function folderBytes(dir: string): number {
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => sum + (e.isDirectory() ? folderBytes(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).size), 0);
}

test('hostile submissions fail at every attack and the honest neighbour keeps its grade', { timeout: 240_000 }, async (t) => {
  assert.equal(sandboxUnavailable(), undefined, 'this test needs bubblewrap (apt-get install bubblewrap)');
  for (const loot of LOOT) fs.rmSync(loot, { force: true });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'adversarial-class-'));
  const reports = fs.mkdtempSync(path.join(os.tmpdir(), 'adversarial-reports-'));
  t.after(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(reports, { recursive: true, force: true });
  });
  for (const [fixture, name] of Object.entries(ATTACKERS)) fs.cpSync(path.join(FIXTURES, fixture), path.join(root, name), { recursive: true });
  fs.mkdirSync(path.join(root, HONEST));
  const honestServer = path.join(root, HONEST, 'server.py');
  fs.writeFileSync(
    honestServer,
    `import os, sys\nROOT = ${JSON.stringify(PROJECT_ROOT)}\nos.chdir(ROOT)\nos.execvp('node', ['node', '--import', 'tsx', os.path.join(ROOT, 'reference-server', 'net', 'cli.ts'), '--host', '127.0.0.1', '--port', sys.argv[1]])\n`,
  );
  const honestHash = sha(honestServer);

  const run = await execa(
    process.execPath,
    [
      '--import', 'tsx', 'grading/cli.ts',
      '--submissions', root,
      '--server', 'python3 {dir}/server.py {port}',
      '--tags', '@list',
      '--limit', '100',
      '--jobs', '4',
      '--output-cap', String(OUTPUT_CAP),
      '--reports', reports,
      ...FIXTURE_SANDBOX_ALLOW,
    ],
    { cwd: PROJECT_ROOT, reject: false, timeout: 220_000, env: { ADVERSARIAL_TEST_SECRET: SECRET } },
  );
  t.diagnostic(`batch output:\n${run.stdout}\n${run.stderr}`);
  assert.equal(run.exitCode, 0, 'every submission was graded');
  const grade = (name: string): Grade => JSON.parse(fs.readFileSync(path.join(reports, 'submissions', name, 'grade.json'), 'utf8')) as Grade;
  const text = (name: string): string => JSON.stringify(grade(name).scenarios.map((s) => `${s.message ?? ''}\n${s.transcript ?? ''}`));

  // The honest neighbour: full marks, its file untouched.
  const honest = grade(HONEST);
  assert.equal(honest.state, 'complete');
  assert.equal(honest.total, honest.max, `the honest submission keeps every point: ${honest.notes.join(' | ')}`);
  assert.equal(honest.counts.passed, 6);
  assert.equal(sha(honestServer), honestHash, "the neighbour's server.py is unchanged");

  // Forger: its own 0, nothing forged taken anywhere.
  const forger = grade(ATTACKERS.forger);
  assert.equal(forger.total, 0);
  assert.equal(forger.submission, ATTACKERS.forger);
  const csv = fs.readFileSync(path.join(reports, 'class.csv'), 'utf8');
  assert.match(csv, new RegExp(`^${ATTACKERS.forger},[a-z-]+,0,`, 'm'), csv);
  for (const name of [...Object.values(ATTACKERS), HONEST]) assert.notEqual(grade(name).rubric.title, 'forged');

  // Nothing of any submission outlives the batch (the daemon's setsid double forks included).
  assert.deepEqual(processesUnder(root), []);

  // Snooper: ran (its report is in the transcript), saw nothing it should not, left nothing.
  const snooped = text(ATTACKERS.snooper);
  assert.match(snooped, /SNOOP/);
  assert.doesNotMatch(snooped, new RegExp(SECRET), 'the grader environment did not leak');
  assert.doesNotMatch(snooped, new RegExp(HONEST), 'the neighbours are invisible');
  assert.doesNotMatch(snooped, /grading\/cli\.ts|--reports/, "the grader's command line is invisible");
  for (const loot of LOOT) assert.ok(!fs.existsSync(loot), `no loot at ${loot}`);

  // Saboteur: the endpoint it found refused it.
  const sabotage = text(ATTACKERS.saboteur);
  assert.match(sabotage, /HTTP\/1\.1 403/, `the control endpoint answered 403: ${sabotage.slice(0, 2000)}`);
  assert.doesNotMatch(sabotage, /HTTP\/1\.1 200/);
  assert.doesNotMatch(sabotage, /endless body: all/);

  // Hog: capped output, capped /tmp, read-only folder, forks stopped.
  assert.ok(fs.statSync(path.join(reports, 'submissions', ATTACKERS.hog, 'grader.log')).size < OUTPUT_CAP + 1024);
  const hog = text(ATTACKERS.hog);
  assert.match(hog, /'tmp': 'stopped after \d+ bytes/, 'its /tmp filled up and stopped it');
  assert.match(hog, /'own folder': 'error 30'/, 'its folder is read-only (EROFS)');
  // The fork bomb takes seconds, so only a later connection sees how it ended (the sandbox test proves the limit).
  const forks = /'forks': (\d+)/.exec(hog)?.[1];
  if (forks !== undefined && process.getuid?.() === 0) assert.ok(Number(forks) < 1000, `the process limit stopped its fork bomb at ${forks}`);

  // Megabyte: graded normally, bounded reports.
  const mega = grade(ATTACKERS.megabyte);
  assert.notEqual(mega.state, 'grader-error', mega.notes.join(' | '));
  const megaBytes = folderBytes(path.join(reports, 'submissions', ATTACKERS.megabyte));
  assert.ok(megaBytes < 16 * 1024 * 1024, `its reports hold ${megaBytes} bytes`);
});
