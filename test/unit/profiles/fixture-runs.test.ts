/**
 * Each shipped profile graded against a fixture server that speaks its dialect (issue #4, item 6). The
 * fixtures are the reference core behind a translator (test/fixtures/dialect-servers/), so they follow
 * every rule of PROTOCOL.md and only SAY things differently: through the right profile, every selected
 * scenario must pass or be "not gradable" exactly where the dialect cannot express it, with no failure.
 * A wrong-rule variant shows a real fault is still caught through a free-text, newline-less profile.
 * The conformance command runs as a grader would run it (in this process: proof/support/conformance-run.ts);
 * selections are small tag sets so the unit suite stays fast (runs without a barrier wait a quiet period
 * per silent command).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { namesWithOutcome, removeReports, runConformanceInProcess, type ConformanceRun } from '../proof/support/conformance-run.ts';
import { fixtureCommand } from '../../support/fixture-command.ts';

const FIXTURES = 'test/fixtures/dialect-servers';
const runs: ConformanceRun[] = [];
after(async () => {
  for (const run of runs) await removeReports(run);
});

async function grade(server: string, tags: string, extraArgs: string[]): Promise<ConformanceRun> {
  const run = await runConformanceInProcess({ server, tags, extraArgs: ['--timeout', '3000', ...extraArgs], deadlineMs: 170_000 });
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
  ch('The sender gets no copy of their own message'),
  ch('The text arrives as typed, inner spaces and accents included'),
  ch('Users outside the channel do not receive it'),
];
const SEED_SAY_NOT_GRADABLE = [
  ch('A line starting with // sends a message starting with /'), // raw wire
  ch('A tab inside a message is kept'), // raw wire
  ch('Every other member receives the message with its channel and sender'), // the join reply names no channel
  ch('Leading and trailing spaces are not part of the text'), // raw wire
  ch('Saying something in the lobby is refused'), // names NO_CHANNEL, and the seed replies carry no codes
];

// Each run has its own fixture server, port and reports; the runs take turns in this process.
describe('shipped profiles graded against fixture servers of their dialect', () => {
  describe('the seed profile against the seed fixture (French free text, glued, no newline, no barrier)', () => {
    it('passes or is not gradable exactly where expected, with no failure', async () => {
      const run = await grade(fixtureCommand(`${FIXTURES}/seed.ts`, '{port}'), '@say or @leave', ['--profile', 'seed', '--quiet-ms', '200']);
      assert.deepEqual(namesWithOutcome(run, 'failed'), [], failures(run));
      assert.equal(run.exitCode, 0, run.stderr);
      assert.deepEqual(namesWithOutcome(run, 'passed'), [
        ...SEED_SAY_PASSED,
        leave("A user who left no longer receives the channel's messages"),
        leave('Leaving the current channel does not select another one'),
        leave('The leaver gets no event of their own leave'),
        leave('When a plain member leaves, the owner does not change'),
      ]);
      assert.deepEqual(namesWithOutcome(run, 'not-gradable'), [
        ...SEED_SAY_NOT_GRADABLE,
        leave('Leaving from the lobby is refused'), // names NO_CHANNEL: no codes
        leave('Ownership passes to the next member in join order'), // WHO names no channel
        leave('The last member leaving removes the channel, and its name creates a new one'), // the join reply names no channel
        leave('The members see a user leave, and the user is in the lobby'), // the leave reply names no channel
      ]);
    });

    it('still detects a broken rule: a seed server that echoes messages to their sender fails that scenario only', async () => {
      const run = await grade(fixtureCommand(`${FIXTURES}/seed-echo-to-sender.ts`, '{port}'), '@say', ['--profile', 'seed', '--quiet-ms', '200']);
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
      const run = await grade(fixtureCommand(`${FIXTURES}/seed.ts`, '{port}'), '@say', ['--profile', 'seed-client', '--client', client, '--quiet-ms', '200']);
      assert.deepEqual(namesWithOutcome(run, 'failed'), [], failures(run));
      assert.equal(run.exitCode, 0, run.stderr);
      assert.deepEqual(namesWithOutcome(run, 'passed'), SEED_SAY_PASSED);
      assert.deepEqual(namesWithOutcome(run, 'not-gradable'), SEED_SAY_NOT_GRADABLE);
      assert.deepEqual(processesWith(marker), [], 'no client process outlives the run');
    });
  });

  describe('the lenient profile against the lenient fixture (canonical commands, free English replies in colour)', () => {
    it('passes or is not gradable exactly where expected, with no failure', async () => {
      const run = await grade(fixtureCommand(`${FIXTURES}/lenient.ts`, '{port}'), '@who or @kick or @msg', ['--profile', 'lenient']);
      assert.deepEqual(namesWithOutcome(run, 'failed'), [], failures(run));
      assert.equal(run.exitCode, 0, run.stderr);
      // Scenarios that name an error code are not gradable: the lenient replies carry none (issue #4).
      const noCodes = 'not gradable: profile "lenient" lacks the capability "errorCodes" this step needs';
      const notGradable = namesWithOutcome(run, 'not-gradable');
      const rawWire = [
        priv('The target list ";{bob}" is refused'),
        priv('The target list "{bob};" is refused'),
        priv('The target list "{bob};;{carol}" is refused'),
      ];
      for (const name of rawWire) assert.ok(notGradable.includes(name), `${name} needs raw wire lines`);
      assert.deepEqual(notGradable.filter((name) => !rawWire.includes(name)), [
        kick('A member kicking a stranger is refused as not admin'),
        kick('A member kicking the owner is refused as not admin'),
        kick('A member who is not admin cannot kick'),
        kick('An admin kicking a user of another channel is refused, no such nick'),
        kick('An admin kicking a user who is not connected is refused, no such nick'),
        kick('Kicking from the lobby is refused before anything else'),
        kick('The granted admin cannot kick another admin'),
        kick('The granted admin cannot kick the owner'),
        kick('The granted admin cannot kick themselves'),
        kick('The owner cannot kick themselves'),
        kick('The plain member cannot kick a granted admin'),
        kick('The plain member cannot kick a plain member'),
        kick('The plain member cannot kick the owner'),
        kick('The plain member cannot kick themselves'),
        priv('A private message from the lobby is refused'),
        priv('A target in another channel is refused and receives nothing'),
        priv('A target who is not connected is refused'),
        priv('An empty target from the lobby is a syntax error, not "no channel"'),
        priv('One wrong target means nobody receives anything'),
        who('Listing the members from the lobby is refused'),
      ], noCodes);
      const passed = namesWithOutcome(run, 'passed');
      assert.equal(passed.filter((name) => name.startsWith('features/kick.feature')).length, 7, 'every kick scenario without an error code passes');
      assert.ok(passed.includes(who('A granted admin is marked @')), 'WHO roles are read from "(owner)" and "(admin)"');
      assert.ok(passed.includes(priv('Every target receives the message, the other members nothing')));
      assert.ok(passed.includes(kick('The owner kicks a member')));
      assert.ok(passed.includes(kick('The owner kicks a plain member')), 'a kicked target is seen in the lobby without reading a code');
      assert.equal(passed.length + notGradable.length, run.scenarios.length);
    });
  });

  describe('the canonical profile against the reference server, its canonical speaker', () => {
    it('passes every selected scenario, none of them not gradable', async () => {
      const run = await grade(fixtureCommand('reference-server/net/cli.ts', '--port', '{port}'), '@who or @msg', ['--profile', 'canonical']);
      assert.deepEqual(namesWithOutcome(run, 'failed'), [], failures(run));
      assert.deepEqual(namesWithOutcome(run, 'not-gradable'), []);
      assert.equal(run.exitCode, 0, run.stderr);
      assert.ok(run.scenarios.length >= 15);
    });
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
