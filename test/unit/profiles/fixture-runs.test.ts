/**
 * Each shipped profile graded against a fixture server that speaks its dialect (issue #4, item 6). The
 * fixtures are the reference core behind a translator (test/fixtures/dialect-servers/), so they follow
 * every rule of PROTOCOL.md and only SAY things differently: through the right profile, every selected
 * scenario must pass or be "not gradable" exactly where the dialect cannot express it, with no failure.
 * A wrong-rule variant shows a real fault is still caught through a free-text, newline-less profile.
 * The conformance CLI runs as a child process, as a grader would run it; selections are small tag
 * sets so the unit suite stays fast (runs without a barrier wait a quiet period per silent command).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { namesWithOutcome, removeReports, runConformanceCli, tsxCommand, type ConformanceRun } from '../proof/support/conformance-run.ts';

const FIXTURES = 'test/fixtures/dialect-servers';
const runs: ConformanceRun[] = [];
after(async () => {
  for (const run of runs) await removeReports(run);
});

async function grade(server: string, tags: string, extraArgs: string[]): Promise<ConformanceRun> {
  const run = await runConformanceCli({ server, tags, extraArgs: ['--timeout', '3000', ...extraArgs], deadlineMs: 170_000 });
  runs.push(run);
  assert.equal(run.timedOut, false, 'the run ended by itself');
  return run;
}

/** Failure messages of failed scenarios, so a broken expectation says why. */
function failures(run: ConformanceRun): string {
  return run.scenarios
    .filter((s) => s.outcome === 'failed')
    .map((s) => `${s.uri}: ${s.name}\n${JSON.stringify(s).slice(0, 1500)}`)
    .join('\n\n') || run.stderr;
}

const ch = (name: string) => `features/channel-messages.feature: ${name}`;
const leave = (name: string) => `features/leave.feature: ${name}`;
const kick = (name: string) => `features/kick.feature: ${name}`;
const priv = (name: string) => `features/private-messages.feature: ${name}`;
const who = (name: string) => `features/who.feature: ${name}`;

/** The @say scenarios the seed dialect can express: channel-less, newline-less, silent on success. */
const SEED_SAY_PASSED = [
  ch('A message in a channel that is not current still arrives, labelled'),
  ch('Saying something in the lobby is refused'),
  ch('The sender gets no copy of their own message'),
  ch('The text arrives as typed, inner spaces and accents included'),
  ch('Users outside the channel do not receive it'),
];
const SEED_SAY_NOT_GRADABLE = [
  ch('A line starting with // sends a message starting with /'), // raw wire
  ch('A tab inside a message is kept'), // raw wire
  ch('Every other member receives the message with its channel and sender'), // the join reply names no channel
  ch('Leading and trailing spaces are not part of the text'), // raw wire
];

describe('the seed profile against the seed fixture (French free text, glued, no newline, no barrier)', () => {
  it('passes or is not gradable exactly where expected, with no failure', async () => {
    const run = await grade(`node --import tsx ${FIXTURES}/seed.ts {port}`, '@say or @leave', ['--profile', 'seed', '--quiet-ms', '200']);
    assert.deepEqual(namesWithOutcome(run, 'failed'), [], failures(run));
    assert.equal(run.exitCode, 0, run.stderr);
    assert.deepEqual(namesWithOutcome(run, 'passed'), [
      ...SEED_SAY_PASSED,
      leave("A user who left no longer receives the channel's messages"),
      leave('Leaving from the lobby is refused'),
      leave('Leaving the current channel does not select another one'),
      leave('The leaver gets no event of their own leave'),
      leave('When a plain member leaves, the owner does not change'),
    ]);
    assert.deepEqual(namesWithOutcome(run, 'not-gradable'), [
      ...SEED_SAY_NOT_GRADABLE,
      leave('Ownership passes to the next member in join order'), // WHO names no channel
      leave('The last member leaving removes the channel, and its name creates a new one'), // the join reply names no channel
      leave('The members see a user leave, and the user is in the lobby'), // the leave reply names no channel
    ]);
  });

  it('still detects a broken rule: a seed server that echoes messages to their sender fails that scenario only', async () => {
    const run = await grade(`node --import tsx ${FIXTURES}/seed-echo-to-sender.ts {port}`, '@say', ['--profile', 'seed', '--quiet-ms', '200']);
    assert.equal(run.exitCode, 1, run.stderr);
    assert.deepEqual(namesWithOutcome(run, 'failed'), [ch('The sender gets no copy of their own message')]);
    assert.deepEqual(namesWithOutcome(run, 'passed'), SEED_SAY_PASSED.filter((name) => !name.includes('no copy')));
    assert.deepEqual(namesWithOutcome(run, 'not-gradable'), SEED_SAY_NOT_GRADABLE);
  });
});

describe('the seed-client profile in client-driven mode (--client: a client.py-like program per user)', () => {
  it('grades the seed fixture through the fixture client, and every client process is gone afterwards', async () => {
    const marker = `dialect-client-test-${process.pid}`;
    const client = `node ${FIXTURES}/seed-client.mjs {host} {port} ${marker}`;
    const run = await grade(`node --import tsx ${FIXTURES}/seed.ts {port}`, '@say', ['--profile', 'seed-client', '--client', client, '--quiet-ms', '200']);
    assert.deepEqual(namesWithOutcome(run, 'failed'), [], failures(run));
    assert.equal(run.exitCode, 0, run.stderr);
    assert.deepEqual(namesWithOutcome(run, 'passed'), SEED_SAY_PASSED);
    assert.deepEqual(namesWithOutcome(run, 'not-gradable'), SEED_SAY_NOT_GRADABLE);
    assert.deepEqual(processesWith(marker), [], 'no client process outlives the run');
  });
});

describe('the lenient profile against the lenient fixture (canonical commands, free English replies in colour)', () => {
  it('passes or is not gradable exactly where expected, with no failure', async () => {
    const run = await grade(`node --import tsx ${FIXTURES}/lenient.ts {port}`, '@who or @kick or @msg', ['--profile', 'lenient']);
    assert.deepEqual(namesWithOutcome(run, 'failed'), [], failures(run));
    assert.equal(run.exitCode, 0, run.stderr);
    assert.deepEqual(namesWithOutcome(run, 'not-gradable'), [
      priv('The target list ";{bob}" is refused'), // raw wire
      priv('The target list "{bob};" is refused'),
      priv('The target list "{bob};;{carol}" is refused'),
    ]);
    const passed = namesWithOutcome(run, 'passed');
    assert.equal(passed.filter((name) => name.startsWith('features/kick.feature')).length, 21, 'every kick scenario passes');
    assert.ok(passed.includes(who('A granted admin is marked @')), 'WHO roles are read from "(owner)" and "(admin)"');
    assert.ok(passed.includes(priv('Every target receives the message, the other members nothing')));
    assert.ok(passed.includes(kick('The owner kicks a member')));
    assert.equal(passed.length + 3, run.scenarios.length);
  });
});

describe('the canonical profile against the reference server, its canonical speaker', () => {
  it('passes every selected scenario, none of them not gradable', async () => {
    const run = await grade(tsxCommand('reference-server/net/cli.ts', '--port', '{port}'), '@who or @msg', ['--profile', 'canonical']);
    assert.deepEqual(namesWithOutcome(run, 'failed'), [], failures(run));
    assert.deepEqual(namesWithOutcome(run, 'not-gradable'), []);
    assert.equal(run.exitCode, 0, run.stderr);
    assert.ok(run.scenarios.length >= 15);
  });
});

/** Pids of live processes whose command line contains `marker` (Linux /proc; none elsewhere). */
function processesWith(marker: string): string[] {
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  return pids.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker);
    } catch {
      return false;
    }
  });
}
