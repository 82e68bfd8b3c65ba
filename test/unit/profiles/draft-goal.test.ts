/**
 * The goal of issue #15: a profile drafted by `npm run profile:draft`, used untouched, grades a server
 * within 2 points (/20) of the grade its hand-written profile gives. Measured on translator fixtures of four
 * dialects (the reference core behind another wording, so both profiles grade the same correct rules):
 * structured tokens (`MSG room 2 alice text`), the seed's free French text, `[COMMAND] JOIN x` without
 * terminators, and IRC-like `:alice PRIVMSG #r :hi`; and a fifth written after the drafter (stars: `*** ` notices
 * glued without line endings, `!!! ` refusals in words the drafter does not know). The draft is made in-process against the fixture; both
 * profiles then grade it with `npm run grade`'s own main, in this process, one grade at a time. A draft that leaves
 * everything out would be "within 2 points" for nothing, so the draft must also grade at least half as many
 * scenarios as the hand-written profile does.
 *
 * Bounded: a tag selection (DRAFT_GOAL_TAGS overrides it; "" is the whole suite, the figures of the report
 * in docs/PROFILES.md). The five drafts run first, together and in this process (the drafter reads answers by
 * their quiet periods: beside ten grading processes on two cores, its fixtures answered late and a draft
 * failed); then the ten grades, each running its scenarios 4 at a time. On a machine also running other
 * test files the fixtures get a long start timeout (start speed is not what this measures), and a grade
 * that is not complete fails with its own notes.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commandInProcess } from '../proof/support/conformance-run.ts';
import { draftProfile } from '../../../harness/draft/draft.ts';
import { parseProfile } from '../../../harness/dialect/load-profile.ts';
import type { Grade } from '../../../grading/score.ts';
import { startDialectServer, type Translator } from '../../fixtures/dialect-servers/support/dialect-server.ts';
import { tokensTranslator } from '../../fixtures/dialect-servers/tokens-translator.ts';
import { seedTranslator } from '../../fixtures/dialect-servers/seed-translator.ts';
import { bracketTranslator } from '../../fixtures/dialect-servers/bracket-translator.ts';
import { ircTranslator } from '../../fixtures/dialect-servers/irc-translator.ts';
import { starsTranslator } from '../../fixtures/dialect-servers/stars-translator.ts';
import { fixtureCommand } from '../../support/fixture-command.ts';

const TAGS = process.env.DRAFT_GOAL_TAGS ?? '@who or @leave';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'draft-goal-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Dialect {
  name: string;
  translator: () => Translator;
}

const DIALECTS: Dialect[] = [
  { name: 'tokens', translator: tokensTranslator },
  { name: 'seed', translator: () => seedTranslator() },
  { name: 'bracket', translator: bracketTranslator },
  { name: 'irc', translator: ircTranslator },
  // Written after the drafter, to check it on a dialect it was not tuned on (its hand profile: profiles/stars.json).
  { name: 'stars', translator: starsTranslator },
];

/** The grade on the /20 scale, and how many scenarios counted. */
async function grade(fixture: string, profile: string, label: string): Promise<{ on20: number; counted: number; grade: Grade }> {
  const reports = path.join(dir, label);
  const run = await commandInProcess(
    'grade',
    ['--server', fixtureCommand(`test/fixtures/dialect-servers/${fixture}.ts`, '{port}'), '--no-sandbox', '--profile', profile, '--tags', TAGS, '--timeout', '2000', '--quiet-ms', '250', '--start-timeout', '60000', '--parallel', '4', '--reports', reports],
    900_000,
  );
  const file = path.join(reports, 'grade.json');
  assert.ok(fs.existsSync(file), `${label}: no grade.json\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`);
  const g = JSON.parse(fs.readFileSync(file, 'utf8')) as Grade;
  // A grade that is not complete (the fixture did not start, say) compares nothing: say why, not "2 points apart".
  assert.equal(g.state, 'complete', `${label}: the grade is ${g.state}: ${g.notes.join('; ')}`);
  return { on20: g.max > 0 ? (g.total / g.max) * 20 : 0, counted: g.counts.passed + g.counts.failed, grade: g };
}

/** The draft of `dialect`'s fixture, written to a file, and how long it took. */
async function draft(dialect: Dialect): Promise<{ file: string; draftMs: number }> {
  const server = await startDialectServer(dialect.translator());
  const started = Date.now();
  let text: string;
  try {
    const { profile } = await draftProfile({ host: '127.0.0.1', port: server.port, quietMs: 200, maxWaitMs: 2000, name: `draft-${dialect.name}` });
    text = `${JSON.stringify(profile, null, 2)}\n`;
  } finally {
    await server.close();
  }
  const draftMs = Date.now() - started;
  const file = path.join(dir, `draft-${dialect.name}.json`);
  parseProfile(text, file); // the draft is a valid profile
  fs.writeFileSync(file, text);
  return { file, draftMs };
}

async function measure(dialect: Dialect, { file, draftMs }: { file: string; draftMs: number }): Promise<{ line: string; problems: string[] }> {
  const [hand, drafted] = await Promise.all([grade(dialect.name, dialect.name, `hand-${dialect.name}`), grade(dialect.name, file, `draft-${dialect.name}`)]);
  const line =
    `${dialect.name}: hand ${hand.on20.toFixed(2)}/20 (${hand.counted} counted, ${hand.grade.counts.failed} failed), ` +
    `draft ${drafted.on20.toFixed(2)}/20 (${drafted.counted} counted, ${drafted.grade.counts.failed} failed), ` +
    `difference ${Math.abs(hand.on20 - drafted.on20).toFixed(2)}; draft made in ${(draftMs / 1000).toFixed(1)} s`;
  // Each failure, with either profile, named with its message: a failure here is either a drafting gap or the
  // fixture's fault, and either is something to read, not a bare difference in points.
  const failures = (g: Grade): string[] => g.scenarios.filter((s) => s.status === 'failed').map((s) => `    ${s.key} ${s.name} (at "${s.failingStep ?? '?'}"): ${(s.message ?? '').split('\n').slice(0, 3).join(' | ')}`);
  const failedByHand = failures(hand.grade);
  const failedByDraft = failures(drafted.grade);
  const problems = [
    Math.abs(hand.on20 - drafted.on20) > 2 ? 'more than 2 points apart' : '',
    drafted.counted * 2 < hand.counted ? 'the draft grades too few scenarios to compare' : '',
  ].filter(Boolean);
  const listed = [
    failedByHand.length ? `\n  failed with the hand-written profile:\n${failedByHand.join('\n')}` : '',
    failedByDraft.length ? `\n  failed with the draft:\n${failedByDraft.join('\n')}` : '',
  ].join('');
  return { line: `${line}${listed}`, problems };
}

test(`a drafted profile grades within 2 points /20 of the hand-written one (tags: ${TAGS || 'all'})`, { timeout: 1_800_000 }, async (t) => {
  const drafts = await Promise.all(DIALECTS.map(draft));
  const results = await Promise.all(DIALECTS.map((dialect, i) => measure(dialect, drafts[i]!)));
  const report = results.map((r) => r.line).join('\n');
  t.diagnostic(report);
  assert.deepEqual(results.flatMap((r) => r.problems), [], report);
});
