/** The server console through the profile: rendering typed lines, the console actor, reading answers. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConsoleDialect } from '../../../harness/dialect/console.ts';
import { Dialect } from '../../../harness/dialect/dialect.ts';
import { loadProfile, parseProfile, ProfileError, resolveProfilePath } from '../../../harness/dialect/load-profile.ts';
import { NotGradableError } from '../../../harness/session/session-api.ts';

const canonicalText = readFileSync(resolveProfilePath('canonical'), 'utf8');

/** The canonical profile with `edit` applied to its JSON. */
function variant(edit: (profile: any) => void): ConsoleDialect {
  const profile = JSON.parse(canonicalText);
  edit(profile);
  return new ConsoleDialect(new Dialect(parseProfile(JSON.stringify(profile), 'test.json')));
}

function problemsOf(edit: (profile: any) => void): string {
  const profile = JSON.parse(canonicalText);
  edit(profile);
  try {
    parseProfile(JSON.stringify(profile), 'test.json');
  } catch (error) {
    assert.ok(error instanceof ProfileError, `expected a ProfileError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('the profile was accepted');
}

const canonical = new ConsoleDialect(new Dialect(loadProfile('canonical')));

describe('the console in the canonical profile', () => {
  it('types the users\' operator commands, without line ending', () => {
    assert.equal(canonical.render('kill', { nick: 'bob_k3' }), '/KILL bob_k3');
    assert.equal(canonical.render('ban', { nick: 'bob_k3' }), '/BAN bob_k3');
    assert.equal(canonical.render('unban', { address: '127.0.0.1' }), '/UNBAN 127.0.0.1');
    assert.equal(canonical.render('global', { text: 'noon: restart' }), '/GLOBAL noon: restart');
  });

  it('shows the console to users as *', () => {
    assert.equal(canonical.actor, '*');
  });

  it('reads the reference server\'s answer among its other output lines', () => {
    const output = ['conn 4 from 127.0.0.1:5050 connected', 'console: ERR NO_SUCH_NICK no such user: mallory_k3'];
    const answer = canonical.readAnswer(output, 'kill');
    assert.equal(answer?.kind, 'error');
    assert.equal(answer?.kind === 'error' ? answer.code : undefined, 'NO_SUCH_NICK');
  });

  it('reads a success with the fields of the command\'s own reply', () => {
    const answer = canonical.readAnswer(['console: OK BAN bob_k3 127.0.0.1'], 'ban');
    assert.equal(answer?.kind, 'ok');
    assert.equal(answer?.fields.address, '127.0.0.1');
  });

  it('reads an answer to a literal line (any command)', () => {
    assert.equal(canonical.readAnswer(['console: ERR UNKNOWN_COMMAND unknown console command FROB'])?.kind, 'error');
    assert.equal(canonical.readAnswer(['console: OK KILL bob_k3'])?.kind, 'ok');
  });

  it('finds no answer in output without one, and cannot grade output it cannot see', () => {
    assert.equal(canonical.readAnswer([]), undefined);
    assert.equal(canonical.readAnswer(['conn 4 from 127.0.0.1 disconnected: killed by the console']), undefined);
    assert.throws(() => canonical.readAnswer(null), NotGradableError);
  });
});

describe('the console in other profiles', () => {
  it('a profile without a console section makes console scenarios not gradable, saying why', () => {
    assert.throws(() => new ConsoleDialect(new Dialect(loadProfile('seed'))), (error: Error) => {
      assert.ok(error instanceof NotGradableError);
      assert.match(error.message, /"seed" does not say how to use the server's console/);
      return true;
    });
  });

  it('a console with its own syntax and actor', () => {
    const console = variant((p) => {
      p.console = { actor: 'server', commands: { kill: 'kill {nick}', global: ['say-all {text}'] } };
    });
    assert.equal(console.actor, 'server');
    assert.equal(console.render('kill', { nick: 'bob' }), 'kill bob');
    assert.equal(console.render('global', { text: 'hi all' }), 'say-all hi all');
    assert.equal(console.render('ban', { nick: 'bob' }), '/BAN bob', 'a command it does not spell out is the users\' one');
    assert.throws(() => console.readAnswer(['console: OK KILL bob']), /no console.answer/);
  });

  it('a command neither the console nor the users have is not gradable', () => {
    const console = variant((p) => {
      delete p.commands.unban;
      p.console = {};
    });
    assert.equal(console.actor, '*', 'PROTOCOL.md §5.18 is the default');
    assert.throws(() => console.render('unban', { address: '127.0.0.1' }), (error: Error) => error instanceof NotGradableError && /cannot type "unban"/.test(error.message));
  });

  it('rejects a console template with a placeholder its command does not take, and an answer without reply', () => {
    const message = problemsOf((p) => {
      p.console = { commands: { kill: 'kill {who}' }, answer: '^console: (?<text>.*)$' };
    });
    assert.match(message, /console\.commands\.kill: unknown placeholder \{who\}/);
    assert.match(message, /console\.answer: needs a named group \(\?<reply>\.\.\.\)/);
  });

  it('rejects an unknown property or command in the console section (schema)', () => {
    assert.match(problemsOf((p) => (p.console = { prompt: '> ' })), /console\.prompt: unknown property/);
    assert.match(problemsOf((p) => (p.console = { commands: { kick: 'kick {nick}' } })), /console\.commands\.kick: unknown property/);
  });
});
