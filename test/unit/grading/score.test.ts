import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRubric } from '../../../grading/rubric.ts';
import { computeGrade, studentMessage, type GradeInput } from '../../../grading/score.ts';
import { UNFINISHED_NOTE, type ScenarioResult } from '../../../harness/reports/run-model.ts';
import type { ScenarioInfo } from '../../../grading/scenarios.ts';
import { info, result } from './helpers.ts';

const rubric = compileRubric(
  {
    title: 'test',
    categories: [
      { id: 'a', title: 'A', points: 4, tags: '@a' },
      { id: 'b', title: 'B', points: 2, tags: '@b', allOrNothing: true },
      { id: 'c', title: 'C', points: 3, tags: '@c' },
    ],
  },
  'test.json',
);

function grade(selected: ScenarioInfo[], results: ScenarioResult[], filtered: Array<[string, string]> = []): ReturnType<typeof computeGrade> {
  const input: GradeInput = {
    rubric,
    selected,
    filtered: new Map(filtered),
    results: new Map(results.map((r) => [`${r.uri}:${r.line}`, r])),
    notRunReason: 'not run yet',
    meta: { target: 't', profile: 'canonical', state: 'complete', notes: [], startedAt: '2026-01-01T00:00:00Z', wallMs: 1 },
  };
  return computeGrade(input);
}

test('a category scores its passed share of its points; failed and not-run scenarios earn nothing', () => {
  const a = [info(1, ['@a']), info(2, ['@a']), info(3, ['@a']), info(4, ['@a'])];
  const g = grade(a, [result(a[0]!, 'passed'), result(a[1]!, 'passed'), result(a[2]!, 'failed')]);
  const cat = g.categories.find((c) => c.id === 'a')!;
  assert.equal(cat.score, 2, '2 of 4 counted passed: half of 4 points');
  assert.equal(cat.max, 4);
  assert.equal(cat.notRun, 1);
  assert.equal(g.scenarios.find((s) => s.line === 4)!.reason, 'not run yet');
  assert.deepEqual(g.scenarios.map((s) => s.points), [1, 1, 0, 0]);
});

test('@points:N weighs a scenario inside its category', () => {
  const a = [info(1, ['@a', '@points:3']), info(2, ['@a'])];
  const g = grade(a, [result(a[0]!, 'passed'), result(a[1]!, 'failed')]);
  assert.equal(g.categories[0]!.score, 3, '3 of 4 weight passed: 3/4 of 4 points');
  assert.equal(g.scenarios[0]!.maxPoints, 3);
});

test('one scale: not-gradable and filtered scenarios keep their share, earn nothing, and are listed to grade by hand', () => {
  const a = [info(1, ['@a']), info(2, ['@a']), info(3, ['@a', '@pristine'])];
  const g = grade(a, [result(a[0]!, 'passed'), result(a[1]!, 'not-gradable', { notGradableReason: 'not gradable: profile' })], [[a[2]!.key, '@pristine: shared target']]);
  const cat = g.categories[0]!;
  assert.equal(cat.score, 1.3333, "a third of 4: the passed scenario's share, never the whole category");
  assert.equal(cat.max, 4);
  assert.equal(cat.handPoints, 2.6667);
  assert.equal(cat.notGradable, 1);
  assert.equal(cat.filtered, 1);
  assert.equal(g.scenarios[1]!.reason, 'not gradable: profile');
  assert.equal(g.scenarios[2]!.status, 'filtered');
  assert.equal(g.scenarios[2]!.maxPoints, 1.3333);
  assert.equal(g.toGradeByHand.points, 2.6667);
  assert.deepEqual(g.toGradeByHand.rules.map((r) => [r.rule, r.points, r.why]), [
    ['rule of scenario 2', 1.3333, 'not gradable: profile'],
    ['rule of scenario 3', 1.3333, '@pristine: shared target'],
  ]);
});

test('all-or-nothing: full points only when every counted scenario passed', () => {
  const b = [info(1, ['@b']), info(2, ['@b'])];
  assert.equal(grade(b, [result(b[0]!, 'passed'), result(b[1]!, 'failed')]).categories[1]!.score, 0);
  const all = grade(b, [result(b[0]!, 'passed'), result(b[1]!, 'passed')]);
  assert.equal(all.categories[1]!.score, 2);
  assert.deepEqual(all.scenarios.map((s) => s.points), [1, 1]);
});

test('a category with nothing gradable keeps its points on the scale, all to grade by hand; one with nothing selected leaves it', () => {
  const c = [info(1, ['@c'])];
  const g = grade([info(2, ['@a']), ...c], [result(c[0]!, 'not-gradable')]);
  const cat = g.categories.find((x) => x.id === 'c')!;
  assert.equal(cat.graded, false);
  assert.equal(cat.max, 3);
  assert.equal(cat.handPoints, 3);
  assert.equal(g.max, 7, 'a (4) and c (3) are on the scale; b has no selected scenario');
  assert.equal(g.rubricPoints, 9);
  assert.equal(g.toGradeByHand.points, 3);
});

test('the budget cut: cut scenarios are neither failed nor passed, counted apart, and the run state says cut', () => {
  const a = [info(1, ['@a']), info(2, ['@a'])];
  const g = grade(a, [result(a[0]!, 'passed'), result(a[1]!, 'skipped', { attachments: [{ mediaType: 'text/plain', text: 'cut by the budget: the time budget ran out (0 s left, a scenario may need 7 s)' }] })]);
  assert.equal(g.scenarios[1]!.status, 'cut');
  assert.equal(g.scenarios[1]!.reason, 'the time budget ran out (0 s left, a scenario may need 7 s)');
  assert.equal(g.state, 'cut');
  assert.deepEqual(g.cut, { scenarios: 1, points: 2 });
  assert.equal(g.categories[0]!.cut, 1);
  assert.equal(g.categories[0]!.failed, 0);
  assert.equal(g.total, 2);
  assert.equal(g.max, 4);
});

test('a crash on disconnect is charged once, to the first @disconnect scenario that passed; never when one already failed', () => {
  const a = [info(1, ['@a']), info(2, ['@a', '@disconnect']), info(3, ['@a', '@disconnect'])];
  const finding = { mediaType: 'text/plain', text: 'crash on disconnect: the server died when ...\ntarget crashed: exited with code 1' };
  const charged = grade(a, [result(a[0]!, 'passed', { attachments: [finding] }), result(a[1]!, 'passed', { attachments: [finding] }), result(a[2]!, 'passed')]);
  assert.deepEqual(charged.scenarios.map((s) => s.status), ['passed', 'failed', 'passed']);
  assert.match(charged.scenarios[1]!.message!, /died 2 time\(s\) when the harness closed/);
  assert.match(charged.scenarios[1]!.transcript!, /^target crashed: exited with code 1/);
  assert.equal(charged.disconnectCrashes.length, 2);
  const already = grade(a, [result(a[0]!, 'passed', { attachments: [finding] }), result(a[1]!, 'failed'), result(a[2]!, 'passed')]);
  assert.deepEqual(already.scenarios.map((s) => s.status), ['passed', 'failed', 'passed'], 'charged already');
  const none = grade([a[0]!], [result(a[0]!, 'passed', { attachments: [finding] })]);
  assert.equal(none.scenarios[0]!.status, 'passed');
  assert.match(none.notes.join('\n'), /no @disconnect rule was selected/);
});

test('the first matching category takes a scenario; scenarios no category matches are not graded', () => {
  const s = [info(1, ['@a', '@c']), info(2, ['@z'])];
  const g = grade(s, [result(s[0]!, 'passed')]);
  assert.deepEqual(g.scenarios.map((x) => x.category), ['a']);
});

test('a failure keeps the step, the message without stack, and the end of the transcript', () => {
  const a = [info(1, ['@a'])];
  const transcript = Array.from({ length: 50 }, (_, i) => `+0.00${i}s alice <- line ${i}`).join('\n');
  const g = grade(a, [
    result(a[0]!, 'failed', {
      failingStep: { text: 'Then alice is welcomed', message: 'AssertionError [ERR_ASSERTION]: alice expected OK\n    + expected - actual\n\n    -false\n    +true\n\n    at x (y.ts:1:1)' },
      attachments: [{ mediaType: 'text/plain', text: `TCP transcript\n${transcript}` }, { mediaType: 'text/plain', text: 'target crashed: exited with code 1' }],
    }),
  ]);
  const s = g.scenarios[0]!;
  assert.equal(s.failingStep, 'Then alice is welcomed');
  assert.equal(s.message, 'alice expected OK');
  assert.match(s.transcript!, /line 49/);
  assert.doesNotMatch(s.transcript!, /line 3\n/, 'only the end of a long transcript');
  assert.match(s.transcript!, /target crashed: exited with code 1/);
});

test('a scenario skipped by the budget hook is not run, with the hook\'s reason', () => {
  const a = [info(1, ['@a'])];
  const g = grade(a, [result(a[0]!, 'skipped', { attachments: [{ mediaType: 'text/plain', text: 'not run: the time budget ran out (0 s left)' }] })]);
  assert.equal(g.scenarios[0]!.status, 'not-run');
  assert.equal(g.scenarios[0]!.reason, 'the time budget ran out (0 s left)');
  assert.equal(g.categories[0]!.score, 0);
  assert.equal(g.categories[0]!.max, 4);
});

test('a scenario the run was stopped in the middle of (time limit, interrupt) is not run, never failed', () => {
  const a = [info(1, ['@a'])];
  const g = grade(a, [result(a[0]!, 'skipped', { attachments: [{ mediaType: 'text/plain', text: UNFINISHED_NOTE }] })]);
  assert.equal(g.scenarios[0]!.status, 'not-run');
  assert.match(g.scenarios[0]!.reason!, /stopped .* before this scenario finished/);
  assert.equal(g.counts.failed, 0);
});

test('studentMessage keeps what was expected and received, drops the stack', () => {
  assert.equal(studentMessage('AssertionError: bob expected X\nlast lines:\n  <- OK\n    at f (a.ts:1:1)\n    at g'), 'bob expected X\nlast lines:\n  <- OK');
  assert.equal(studentMessage('plain error'), 'plain error');
});

test('a core share: the @core scenarios of a category carry that share of its points', () => {
  const shared = compileRubric({ title: 't', coreShare: 0.6, categories: [{ id: 'a', title: 'A', points: 2, tags: '@a' }] }, 'r.json');
  const a = [info(1, ['@a', '@core']), info(2, ['@a']), info(3, ['@a']), info(4, ['@a'])];
  const results = new Map([result(a[0]!, 'passed'), result(a[1]!, 'failed'), result(a[2]!, 'failed'), result(a[3]!, 'failed')].map((r) => [`${r.uri}:${r.line}`, r]));
  const meta = { target: 't', profile: 'canonical', state: 'complete' as const, notes: [], startedAt: '2026-01-01T00:00:00Z', wallMs: 1 };
  const g = computeGrade({ rubric: shared, selected: a, filtered: new Map(), results, notRunReason: '', meta });
  assert.equal(g.categories[0]!.score, 1.2, 'the main effect works: 60 % of the category');
  assert.deepEqual(g.scenarios.map((s) => s.maxPoints), [1.2, 0.2667, 0.2667, 0.2667]);
});

test('a course variant: excused by default, counted as failed by a rubric that deducts it; the grade lists the declared variants', () => {
  const a = [info(1, ['@a']), info(2, ['@a']), info(3, ['@a'])];
  const variantNote = { mediaType: 'text/plain', text: 'variant: bye=leave-first: alice left #room before saying goodbye' };
  const results = [
    result(a[0]!, 'passed', { attachments: [variantNote] }),
    result(a[1]!, 'not-gradable', { notGradableReason: 'not gradable: names', attachments: [{ mediaType: 'text/plain', text: 'variant: names: grammar not graded' }] }),
    result(a[2]!, 'passed'),
  ];
  const meta = { target: 't', profile: 'p', state: 'complete' as const, notes: [], startedAt: '2026-01-01T00:00:00Z', wallMs: 1, variants: ['bye=leave-first: ...'] };
  const run = (variants: 'excuse' | 'deduct') =>
    computeGrade({
      rubric: compileRubric({ title: 't', variants, categories: [{ id: 'a', title: 'A', points: 3, tags: '@a' }] }, 'r.json'),
      selected: a,
      filtered: new Map(),
      results: new Map(results.map((r) => [`${r.uri}:${r.line}`, r])),
      notRunReason: '',
      meta,
    });
  const excused = run('excuse');
  assert.equal(excused.categories[0]!.score, 3, 'the adapted scenario passed, the excused one is not counted');
  assert.deepEqual(excused.scenarios.map((s) => s.status), ['passed', 'not-gradable', 'passed']);
  assert.deepEqual(excused.scenarios[0]!.variants, ['bye=leave-first: alice left #room before saying goodbye']);
  assert.deepEqual(excused.variants, ['bye=leave-first: ...']);
  const strict = run('deduct');
  assert.deepEqual(strict.scenarios.map((s) => s.status), ['failed', 'failed', 'passed']);
  assert.equal(strict.categories[0]!.score, 1);
  assert.match(strict.scenarios[0]!.message ?? '', /graded strictly/);
});
