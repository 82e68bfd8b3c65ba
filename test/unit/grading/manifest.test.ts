/**
 * The feature manifest (chat-conformance.json): read without ever failing the grader, and a grade that
 * separates "not implemented, declared" from "claimed but broken"; end to end against a server without the
 * extensions whose manifest claims /HISTORY only.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OPTIONAL_FEATURES, optionalFeatureOf, readManifest } from '../../../grading/manifest.ts';
import { compileRubric } from '../../../grading/rubric.ts';
import { computeGrade, type Grade } from '../../../grading/score.ts';
import { buildGradeMarkdown } from '../../../grading/outputs/grade-md.ts';
import { buildClassHtml } from '../../../grading/class-report.ts';
import { info, result } from './helpers.ts';
import { commandInProcess, PROJECT_ROOT } from '../proof/support/conformance-run.ts';
import { fixtureCommand } from '../../support/fixture-command.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, text: string): string => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
};

test('manifest.schema.json names exactly the optional features the grader knows (one list, checked)', () => {
  // The schema is what a student's editor validates against; a feature added to OPTIONAL_FEATURES but not
  // to the schema would make a correct manifest look wrong there (and the reverse, a claim the grader ignores).
  const schema = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'grading', 'manifest.schema.json'), 'utf8')) as {
    properties: { implements: { items: { enum: string[] } } };
  };
  assert.deepEqual([...schema.properties.implements.items.enum].sort(), OPTIONAL_FEATURES.map((f) => f.id).sort());
});

test('reading: none, a valid one, and bad ones said in words (never a throw)', () => {
  assert.deepEqual(readManifest(path.join(tmp, 'absent.json')), {});
  assert.deepEqual(readManifest(write('ok.json', '{"implements":["history","kill"]}')).manifest?.implements, ['history', 'kill']);
  assert.match(readManifest(write('bad.json', '{implements')).problem ?? '', /not valid JSON/);
  assert.match(readManifest(write('unknown.json', '{"implements":["teleport"]}')).problem ?? '', /ignored: .*known features: console, file-transfer, history, kill, ban, oper/);
  assert.match(readManifest(tmp).problem ?? '', /not a file/);
});

test('which optional feature a scenario belongs to', () => {
  assert.equal(optionalFeatureOf(['@bonus', '@console', '@kill'])?.id, 'console');
  assert.equal(optionalFeatureOf(['@bonus', '@kill'])?.id, 'kill');
  assert.equal(optionalFeatureOf(['@extension', '@send', '@data'])?.id, 'file-transfer');
  assert.equal(optionalFeatureOf(['@extension', '@history'])?.id, 'history');
  assert.equal(optionalFeatureOf(['@v0', '@kick']), undefined, 'the core protocol is never optional');
  assert.equal(optionalFeatureOf(['@errors', '@syntax', '@extension'], '"/HISTORY 5 now" is a syntax error')?.id, 'history', 'by the command its name cites');
  assert.equal(optionalFeatureOf(['@help', '@extension'], 'The help names the file transfer and history commands')?.id, 'file-transfer');
  assert.equal(optionalFeatureOf(['@register', '@bonus'], '/GLOBAL hi is refused before registration')?.id, 'oper');
});

test('a grade with a manifest: same points, failures split into claimed-but-broken and declared not implemented', () => {
  const rubric = compileRubric({ title: 't', categories: [{ id: 'x', title: 'X', points: 3, tags: '@extension or @v0' }] }, 't.json');
  const scenarios = [info(1, ['@extension', '@history']), info(2, ['@extension', '@send']), info(3, ['@v0', '@kick'])];
  const grade = (withManifest: boolean): Grade =>
    computeGrade({
      rubric,
      selected: scenarios,
      filtered: new Map(),
      results: new Map(scenarios.map((s) => [s.key, result(s, 'failed', { failingStep: { text: 'Then it works', message: 'it did not' } })])),
      notRunReason: 'not run',
      ...(withManifest ? { manifest: { source: 'chat-conformance.json', implements: ['history' as const] } } : {}),
      meta: { target: 't', profile: 'canonical', state: 'complete', notes: [], startedAt: '2026-01-01T00:00:00Z', wallMs: 1 },
    });
  const plain = grade(false);
  const declared = grade(true);
  assert.equal(declared.total, plain.total, 'a manifest changes no point');
  assert.deepEqual(declared.scenarios.map((s) => s.optional?.declared), ['implemented', 'not-implemented', undefined]);
  assert.equal(plain.scenarios[0]!.optional, undefined);
  const md = buildGradeMarkdown(declared);
  assert.match(md, /Manifest \(`chat-conformance.json`\): implements `history`/);
  assert.match(md, /## What to fix \(2 failed, 1 of them in optional features chat-conformance.json claims: claimed but broken\)/);
  assert.match(md, /### X › scenario 1 \(claimed in chat-conformance.json: broken\)/);
  assert.match(md, /## Not implemented, as declared in chat-conformance.json \(1 failed, earning nothing\)\n\n- \/SEND, \/DATA and \/RECV \(file transfer\): 1 scenario\(s\)/);
  assert.doesNotMatch(md, /### X › scenario 2/, 'a declared missing feature is not listed as a bug to fix');
  assert.match(buildGradeMarkdown(plain), /## What to fix \(3 failed\)/);
  assert.match(buildClassHtml([{ ...declared, submission: 's' }]), /<td class="d" data-d="\d+" title="not implemented \(declared in chat-conformance.json\)">∅<\/td>/);
});

test('end to end: a server without the extensions, whose manifest claims /HISTORY only', { timeout: 180_000 }, async () => {
  const reports = path.join(tmp, 'reports');
  const run = await commandInProcess(
    'grade',
    [
      '--server', fixtureCommand('test/fixtures/broken-servers/no-extensions.ts', '{port}'),
      '--rubric', 'strict',
      // Both extensions' @course scenarios: 18 of the 74 @extension ones, each feature with failures to sort.
      // Against this server nearly every one fails, and after each failure the harness waits 200 ms for a
      // crash that might explain it: the 74 took 19 s of the file's 23 s alone, 15 s of it in those waits.
      '--tags', '@extension and @course',
      '--timeout', '1000',
      '--manifest', 'test/fixtures/manifests/claims-history/chat-conformance.json',
      '--reports', reports,
      '--no-sandbox', // the project's own fixture server
    ],
    170_000,
  );
  assert.equal(run.exitCode, 1, `${run.stdout}\n${run.stderr}`);
  const grade = JSON.parse(fs.readFileSync(path.join(reports, 'grade.json'), 'utf8')) as Grade;
  assert.deepEqual(grade.manifest?.implements, ['history']);
  const failed = grade.scenarios.filter((s) => s.status === 'failed');
  const history = failed.filter((s) => s.optional?.feature === 'history');
  const files = failed.filter((s) => s.optional?.feature !== 'history');
  assert.ok(history.length > 0 && files.length > 0, `both features fail: ${history.length} history, ${files.length} file transfer`);
  assert.ok(history.every((s) => s.optional?.declared === 'implemented'), 'the claimed feature is claimed but broken');
  assert.ok(files.every((s) => s.optional?.declared === 'not-implemented' && s.optional.feature === 'file-transfer'), 'the other is declared not implemented');
  const md = fs.readFileSync(path.join(reports, 'grade.md'), 'utf8');
  assert.match(md, new RegExp(`## Not implemented, as declared in chat-conformance.json \\(${files.length} failed`));
  assert.match(md, /\(claimed in chat-conformance.json: broken\)/);
});
