import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRubric } from '../../../grading/rubric.ts';
import { computeGrade } from '../../../grading/score.ts';
import { buildGradescopeResults } from '../../../grading/outputs/gradescope.ts';
import { buildGradeMarkdown } from '../../../grading/outputs/grade-md.ts';
import { vplComments, vplGradeLine } from '../../../grading/outputs/vpl.ts';
import { buildClassCsv, buildClassHtml } from '../../../grading/class-report.ts';
import { mergeGrades } from '../../../grading/merge.ts';
import { listSubmissions, shardOf } from '../../../grading/shard.ts';
import { budgetFor, serverCommandFor, shellQuote } from '../../../grading/batch.ts';
import { CappedLog } from '../../../grading/capped-log.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { info, result } from './helpers.ts';

const rubric = compileRubric(
  {
    title: 'T',
    hiddenVisibility: 'hidden',
    categories: [
      { id: 'a', title: 'A', points: 3, tags: '@a' },
      { id: 'b', title: 'B', points: 1, tags: '@b' },
    ],
  },
  't.json',
);
const s = [info(1, ['@a']), info(2, ['@a', '@hidden']), info(3, ['@a']), info(4, ['@b'])];

function sample(submission = 'alice', passed = true) {
  return computeGrade({
    rubric,
    selected: s,
    filtered: new Map([[s[3]!.key, '@operator: password unknown']]),
    results: new Map([
      [s[0]!.key, result(s[0]!, passed ? 'passed' : 'failed')],
      [s[1]!.key, result(s[1]!, 'failed', { failingStep: { text: 'Then secret', message: 'secret detail' } })],
      [s[2]!.key, result(s[2]!, 'failed', { failingStep: { text: 'Then bob is refused', message: 'bob expected ERR NOT_ADMIN' }, attachments: [{ mediaType: 'text/plain', text: 'TCP transcript\n+0.001s bob -> /KICK carol\n+0.002s bob <- OK KICK' }] })],
    ]),
    notRunReason: 'not run yet',
    meta: { submission, target: 't', profile: 'canonical', state: 'complete', notes: [], startedAt: '2026-01-01T00:00:00Z', wallMs: 1500 },
  });
}

test('Gradescope results: test scores add up to the grade, hidden scenarios get the rubric visibility', () => {
  const grade = sample();
  const results = buildGradescopeResults(grade, rubric.hiddenVisibility);
  assert.equal(results.score, grade.total);
  const sum = (f: (t: (typeof results.tests)[number]) => number): number => Math.round(results.tests.reduce((a, t) => a + f(t), 0) * 1000) / 1000;
  assert.equal(sum((t) => t.score), grade.total);
  assert.equal(sum((t) => t.max_score), grade.max);
  assert.equal(results.tests[1]!.visibility, 'hidden');
  assert.equal(results.tests[0]!.visibility, 'visible');
  const filtered = results.tests[3]!;
  assert.equal(filtered.max_score, 1, 'one scale: its share stays, to grade by hand');
  assert.equal(filtered.score, 0);
  assert.match(filtered.name, /to grade by hand/);
  assert.match(results.output, /^1 \/ 4; to grade by hand: 1 points \(rules: rule of scenario 4 \(1\)\)/);
  assert.match(filtered.output, /password unknown/);
  assert.match(results.tests[2]!.output, /bob <- OK KICK/);
});

test('grade.md: the table, each failure with its rule, step, message and transcript; hidden details withheld', () => {
  const md = buildGradeMarkdown(sample());
  assert.match(md, /\*\*1 \/ 4 points\*\*/);
  assert.match(md, /\*\*To grade by hand: 1 points \(rules: rule of scenario 4 \(1\)\)\*\*/);
  assert.match(md, /\| A \| 1 \/ 3 \| 1 \/ 3 \|/);
  assert.match(md, /\*\*Rule:\*\* rule of scenario 3 \(PROTOCOL\.md §5\.1\)/);
  assert.match(md, /Then bob is refused/);
  assert.match(md, /bob expected ERR NOT_ADMIN/);
  assert.match(md, /bob <- OK KICK/);
  assert.match(md, /Hidden check failed/);
  assert.doesNotMatch(md, /secret detail/);
  assert.match(md, /Filtered out \(1: to grade by hand\)/);
  assert.match(md, /\| B \| 0 \/ 0 \| 0 \/ 1, nothing gradable: all to grade by hand \| 1 filtered out, 1 pt to grade by hand \|/);
});

test('VPL: a Grade line and Comment lines, one per category and failure, hidden ones without details', () => {
  const grade = sample();
  assert.equal(vplGradeLine(grade), 'Grade :=>> 1');
  const comments = vplComments(grade);
  assert.ok(comments.every((c) => c.startsWith('Comment :=>> ') && !c.includes('\n')));
  assert.ok(comments.some((c) => c.includes('FAILED: X › scenario 3')));
  assert.ok(comments.some((c) => c.includes('hidden check')));
  assert.ok(!comments.some((c) => c.includes('secret')));
});

test('class.csv: one row per submission sorted by name, a column per category, fields quoted when needed', () => {
  const csv = buildClassCsv([sample('zed, "z"', false), sample('alice')]);
  const lines = csv.trim().split('\n');
  assert.equal(lines[0], 'submission,state,total,max,rubric_points,to_grade_by_hand,cut_scenarios,cut_points,a,b,passed,failed,not_gradable,filtered,not_run,flaky,manifest,declared_missing,wall_s,by_hand_rules,notes');
  assert.match(lines[1]!, /^alice,complete,1,4,4,1,0,0,1,,1,2,0,1,0,0,,0,1\.5,rule of scenario 4 \(1\),$/);
  assert.match(lines[2]!, /^"zed, ""z""",complete,0,4,4,1,0,0,0,,/);
});

test('class.csv: flaky scenarios, the manifest\'s claims and the failures it declares as not implemented', () => {
  const base = sample('m');
  const grade = {
    ...base,
    manifest: { source: 'chat-conformance.json', implements: ['history', 'nick'] },
    scenarios: base.scenarios.map((s, i) =>
      i === 0 ? { ...s, flaky: { runs: ['passed', 'failed'], counted: 'failed' as const, comparison: '' } } : i === 1 ? { ...s, optional: { feature: 'files', title: 'file transfer', declared: 'not-implemented' as const } } : s,
    ),
  };
  const row = buildClassCsv([grade]).trim().split('\n')[1]!.split(',');
  const header = buildClassCsv([grade]).split('\n')[0]!.split(',');
  const cell = (name: string): string => row[header.indexOf(name)]!;
  assert.equal(cell('flaky'), '1');
  assert.equal(cell('manifest'), 'history;nick');
  assert.equal(cell('declared_missing'), '1');
  assert.equal(buildClassCsv([{ ...base, manifest: { source: 'x', implements: [] } }]).trim().split('\n')[1]!.split(',')[header.indexOf('manifest')], 'none');
});

test('class.html: a matrix row per submission, names escaped, failures clickable with their transcript', () => {
  const html = buildClassHtml([sample('<script>x</script>'), sample('bob')]);
  assert.ok(!html.includes('<script>x</script>'), 'submission names are escaped');
  assert.ok(html.includes('&lt;script&gt;x&lt;/script&gt;'));
  assert.match(html, /class="f" data-d="\d+"/);
  const json = /<script type="application\/json" id="details">(.*?)<\/script>/s.exec(html)![1]!;
  const details = JSON.parse(json) as Array<{ title: string; parts: Array<[string, string]> }>;
  assert.ok(details.some((d) => d.parts.some(([label, text]) => label === 'Transcript (end)' && text.includes('bob <- OK KICK'))));
});

test('merge: one grade per submission, the latest wins and the duplicate is reported', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'merge-'));
  try {
    const older = { ...sample('alice', false), updatedAt: '2026-01-01T00:00:00Z' };
    const newer = { ...sample('alice', true), updatedAt: '2026-01-02T00:00:00Z' };
    for (const [sub, g] of [['s1', older], ['s2', newer], ['s3', sample('bob')]] as const) {
      fs.mkdirSync(path.join(dir, sub));
      fs.writeFileSync(path.join(dir, sub, 'grade.json'), JSON.stringify(g));
    }
    fs.writeFileSync(path.join(dir, 'not-a-grade.json'), '{}');
    const files = ['s1', 's2', 's3'].map((d) => path.join(dir, d, 'grade.json'));
    const merged = mergeGrades(files);
    assert.deepEqual(merged.grades.map((g) => `${g.submission}:${g.total}`).sort(), ['alice:1', 'bob:1']);
    assert.equal(merged.warnings.length, 1);
    assert.match(merged.warnings[0]!, /alice is graded twice/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('shards partition the sorted submissions: each in exactly one of n shards, deterministically', () => {
  const names = Array.from({ length: 23 }, (_, i) => `student${String(i).padStart(2, '0')}`);
  for (const n of [1, 2, 3, 7, 30]) {
    const all = Array.from({ length: n }, (_, i) => shardOf(names, { index: i + 1, count: n })).flat();
    assert.deepEqual(all.sort(), names, `n=${n}`);
  }
  assert.deepEqual(shardOf(names, { index: 2, count: 10 }), ['student01', 'student11', 'student21']);
});

test('a submission folder becomes one shell word; the server runs in it', () => {
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  assert.equal(serverCommandFor('python3 {dir}/server.py {port}', '/c/a b'), `cd '/c/a b' && python3 '/c/a b'/server.py {port}`);
  assert.equal(budgetFor(600), 540);
  assert.equal(budgetFor(30), 25);
  assert.equal(budgetFor(3), 1);
});

test('submissions are the sub-folders (symlinked ones too), hidden folders and files left out, sorted by code point', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'class-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  for (const name of ['bob', 'Alice', '.git', 'alice']) fs.mkdirSync(path.join(dir, name));
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'x');
  fs.symlinkSync(path.join(dir, 'bob'), path.join(dir, 'carol'));
  fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling'));
  assert.deepEqual(listSubmissions(dir), ['Alice', 'alice', 'bob', 'carol']);
});

test('a grader log keeps at most its cap and says how much it dropped', (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'log-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const log = new CappedLog(path.join(dir, 'grader.log'), 10);
  log.write(Buffer.from('0123456'));
  log.write(Buffer.from('789abcdef'));
  assert.equal(log.droppedBytes, 6);
  log.close();
  const text = fs.readFileSync(path.join(dir, 'grader.log'), 'utf8');
  assert.ok(text.startsWith('0123456789\n'));
  assert.match(text, /output cap of 10 bytes reached: 6 more bytes dropped/);
});
