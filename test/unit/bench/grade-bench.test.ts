/** npm run bench:grade: its fixtures, its table, one real smoke run, and the slow/crashy fixture switches. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { benchGradeMarkdown, combineRounds, fixtureResult, main, median, speedupsOf, type BenchGradeReport } from '../../../bench/grade-bench.ts';
import { GRADE_FIXTURES, pickFixtures, type GradeFixture } from '../../../bench/grade-fixtures.ts';
import { PROJECT_ROOT } from '../../../common/project-root.ts';
import type { Grade } from '../../../grading/score.ts';
import { fixtureBundle } from '../../support/fixture-command.ts';

test('the fixtures cover the bundled reference, barrier, no barrier, slow, crashy and client mode; --only picks and checks names', () => {
  assert.deepEqual(GRADE_FIXTURES.map((f) => f.name), [
    'reference',
    'reference-parallel',
    'barrier',
    'barrier-parallel',
    'no-barrier',
    'slow',
    'slow-parallel',
    'crashy',
    'client',
  ]);
  assert.deepEqual(pickFixtures('crashy, barrier').map((f) => f.name), ['barrier', 'crashy']);
  assert.throws(() => pickFixtures('nope'), /unknown fixture "nope"/);
  // The bundled reference server: no --server (the grader's default target), serial and --parallel 2.
  assert.deepEqual(pickFixtures('reference,reference-parallel').map((f) => f.args()), [[], ['--parallel', '2']]);
  // Each spawned server starts from its bundle (plain JavaScript), not through tsx: the bench measures the harness.
  for (const fixture of GRADE_FIXTURES.filter((f) => !f.name.startsWith('reference'))) {
    const server = fixture.args()[fixture.args().indexOf('--server') + 1]!;
    assert.match(server, /^node \S+\.mjs /, `${fixture.name}: ${server}`);
    assert.doesNotMatch(server, /tsx/);
  }
});

test('the table gives seconds per submission and per scenario run, and the run notes', () => {
  const grade = {
    state: 'complete',
    counts: { passed: 3, failed: 1, 'not-gradable': 4, 'not-run': 0, filtered: 2, total: 10 },
    scenarios: [{ durationMs: 500 }, { durationMs: 1500 }],
    total: 12.5,
    max: 20,
    notes: ['no barrier, adaptive quiet waits: ...'],
  } as unknown as Grade;
  const r = fixtureResult(pickFixtures('no-barrier')[0]!, 16_000, false, grade);
  assert.equal(r.ran, 8);
  const report: BenchGradeReport = { startedAt: 'now', loadAverage: [1, 2, 3], cpus: 2, tags: '', rounds: 1, results: [r, fixtureResult(pickFixtures('crashy')[0]!, 900_000, true, undefined)], speedups: [] };
  const md = benchGradeMarkdown(report);
  assert.match(md, /\| no-barrier \| .* \| 16\.0 \| 8 \| 2\.000 \| 0\.250 \| 3 \/ 1 \/ 4 \/ 0 \/ 2 \| complete \| 12\.50 \/ 20\.00 \|/);
  assert.match(md, /\| crashy \| .* \| 900\.0 \| 0 \| - \| - \| - \| CUT OFF \| - \|/);
  assert.match(md, /\*\*no-barrier\*\*: no barrier, adaptive quiet waits/);
});

test('over several rounds: each fixture its median and range, each --parallel fixture its speed-up on the medians and round by round', () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  const grade = (total: number): Grade => ({ state: 'complete', counts: { passed: 1, failed: 0, 'not-gradable': 0, 'not-run': 0, filtered: 0, total: 1 }, scenarios: [], total, max: 20, notes: [] }) as unknown as Grade;
  const [serial, parallel] = pickFixtures('reference,reference-parallel') as [GradeFixture, GradeFixture];
  const serialRounds = [5000, 4800, 5600].map((ms, i) => fixtureResult(serial, ms, false, grade(i)));
  const parallelRounds = [3000, 3200, 3100].map((ms) => fixtureResult(parallel, ms, false, grade(20)));
  const results = [combineRounds(serialRounds), combineRounds(parallelRounds)];
  assert.deepEqual(results[0]!.roundsMs, [5000, 4800, 5600]);
  assert.equal(results[0]!.wallMs, 5000);
  assert.equal(results[0]!.total, 0, "the rest comes from the round whose time is the median's");
  const speedups = speedupsOf(results);
  assert.equal(speedups.length, 1);
  assert.deepEqual({ serial: speedups[0]!.serial, parallel: speedups[0]!.parallel }, { serial: 'reference', parallel: 'reference-parallel' });
  assert.equal(speedups[0]!.ratio, 5000 / 3100);
  assert.deepEqual(speedups[0]!.roundRatios, [5000 / 3000, 4800 / 3200, 5600 / 3100]);
  const md = benchGradeMarkdown({ startedAt: 'now', loadAverage: [1, 1, 1], cpus: 2, tags: '', rounds: 3, results, speedups });
  assert.match(md, /3 rounds, each fixture's median \(and range\)/);
  assert.match(md, /\| reference \| .* \| 5\.0 \(4\.8-5\.6\) \| 1 \|/);
  assert.match(md, /\| reference-parallel against reference \| 1\.61x \| 1\.50x-1\.81x \(1\.67x, 1\.50x, 1\.81x\) \|/);

  const lost = combineRounds([fixtureResult(serial, 5000, false, grade(1)), fixtureResult(serial, 900_000, true, undefined)]);
  assert.equal(lost.state, 'no grade', 'a round without a grade is not hidden by a good one');
  assert.equal(lost.cutOff, true);
  assert.deepEqual(speedupsOf([results[1]!]), [], 'no serial fixture beside it: no speed-up');
});

test('--rounds must be a positive whole number', async () => {
  for (const rounds of ['0', '1.5', 'two']) assert.equal(await main(['--rounds', rounds, '--only', 'crashy'], { write: () => true }), 2);
});

test('smoke: one fixture graded on a few scenarios leaves its table and JSON', { timeout: 180_000 }, async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-grade-'));
  try {
    const code = await main(['--only', 'crashy', '--tags', '@list', '--out', out], { write: () => true });
    assert.equal(code, 0);
    const report = JSON.parse(fs.readFileSync(path.join(out, 'bench-grade.json'), 'utf8')) as BenchGradeReport;
    assert.equal(report.results.length, 1);
    assert.equal(report.results[0]!.state, 'complete');
    assert.ok(report.results[0]!.ran > 0);
    assert.match(fs.readFileSync(path.join(out, 'bench-grade.md'), 'utf8'), /\| crashy \|/);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

test('the dialect fixture server crashes on its n-th connection with --crash-every n', { timeout: 60_000 }, async () => {
  const child = spawn(process.execPath, [fixtureBundle('test/fixtures/dialect-servers/seed.ts'), '0', '--crash-every', '2'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  const port = Number(/:(\d+)/.exec(chunk.toString())![1]);
  const first = net.connect({ host: '127.0.0.1', port });
  await once(first, 'connect');
  const second = net.connect({ host: '127.0.0.1', port });
  second.on('error', () => {});
  first.on('error', () => {});
  const [code] = (await once(child, 'exit')) as [number];
  first.destroy();
  second.destroy();
  assert.equal(code, 1);
  assert.match(stderr, /connection 2: crashing/);
});

test('the dialect fixture server writes its replies late with --reply-delay', { timeout: 60_000 }, async () => {
  const child = spawn(process.execPath, [fixtureBundle('test/fixtures/dialect-servers/seed.ts'), '0', '--reply-delay', '300'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
    const port = Number(/:(\d+)/.exec(chunk.toString())![1]);
    const socket = net.connect({ host: '127.0.0.1', port });
    await once(socket, 'connect');
    const sent = Date.now();
    socket.write('zoe\n');
    await once(socket, 'data');
    assert.ok(Date.now() - sent >= 290, 'the welcome came no sooner than the delay');
    socket.destroy();
  } finally {
    child.kill();
  }
});
