/**
 * Names and notes that come from a submission are hostile text: a folder named like a spreadsheet formula,
 * an HTML tag or an ANSI escape must reach class.csv, grade.md and the terminal as inert text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, markdownText, printable } from '../../../grading/outputs/safe-text.ts';
import { buildClassCsv } from '../../../grading/class-report.ts';
import { buildGradeMarkdown } from '../../../grading/outputs/grade-md.ts';
import { vplComments } from '../../../grading/outputs/vpl.ts';
import { compileRubric } from '../../../grading/rubric.ts';
import { computeGrade } from '../../../grading/score.ts';
import { info } from './helpers.ts';

test('CSV: a text cell starting with = + - @ tab or CR is neutralised; numbers and plain text are untouched', () => {
  for (const start of ['=', '+', '-', '@', '\t', '\r']) {
    const cell = csvField(`${start}HYPERLINK("http://x","y")`);
    assert.ok(cell.startsWith(`'`) || cell.startsWith(`"'`), `${JSON.stringify(start)} -> ${cell}`);
    assert.ok(!/[\t\r]/.test(cell), 'tab and CR shown as escapes');
  }
  assert.equal(csvField('alice'), 'alice');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField(3.5), '3.5');
  assert.equal(csvField('x=1'), 'x=1', 'only the first character matters');
});

test('terminal: control characters, ANSI escapes and bidi overrides are shown as escapes, on one line', () => {
  assert.equal(printable('a\u001b[31mred\u001b[0m'), 'a\\x1b[31mred\\x1b[0m');
  assert.equal(printable('x\ny\rz\tw'), 'x\\ny\\rz\\tw');
  assert.equal(printable('evil\u202etxt.exe'), 'evil\\u202etxt.exe');
  assert.equal(printable('\u009b2J'), '\\x9b2J', 'the one-byte CSI of C1');
  assert.equal(printable('café-été_1'), 'café-été_1', 'ordinary letters stay');
});

test('Markdown: HTML, links and emphasis in a name are escaped; dashes and dots stay readable', () => {
  assert.equal(markdownText('d-<img src=x onerror=alert(1)>'), 'd-\\<img src=x onerror=alert\\(1\\)\\>');
  assert.equal(markdownText('[click](http://x)'), '\\[click\\]\\(http://x\\)');
  assert.equal(markdownText('missing-v1.2'), 'missing-v1.2');
  assert.equal(markdownText('a\u001b[2Jb'), 'a\\\\x1b\\[2Jb');
});

const rubric = compileRubric({ title: 'T', hiddenVisibility: 'hidden', categories: [{ id: 'a', title: 'A', points: 1, tags: '@a' }] }, 't.json');

function gradeOf(submission: string, note: string) {
  return computeGrade({
    rubric,
    selected: [info(1, ['@a'])],
    filtered: new Map(),
    results: new Map(),
    notRunReason: 'not run',
    meta: { submission, target: 't', profile: 'canonical', state: 'server-did-not-start', notes: [note], startedAt: '2026-01-01T00:00:00Z', wallMs: 1 },
  });
}

test('the reports built from a hostile submission name and server output carry them inert', () => {
  const grade = gradeOf('=HYPERLINK("http://evil","x")<img src=x onerror=alert(1)>\u001b[2J', 'last stderr lines: <script>alert(1)</script>\u001b]0;pwned\u0007');
  const csv = buildClassCsv([grade]);
  const row = csv.trim().split('\n')[1]!;
  assert.ok(row.startsWith(`"'=HYPERLINK`), `no live formula: ${row}`);
  assert.ok(!csv.includes('\u001b'), 'no raw escape in the CSV');
  const md = buildGradeMarkdown(grade);
  assert.ok(!/(^|[^\\])<(img|script)/m.test(md), 'no raw HTML in grade.md (every < escaped)');
  assert.ok(!md.includes('\u001b') && !md.includes('\u0007'), 'no control character in grade.md');
  assert.match(md.split('\n')[0]!, /^# Grade: =HYPERLINK\\\(/);
  for (const line of vplComments(grade)) assert.ok(!/[\u0000-\u001f]/.test(line), `VPL comment without controls: ${JSON.stringify(line)}`);
});
