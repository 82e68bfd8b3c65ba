import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadProfile, parseProfile, ProfileError, resolveProfilePath } from '../../../harness/dialect/load-profile.ts';
import { COMMAND_NAMES, EVENT_NAMES } from '../../../harness/dialect/catalogue.ts';
import { main } from '../../../harness/cli/profile-check.ts';

const canonicalText = readFileSync(resolveProfilePath('canonical'), 'utf8');

/** The canonical profile with `edit` applied, as JSON text. */
function variant(edit: (profile: any) => void): string {
  const profile = JSON.parse(canonicalText);
  edit(profile);
  return JSON.stringify(profile);
}

function problemsOf(text: string): string[] {
  try {
    parseProfile(text, 'test.json');
  } catch (error) {
    assert.ok(error instanceof ProfileError, `expected a ProfileError, got ${String(error)}`);
    const [head, ...lines] = error.message.split('\n');
    assert.equal(head, 'test.json is not a valid profile:');
    return lines.map((line) => line.replace(/^ {2}- /, ''));
  }
  assert.fail('the profile was accepted');
}

describe('profile loading', () => {
  it('the canonical profile is valid and covers every command and event', () => {
    const profile = loadProfile('canonical');
    assert.equal(profile.name, 'canonical');
    assert.deepEqual(COMMAND_NAMES.filter((c) => !profile.commands[c]), []);
    assert.deepEqual(EVENT_NAMES.filter((e) => !profile.events[e]), []);
    assert.equal(profile.framing, 'lines');
    assert.equal(profile.rawWire, true);
    assert.equal(profile.errorCodes, true);
    assert.ok(profile.barrier);
  });

  it('rejects text that is not JSON, with the reason', () => {
    assert.throws(() => parseProfile('{"name": ', 'x.json'), (error: Error) => error instanceof ProfileError && /^x\.json: not valid JSON: /.test(error.message));
  });

  it('names a missing file', () => {
    assert.throws(() => loadProfile('/nonexistent/dir/p.json'), /profile "\/nonexistent\/dir\/p\.json": cannot read .*\(no such file\)/);
  });

  it('reports schema problems one line each, with their JSON path', () => {
    const problems = problemsOf(
      variant((p) => {
        delete p.capabilities.errorCodes;
        p.capabilities.lobby = 'yes';
        p.commands.jion = '/JOIN {channel}';
        p.events.joind = '^JOIN (?<channel>\\S+) (?<nick>\\S+)$';
        p.wire.framing = 'words';
        p.register[0] = { sned: '{nick}' };
        p.commands.who.ok = 42;
      }),
    );
    assert.deepEqual(problems.sort(), [
      'capabilities.errorCodes: missing (required)',
      'capabilities.lobby: must be boolean',
      `commands.jion: unknown command (not in the catalogue, common/commands.ts: ${COMMAND_NAMES.join(', ')})`,
      'commands.who.ok: must be string or array',
      `events.joind: unknown event (not in the catalogue, common/commands.ts: ${EVENT_NAMES.join(', ')})`,
      'register[0].sned: unknown property (not in the profile format)',
      'wire.framing: must be one of "lines", "stream", "idle"',
    ]);
  });

  it('reports bad regular expressions, unknown placeholders and unknown groups', () => {
    const problems = problemsOf(
      variant((p) => {
        p.replies.error = '^ERR (?<code>[A-Z_]+';
        p.commands.join.send = '/JOIN {chan}';
        p.commands.kick = ['/KICK {nick}', '/KICK {'];
        p.events.message = '^MSG (?<chan>\\S+) (?<from>\\S+) (?<text>.*)$';
        p.who.member = '^(?<name>\\S+)$';
        p.commands.say.nickSeparator = ';';
      }),
    );
    assert.equal(problems.length, 7, problems.join('\n'));
    assert.match(problems[0]!, /^commands\.join\.send: unknown placeholder \{chan\} \(allowed: \{channel\}\)$/);
    assert.match(problems[1]!, /^commands\.say\.nickSeparator: only meaningful for msg$/);
    assert.match(problems[2]!, /^commands\.kick\[1\]: stray "\{" at position 6/);
    assert.match(problems[3]!, /^events\.message: named group \(\?<chan>\.\.\.\) is not a field of this event \(allowed: channel, from, text\)$/);
    assert.match(problems[4]!, /^replies\.error: invalid regular expression: /);
    assert.match(problems[5]!, /^who\.member: named group \(\?<name>\.\.\.\) is not nick, owner, admin or role/);
    assert.match(problems[6]!, /^who\.member: needs a named group \(\?<nick>\.\.\.\)$/);
  });

  it('accepts a minimal non-canonical dialect (the seed style: no slash, silent success, free-text errors)', () => {
    const profile = parseProfile(
      JSON.stringify({
        name: 'mini',
        wire: { framing: 'stream', stripAnsi: true },
        register: [{ send: '{nick}' }],
        replies: { error: [{ match: "Calme toi t'es pas l'administrateur", code: 'NOT_ADMIN' }, "n'est pas dans cette chaine"] },
        commands: { join: { send: 'JOIN {channel}', silent: true }, say: 'message{text}', msg: 'MSG {nicks} {text}' },
        events: { message: '(?<from>\\S+): (?<text>[^\\n]*)' },
        capabilities: { lobby: false, rawWire: false, errorCodes: false },
      }),
      'mini.json',
    );
    assert.equal(profile.framing, 'stream');
    assert.deepEqual(profile.commands.join?.templates, ['JOIN {channel}']);
    assert.equal(profile.commands.join?.silent, true);
    assert.equal(profile.errorReply[0]?.code, 'NOT_ADMIN');
    assert.equal(profile.barrier, undefined);
  });
});

describe('profile:check CLI', () => {
  function run(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = main(args, (t) => out.push(t), (t) => err.push(t));
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('exit 0 and a capability report for a valid profile', () => {
    const result = run(['canonical']);
    assert.equal(result.code, 0);
    assert.match(result.out, /profile "canonical" .* is valid/);
    // The canonical profile expresses every command and event of the catalogue (common/commands.ts).
    assert.ok(result.out.includes(`commands it can express (${COMMAND_NAMES.length}/${COMMAND_NAMES.length})`), result.out);
    assert.ok(result.out.includes(`events it can recognise (${EVENT_NAMES.length}/${EVENT_NAMES.length})`), result.out);
    assert.match(result.out, /barrier {6}yes/);
  });

  it('exit 2 with the problems for an invalid profile, and for a wrong invocation', () => {
    assert.deepEqual(run(['/nonexistent.json']).code, 2);
    assert.match(run(['/nonexistent.json']).err, /cannot read/);
    const usage = run([]);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /usage: npm run profile:check/);
  });
});
