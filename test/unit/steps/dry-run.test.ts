/**
 * The feature files and the step definitions fit together: a Cucumber dry run (no server needed)
 * finds every step defined exactly once, enough scenarios, and the tags the runner filters on.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const VERSION_TAGS = ['@v0', '@v1', '@extension', '@bonus'];
/** Tags that say something about how to run a scenario, not which command it checks. */
const NON_COMMAND_TAGS = new Set([...VERSION_TAGS, '@wire', '@pristine', '@operator', '@exclusive', '@server-wide', '@disconnect', '@course', '@spec', '@core', '@names']);
/**
 * Steps whose effect reaches beyond the scenario's own users on a shared server: a broadcast reaches
 * every registered user, a ban refuses the address every scenario connects from. Also when the step
 * expects a refusal: a broken server may run the command anyway, and the damage would then be
 * reported by whichever scenario ran next to it.
 */
const SERVER_WIDE_STEP = /\b(?:broadcasts|tries to broadcast|bans|tries to ban)\b|\/(?:GLOBAL|BAN)\b/i;
/**
 * Steps that may leave state behind for every later scenario (issue #14): a ban of the address every
 * scenario connects from (tried too: a broken server may run it), anything typed on the server console.
 */
const STATE_LEAVING_STEP = /\b(?:bans|tries to ban)\b|\/BAN\b|\bserver console\b/i;

interface Pickle {
  id: string;
  name: string;
  uri: string;
  tags: Array<{ name: string }>;
  steps: Array<{ text: string }>;
}

let pickles: Pickle[] = [];
let statuses: string[] = [];

before(async () => {
  const run = await execa('node_modules/.bin/cucumber-js', ['--dry-run', '--format', 'message', '--import', 'steps/**/*.ts', 'features/'], {
    cwd: root,
    env: { NODE_OPTIONS: '--import tsx' },
    reject: false,
    timeout: 120_000,
  });
  assert.ok(run.stdout.length > 0, `cucumber-js produced no messages: ${run.stderr}`);
  for (const line of run.stdout.split('\n')) {
    if (!line.trim()) continue;
    const envelope = JSON.parse(line) as { pickle?: Pickle; testStepFinished?: { testStepResult: { status: string } } };
    if (envelope.pickle) pickles.push(envelope.pickle);
    if (envelope.testStepFinished) statuses.push(envelope.testStepFinished.testStepResult.status);
  }
});

describe('features and steps (dry run)', () => {
  it('has no undefined and no ambiguous step', () => {
    const bad = statuses.filter((status) => status === 'UNDEFINED' || status === 'AMBIGUOUS');
    assert.deepEqual(bad, [], `${bad.length} steps are undefined or ambiguous: run cucumber-js --dry-run to see them`);
    assert.ok(statuses.length > 0, 'the dry run executed no step at all');
  });

  it('has at least 120 scenarios', () => {
    assert.ok(pickles.length >= 120, `only ${pickles.length} scenarios`);
  });

  it('tags every scenario with exactly one version tag', () => {
    for (const pickle of pickles) {
      const versions = pickle.tags.map((tag) => tag.name).filter((name) => VERSION_TAGS.includes(name));
      assert.equal(versions.length, 1, `${pickle.uri} "${pickle.name}" has version tags ${JSON.stringify(versions)}`);
    }
  });

  it('tags every scenario with the command it checks', () => {
    for (const pickle of pickles) {
      const commands = pickle.tags.map((tag) => tag.name).filter((name) => !NON_COMMAND_TAGS.has(name));
      assert.ok(commands.length > 0, `${pickle.uri} "${pickle.name}" has no command tag`);
    }
  });

  it('uses every step definition (the vocabulary stays small)', async () => {
    const usage = await execa('node_modules/.bin/cucumber-js', ['--dry-run', '--format', 'usage-json', '--import', 'steps/**/*.ts', 'features/'], {
      cwd: root,
      env: { NODE_OPTIONS: '--import tsx' },
      timeout: 120_000,
    });
    const definitions = JSON.parse(usage.stdout) as Array<{ pattern: string; matches: unknown[] }>;
    const unused = definitions.filter((definition) => definition.matches.length === 0).map((definition) => definition.pattern);
    assert.deepEqual(unused, [], 'step definitions no feature uses: delete them or use them');
  });

  it('runs every scenario with a server-wide effect alone (@exclusive or @pristine)', () => {
    const unsafe = pickles
      .filter((pickle) => pickle.steps.some((step) => SERVER_WIDE_STEP.test(step.text)))
      .filter((pickle) => !pickle.tags.some((tag) => tag.name === '@exclusive' || tag.name === '@pristine'))
      .map((pickle) => `${pickle.uri}: ${pickle.name}`);
    assert.deepEqual(unsafe, [], 'these scenarios broadcast or ban (or try to): tag them @exclusive so no other scenario runs next to them');
    assert.ok(pickles.some((pickle) => pickle.steps.some((step) => SERVER_WIDE_STEP.test(step.text))), 'the server-wide pattern matches no step: it is out of date');
  });

  it('tags @server-wide every scenario that may leave a ban or a console change behind', () => {
    const leaking = pickles.filter((pickle) => pickle.steps.some((step) => STATE_LEAVING_STEP.test(step.text)));
    const untagged = leaking.filter((pickle) => !pickle.tags.some((tag) => tag.name === '@server-wide')).map((pickle) => `${pickle.uri}: ${pickle.name}`);
    assert.deepEqual(untagged, [], 'these scenarios ban (or try to) or type on the server console: tag them @server-wide so the runner restarts the server after them');
    assert.ok(leaking.length > 0, 'the state-leaving pattern matches no step: it is out of date');
  });

  it('gives every scenario a distinct name within its feature', () => {
    const seen = new Set<string>();
    for (const pickle of pickles) {
      const key = `${pickle.uri}: ${pickle.name}`;
      assert.ok(!seen.has(key), `two scenarios are named "${key}": name the rule each one checks`);
      seen.add(key);
    }
  });
});
