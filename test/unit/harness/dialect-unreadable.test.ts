/**
 * What a profile cannot read (issue #14, part 4): Dialect.unreadable names the missing profile field for
 * a WHO role, data lines and reply fields, and a refusal recognised by an error pattern that reads no
 * code carries why (codeUnreadable), so the checks on them are not gradable instead of failed.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { Dialect } from '../../../harness/dialect/dialect.ts';
import { loadProfile, parseProfile } from '../../../harness/dialect/load-profile.ts';

const RAW = JSON.parse(fs.readFileSync(new URL('../../../profiles/canonical.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** canonical with `change` applied to its raw JSON (profiles/canonical.json), compiled under `name`. */
function canonicalWith(name: string, change: (raw: Record<string, any>) => void): Dialect {
  const raw = JSON.parse(JSON.stringify(RAW)) as Record<string, any>;
  raw.name = name;
  change(raw);
  return new Dialect(parseProfile(JSON.stringify(raw), `${name}.json`));
}
const canonical = new Dialect(loadProfile('canonical'));

describe('Dialect.unreadable: WHO roles', () => {
  it('canonical reads every role', () => {
    for (const role of ['owner', 'admin', 'member'] as const) assert.equal(canonical.unreadable({ kind: 'role', role }), undefined);
  });

  it('a member pattern without role, owner or admin group reads no role at all, naming who.member', () => {
    const dialect = canonicalWith('noroles', (raw) => (raw.who.member = '^[~@]?(?<nick>[A-Za-z][A-Za-z0-9_-]*)$'));
    for (const role of ['owner', 'admin', 'member'] as const) assert.match(dialect.unreadable({ kind: 'role', role }) ?? '', /who\.member has no/);
  });

  it('an owner marker alone reads owners and members (as "not the owner") but not admins', () => {
    const dialect = canonicalWith('owneronly', (raw) => (raw.who.member = '^(?<owner>~)?@?(?<nick>[A-Za-z][A-Za-z0-9_-]*)$'));
    assert.equal(dialect.unreadable({ kind: 'role', role: 'owner' }), undefined);
    assert.equal(dialect.unreadable({ kind: 'role', role: 'member' }), undefined);
    assert.match(dialect.unreadable({ kind: 'role', role: 'admin' }) ?? '', /cannot read the admin role in WHO \(who\.member has no role or admin group\)/);
  });

  it('a role group reads every role (values.role maps it)', () => {
    const dialect = canonicalWith('rolegroup', (raw) => (raw.who.member = '^(?<role>[~@]?)(?<nick>[A-Za-z][A-Za-z0-9_-]*)$'));
    for (const role of ['owner', 'admin', 'member'] as const) assert.equal(dialect.unreadable({ kind: 'role', role }), undefined);
  });

  it('no who section at all', () => {
    const dialect = canonicalWith('nowho', (raw) => delete raw.who);
    assert.match(dialect.unreadable({ kind: 'role', role: 'owner' }) ?? '', /no "who" section/);
  });
});

describe('Dialect.unreadable: data lines and reply fields', () => {
  it('canonical reads help lines, history lines, file data and the ping token', () => {
    assert.equal(canonical.unreadable({ kind: 'data', command: 'help' }), undefined);
    assert.equal(canonical.unreadable({ kind: 'dataField', command: 'history', fields: ['nick', 'from'] }), undefined);
    assert.equal(canonical.unreadable({ kind: 'dataField', command: 'recv', fields: ['base64', 'data'] }), undefined);
    assert.equal(canonical.unreadable({ kind: 'replyField', command: 'ping', field: 'token' }), undefined);
  });

  it('a help command without data pattern: help lines unreadable, naming commands.help.data', () => {
    const dialect = canonicalWith('nohelpdata', (raw) => (raw.commands.help = { send: '/HELP', ok: '^OK HELP$' }));
    assert.equal(dialect.unreadable({ kind: 'data', command: 'help' }), 'profile "nohelpdata" reads no data lines of "help" (no commands.help.data)');
  });

  it('no help command at all names commands.help', () => {
    const dialect = canonicalWith('nohelp', (raw) => delete raw.commands.help);
    assert.match(dialect.unreadable({ kind: 'data', command: 'help' }) ?? '', /no commands\.help\)/);
  });

  it('a data pattern without the needed group', () => {
    const dialect = canonicalWith('historytext', (raw) => (raw.commands.history.data = '^HISTORY (?<channel>\\S+) (?<text>.*)$'));
    assert.match(dialect.unreadable({ kind: 'dataField', command: 'history', fields: ['nick', 'from'] }) ?? '', /commands\.history\.data has no nick or from group/);
    assert.equal(dialect.unreadable({ kind: 'dataField', command: 'history', fields: ['text'] }), undefined);
  });

  it('a reply field no ok pattern captures (neither the command\'s nor the generic ones)', () => {
    const dialect = canonicalWith('notoken', (raw) => {
      raw.commands.ping = { send: ['/PING {token}', '/PING'], ok: '^PONG' };
    });
    assert.match(dialect.unreadable({ kind: 'replyField', command: 'ping', field: 'token' }) ?? '', /commands\.ping\.ok has no token group/);
  });
});

describe('error codes a profile cannot read', () => {
  const errorOf = (dialect: Dialect, text: string) => {
    const unit = dialect.errorMatcher()(text)?.value;
    assert.equal(unit?.kind, 'error');
    return unit as { code?: string; codeUnreadable?: string };
  };

  it('canonical reads the code; a refusal whose optional code group is empty is the server\'s (no codeUnreadable)', () => {
    assert.deepEqual(errorOf(canonical, 'ERR NOT_ADMIN you are not admin').code, 'NOT_ADMIN');
    const optional = canonicalWith('optionalcode', (raw) => (raw.replies.error = '^ERR(?: (?<code>[A-Z_]+))?(?: .*)?$'));
    const unit = errorOf(optional, 'ERR');
    assert.equal(unit.code, undefined);
    assert.equal(unit.codeUnreadable, undefined);
  });

  it('errorCodes false: every refusal says the profile reads no codes', () => {
    const dialect = canonicalWith('nocodes', (raw) => (raw.capabilities.errorCodes = false));
    assert.match(errorOf(dialect, 'ERR NOT_ADMIN x').codeUnreadable ?? '', /capabilities\.errorCodes is false/);
  });

  it('errorCodes true but the matching pattern has no code group and no code', () => {
    const dialect = canonicalWith('codeless', (raw) => (raw.replies.error = [{ match: '^Permission denied', code: 'NOT_ADMIN' }, '^ERR (?<reason>.*)$']));
    assert.equal(errorOf(dialect, 'Permission denied').code, 'NOT_ADMIN');
    assert.match(errorOf(dialect, 'ERR whatever').codeUnreadable ?? '', /replies\.error pattern \/\^ERR \(\?<reason>\.\*\)\$\/ has no code group and no "code"/);
  });
});
