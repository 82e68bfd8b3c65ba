/**
 * Not gradable means not gradable (issue #14, part 4), proved with the command as a grader runs it: a check
 * on a field the profile cannot read (WHO roles without a role group, error codes without a code group,
 * help lines without a help data pattern) is "not gradable" with a reason naming the missing profile
 * field, never failed: against the reference server AND against a server that breaks that very rule.
 * The same broken servers graded with canonical (which reads the field) fail those checks: the checks
 * still bite where the profile can read.
 *
 * Profiles: test/fixtures/unreadable-fields/ (canonical with one field taken out). Broken servers:
 * who-without-markers, one-error-code, short-help (test/fixtures/broken-servers/).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { namesWithOutcome, removeReports, runConformanceInProcess, type ConformanceRun } from './support/conformance-run.ts';
import { fixtureCommand } from '../../support/fixture-command.ts';

const runs: ConformanceRun[] = [];
after(async () => {
  for (const run of runs) await removeReports(run);
});

interface Case {
  field: string;
  profile: string;
  tags: string;
  broken: string;
  /** The scenarios that check the field (not gradable without it; failed by the broken server with canonical). */
  checks: string[];
  reason: RegExp;
  /** Other scenarios the broken server fails with canonical (they read the same field where the profile can). */
  alsoFails?: string[];
  /** Checks of the field the broken server passes anyway, and why. */
  passesAnyway?: string[];
}

const CASES: Case[] = [
  {
    field: 'WHO roles',
    profile: 'no-roles',
    tags: '@who',
    broken: 'who-without-markers',
    checks: [
      'features/who.feature: A granted admin is marked @',
      'features/who.feature: A member who left is no longer listed',
      'features/who.feature: Members are listed in join order with the owner marked',
      'features/who.feature: Only the members of the current channel are listed',
    ],
    reason: /profile "no-roles" cannot read the owner role in WHO \(who\.member has no role or owner group\)/,
  },
  {
    field: 'error codes',
    profile: 'no-codes',
    tags: '@kick and @v0',
    broken: 'one-error-code',
    checks: [
      'features/kick.feature: A member kicking a stranger is refused as not admin',
      'features/kick.feature: A member kicking the owner is refused as not admin',
      'features/kick.feature: A member who is not admin cannot kick',
      'features/kick.feature: An admin kicking a user of another channel is refused, no such nick',
      'features/kick.feature: An admin kicking a user who is not connected is refused, no such nick',
      'features/kick.feature: Kicking from the lobby is refused before anything else',
      'features/kick.feature: The owner cannot kick themselves',
    ],
    // "bob is in the lobby" is observed with a refused WHO, whose code is checked where the profile reads one.
    alsoFails: ["features/kick.feature: The kicked member is in the lobby and no longer receives the channel's messages"],
    reason: /profile "no-codes" reads no error code from this refusal \(its replies\.error pattern .* has no code group and no "code"\)/,
  },
  {
    field: 'help lines',
    profile: 'no-help-lines',
    tags: '@help',
    broken: 'short-help',
    checks: [
      'features/help.feature: A registered user gets a help line for each command of version 0',
      'features/help.feature: Help works inside a channel too',
      'features/help.feature: The help names every command of version 0',
      'features/help.feature: The help names every command of version 1',
      'features/help.feature: The help names the file transfer and history commands',
      'features/help.feature: The help names the operator commands',
      'features/help.feature: The help names the ping command',
    ],
    // The 3 help lines short-help keeps are the first ones, and they name /PING.
    passesAnyway: ['features/help.feature: The help names the ping command'],
    reason: /profile "no-help-lines" reads no data lines of "help" \(no commands\.help\.data\)/,
  },
];

const profilePath = (name: string): string => `test/fixtures/unreadable-fields/${name}.profile.json`;
const brokenServer = (name: string): string => fixtureCommand(`test/fixtures/broken-servers/${name}.ts`, '{port}');

async function run(options: { server?: string; profile?: string; tags: string; runUngradable?: boolean }): Promise<ConformanceRun> {
  const result = await runConformanceInProcess({
    ...(options.server !== undefined ? { server: options.server } : {}),
    tags: options.tags,
    extraArgs: [...(options.profile ? ['--profile', profilePath(options.profile)] : []), ...(options.runUngradable ? ['--run-ungradable'] : [])],
    deadlineMs: 170_000,
  });
  runs.push(result);
  assert.equal(result.timedOut, false);
  return result;
}

function assertNotGradable(result: ConformanceRun, c: Case): void {
  assert.deepEqual(namesWithOutcome(result, 'failed'), [], `nothing fails for a field the profile cannot read:\n${result.stdout.slice(-3000)}`);
  assert.deepEqual(namesWithOutcome(result, 'not-gradable'), [...c.checks].sort());
  for (const s of result.scenarios.filter((x) => x.outcome === 'not-gradable')) assert.match(s.notGradableReason ?? '', c.reason);
}

describe('a field the profile cannot read is not gradable, never failed; with the field, the check fails a broken server', () => {
  for (const c of CASES) {
    it(`${c.field}: reference server with ${c.profile}: the checks are not gradable, naming the missing field; none fails`, { timeout: 180_000 }, async () => {
      const result = await run({ profile: c.profile, tags: c.tags });
      assertNotGradable(result, c);
      assert.ok(namesWithOutcome(result, 'passed').length >= 2, 'the rest of the selection is graded');
    });

    // Run to the step the profile cannot express (--run-ungradable): by default the run knows these scenarios
    // are not gradable before they start (harness/run/known-ungradable.ts), and this proves the steps' own verdict.
    it(`${c.field}: ${c.broken} with ${c.profile}: still not gradable, not failed (the profile cannot see the fault)`, { timeout: 180_000 }, async () => {
      assertNotGradable(await run({ server: brokenServer(c.broken), profile: c.profile, tags: c.tags, runUngradable: true }), c);
    });

    it(`${c.field}: ${c.broken} with canonical (which reads the field): exactly the checks of the field fail`, { timeout: 180_000 }, async () => {
      const result = await run({ server: brokenServer(c.broken), tags: c.tags });
      const expected = [...c.checks.filter((name) => !(c.passesAnyway ?? []).includes(name)), ...(c.alsoFails ?? [])];
      assert.deepEqual(namesWithOutcome(result, 'failed'), expected.sort());
      assert.deepEqual(namesWithOutcome(result, 'not-gradable'), []);
    });
  }
});
