import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildJunitXml, xmlEscape } from '../../../harness/reports/junit.ts';
import { buildRunModel } from '../../../harness/reports/run-model.ts';
import { syntheticStream } from './synthetic-stream.ts';

const model = buildRunModel(
  syntheticStream('Framing & bytes', 'features/framing.feature', [
    { name: 'Split line', steps: [{ text: 'a', status: 'PASSED' }], attachments: [{ body: 'transcript of a passing scenario' }] },
    {
      name: 'Bad <encoding>',
      steps: [{ text: 'alice sends a NUL byte', status: 'FAILED', message: 'expected ERR BAD_ENCODING\nlast received lines:\nS: MSG "x"' }],
      attachments: [{ body: 'TCP transcript\nC: a\u0000b\nS: MSG #r alice a\u0000b' }, { body: 'target crashed: killed by signal SIGSEGV', fileName: 'target crash' }],
    },
    { name: 'Needs codes', steps: [{ text: 'x', status: 'PENDING' }], attachments: [{ body: 'not gradable: no error codes' }] },
  ]),
);

test('xmlEscape escapes markup and shows characters XML cannot carry', () => {
  assert.equal(xmlEscape('a<b>&"c"'), 'a&lt;b&gt;&amp;&quot;c&quot;');
  assert.equal(xmlEscape('nul\u0000 esc\u001b'), 'nul\\x00 esc\\x1b');
  assert.equal(xmlEscape('tab\tnl\n'), 'tab\tnl\n');
});

test('JUnit: one suite per feature, failure with step and message, transcript and crash in system-out', () => {
  const xml = buildJunitXml(model, { wallMs: 1234 });
  assert.match(xml, /<testsuites name="chat-conformance" tests="3" failures="1" errors="0" skipped="1" time="1.234">/);
  assert.match(xml, /<testsuite name="Framing &amp; bytes" tests="3" failures="1" errors="0" skipped="1"/);
  assert.match(xml, /<testcase classname="Framing &amp; bytes" name="Bad &lt;encoding&gt;"/);
  assert.match(xml, /<failure message="expected ERR BAD_ENCODING" type="failed step">Step: Given alice sends a NUL byte\n\nexpected ERR BAD_ENCODING\nlast received lines:/);
  assert.match(xml, /<system-out>--- text\/plain ---\nTCP transcript\nC: a\\x00b\nS: MSG #r alice a\\x00b\n--- target crash ---\ntarget crashed: killed by signal SIGSEGV<\/system-out>/);
  assert.match(xml, /<skipped message="not gradable: no error codes"\/>/);
  assert.doesNotMatch(xml, /transcript of a passing scenario/);
  assert.doesNotMatch(xml, /\u0000/);
});
