import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Dialect, MalformedReplyError, type ReplyUnit } from '../../../harness/dialect/dialect.ts';
import { loadProfile, parseProfile } from '../../../harness/dialect/load-profile.ts';
import { COMMAND_NAMES, EVENT_NAMES, isCommandName } from '../../../harness/dialect/catalogue.ts';
import { COMMAND_FACTS } from '../../../common/commands.ts';
import { exchanges, readExamples, readProtocol, successReplies } from '../../support/protocol-doc.ts';
import { NotGradableError, type CommandName, type EventName } from '../../../harness/session/session-api.ts';

const canonical = new Dialect(loadProfile('canonical'));

/**
 * Every command's canonical rendering and success reply, taken from the spec rather than from a table here:
 * each line a wire example of docs/PROTOCOL.md sends (an exact transcript of the reference server) that is
 * answered by a success, with the arguments the line carries (read by the catalogue's argument list) and the
 * fields its reply has by the command's success reply in the §6 table. A new command's examples are then
 * written once, in PROTOCOL.md, and canonical.json must render and read them.
 */
interface Success {
  command: CommandName;
  where: string;
  sent: string;
  args: Record<string, string>;
  reply: string;
  fields: Record<string, string>;
}

const protocol = readProtocol();
const shapes = successReplies(protocol);

function successes(): Success[] {
  const found: Success[] = [];
  for (const { where, sent, reply } of exchanges(readExamples(protocol))) {
    if (reply.startsWith('ERR')) continue;
    const commands = [...shapes].filter(([, { pattern }]) => pattern.test(reply));
    assert.equal(commands.length, 1, `${where}: "${reply}" is the success reply of exactly one command of §6 (${commands.map(([c]) => c).join(', ') || 'none'})`);
    const [name, { pattern }] = commands[0]!;
    assert.ok(isCommandName(name), `${where}: §6 row "${name}" is not a command of the catalogue`);
    const fields = Object.fromEntries(Object.entries(pattern.exec(reply)!.groups ?? {}).filter(([, v]) => v !== undefined)) as Record<string, string>;
    found.push({ command: name, where, sent, args: argumentsIn(name, sent, where), reply, fields });
  }
  return found;
}

/**
 * The arguments of a line as PROTOCOL.md §5 writes it: `/WORD`, then the single-word arguments in the
 * catalogue's order (those that may be left out last), then the text that takes the rest of the line. A
 * plain line (a message, or a nick before registration, §5.1) is all text.
 */
function argumentsIn(command: CommandName, line: string, where: string): Record<string, string> {
  const facts = COMMAND_FACTS[command];
  const word = facts.word === undefined ? undefined : new RegExp(`^/${facts.word}(?: |$)`).exec(line);
  if (!word) {
    const whole = facts.text ?? (facts.args.length === 1 && command === 'register' ? facts.args[0] : undefined);
    assert.ok(whole !== undefined, `${where}: "${line}" does not start with /${facts.word ?? '?'} (${command})`);
    return { [whole]: line };
  }
  let rest = line.slice(word[0].length);
  const args: Record<string, string> = {};
  for (const name of [...facts.args, ...(facts.optional ?? [])]) {
    if (rest === '') break;
    const [first, ...others] = rest.split(' ');
    args[name] = first!;
    rest = others.join(' ');
  }
  if (facts.text !== undefined && rest !== '') args[facts.text] = rest;
  else assert.equal(rest, '', `${where}: "${line}" has more arguments than ${command} takes`);
  return args;
}

const SUCCESSES = successes();

/** Every canonical event as PROTOCOL.md §2.2 shows it, with its fields. */
const EVENTS: Record<EventName, { line: string; fields: Record<string, string> }> = {
  message: { line: 'MSG #room bob hello  world ', fields: { channel: '#room', from: 'bob', text: 'hello  world ' } },
  private: { line: 'PRIV bob psst', fields: { from: 'bob', text: 'psst' } },
  joined: { line: 'JOIN #room bob', fields: { channel: '#room', nick: 'bob' } },
  left: { line: 'LEAVE #room bob', fields: { channel: '#room', nick: 'bob' } },
  quit: { line: 'QUIT bob', fields: { nick: 'bob' } },
  kicked: { line: 'KICK #room carol alice', fields: { channel: '#room', nick: 'carol', by: 'alice' } },
  renamed: { line: 'RENAME #room #new', fields: { old: '#room', new: '#new' } },
  owner: { line: 'OWNER #room bob', fields: { channel: '#room', nick: 'bob' } },
  granted: { line: 'GRANT #room bob alice', fields: { channel: '#room', nick: 'bob', by: 'alice' } },
  revoked: { line: 'REVOKE #room bob alice', fields: { channel: '#room', nick: 'bob', by: 'alice' } },
  nick: { line: 'NICK alice alicia', fields: { old: 'alice', new: 'alicia' } },
  file: { line: 'FILE alice a.txt 12', fields: { from: 'alice', name: 'a.txt', size: '12' } },
  global: { line: 'GLOBAL * server going down', fields: { from: '*', text: 'server going down' } },
  killed: { line: 'KILLED * flooding', fields: { by: '*', reason: 'flooding' } },
};

function classify(command: CommandName | undefined, text: string): ReplyUnit | undefined {
  return canonical.finalReplyMatcher(command)(text)?.value;
}

describe('canonical dialect: rendering', () => {
  it('PROTOCOL.md has a success example of every command (but the harness\'s unknown-command probe)', () => {
    const shown = new Set(SUCCESSES.map((s) => s.command));
    assert.deepEqual(
      COMMAND_NAMES.filter((c) => !COMMAND_FACTS[c].probe && !shown.has(c)),
      [],
      'commands with no wire example in PROTOCOL.md answered by their success reply',
    );
    assert.deepEqual(Object.keys(EVENTS).sort(), [...EVENT_NAMES].sort(), 'the table of events covers every event');
  });

  for (const { command, where, sent, args } of SUCCESSES) {
    it(`renders ${command} as "${sent}" (${where})`, () => {
      // Registration has two canonical forms (§5.1): the bare nick of the registration step, and /NICK.
      const register = loadProfile('canonical').register[0]!;
      const bare = command === 'register' && register.kind === 'send' && !sent.startsWith('/') ? canonical.renderRegisterStep(register.template, args.nick!) : undefined;
      assert.equal(bare ?? canonical.render(command, args), `${sent}\n`);
    });
  }

  it('renders the unknown-command probe as its word after a slash', () => {
    assert.equal(canonical.render('unknown', { word: 'FLY' }), '/FLY\n');
  });

  it('uses the argument-less alternative when an optional argument is absent', () => {
    assert.equal(canonical.render('current'), '/CURRENT\n');
    assert.equal(canonical.render('history', { count: undefined }), '/HISTORY\n');
    assert.equal(canonical.render('ping'), '/PING\n');
  });

  it('a missing required argument makes the command not gradable, with the reason', () => {
    assert.throws(() => canonical.render('join'), (error: Error) => error instanceof NotGradableError && /cannot express "join" with no arguments .*join takes: channel/.test(error.message));
  });

  it('renders the registration step and the barrier', () => {
    const step = loadProfile('canonical').register[0]!;
    assert.equal(step.kind, 'send');
    assert.equal(canonical.renderRegisterStep(step.kind === 'send' ? step.template : '', 'alice_k3'), 'alice_k3\n');
    assert.equal(canonical.barrierRequest('b1x'), '/PING b1x\n');
    assert.deepEqual(canonical.barrierMatcher('b1x')('PONG b1x')?.value, {});
    assert.equal(canonical.barrierMatcher('b1x')('PONG b1'), null);
    assert.equal(canonical.barrierMatcher('b.x')('PONG bax'), null, 'the token is matched literally');
  });
});

describe('canonical dialect: recognising replies', () => {
  for (const { command, where, reply, fields } of SUCCESSES) {
    it(`recognises the success reply to ${command}: "${reply}" (${where}), with the fields of §6`, () => {
      assert.deepEqual(classify(command, reply), { kind: 'ok', fields, raw: reply });
    });
  }

  it('recognises an error reply with its code (and without a reason)', () => {
    assert.deepEqual(classify('join', 'ERR ALREADY_MEMBER you are already in #room'), {
      kind: 'error',
      code: 'ALREADY_MEMBER',
      fields: { code: 'ALREADY_MEMBER', reason: 'you are already in #room' },
      raw: 'ERR ALREADY_MEMBER you are already in #room',
    });
    assert.equal(classify('who', 'ERR NO_CHANNEL')?.kind, 'error');
  });

  it('recognises data lines of help, recv and history', () => {
    assert.deepEqual(classify('help', 'HELP /JOIN <channel>: join'), { kind: 'data', fields: { text: '/JOIN <channel>: join' }, raw: 'HELP /JOIN <channel>: join' });
    assert.deepEqual(classify('recv', 'FILEDATA a.txt aGVsbG8=')?.fields, { name: 'a.txt', base64: 'aGVsbG8=' });
    assert.deepEqual(classify('history', 'HISTORY #room bob hi all')?.fields, { channel: '#room', from: 'bob', text: 'hi all' });
    // A data line of another command is not this command's.
    assert.equal(classify('who', 'HELP something'), undefined);
  });

  it('leaves events alone while waiting for a reply', () => {
    for (const { line } of Object.values(EVENTS)) assert.equal(classify('join', line), undefined, line);
  });

  it('a success reply of the wrong shape fails at once instead of timing out', () => {
    assert.throws(() => classify('join', 'OK JOIN #room'), MalformedReplyError);
    assert.throws(() => classify('join', 'OK JOIN #room admin'), /the reply "OK JOIN #room admin" to join does not have the expected shape/);
  });

  it('without a command (nextReply), any final reply is recognised', () => {
    assert.deepEqual(classify(undefined, 'OK JOIN #r owner')?.fields, { channel: '#r', role: 'owner' }, "with the command's own fields");
    assert.deepEqual(classify(undefined, 'OK FLY high')?.fields, { command: 'FLY', details: 'high' });
    assert.equal(classify(undefined, 'PONG')?.kind, 'ok');
    assert.equal(classify(undefined, 'ERR LINE_TOO_LONG line over 4096 bytes')?.kind, 'error');
    assert.equal(classify(undefined, 'MSG #r bob hi'), undefined);
  });

  it('is strict: lower-case keywords and trailing spaces are not canonical', () => {
    assert.equal(classify('say', 'ok SAY #room'), undefined);
    assert.throws(() => classify('say', 'OK SAY #room '), MalformedReplyError);
  });

  it('parses WHO members with their roles and LIST channels', () => {
    const who = classify('who', 'OK WHO #room ~alice @bob carol')!;
    assert.deepEqual(canonical.parseMembers(who.fields, []), [
      { nick: 'alice', role: 'owner' },
      { nick: 'bob', role: 'admin' },
      { nick: 'carol', role: 'member' },
    ]);
    assert.throws(() => canonical.parseMembers({ members: '~alice +bob' }, []), /WHO member "\+bob" does not have the expected shape/);
    assert.deepEqual(canonical.parseChannels(classify('list', 'OK LIST #a #b')!.fields, []), ['#a', '#b']);
    assert.deepEqual(canonical.parseChannels(classify('list', 'OK LIST')!.fields, []), []);
  });
});

describe('canonical dialect: recognising events', () => {
  for (const [event, { line, fields }] of Object.entries(EVENTS) as Array<[EventName, (typeof EVENTS)[EventName]]>) {
    it(`recognises ${event}: "${line}"`, () => {
      assert.deepEqual(canonical.matchEvent(event, line)?.fields, fields);
      assert.deepEqual(canonical.matchEvent(event, line, fields)?.fields, fields);
      assert.equal(canonical.anyEvent(line)?.event, event);
      assert.equal(canonical.matchEvent(event, `${line.toLowerCase()}x`), undefined);
    });
  }

  it('a field that differs means no match', () => {
    assert.equal(canonical.matchEvent('message', 'MSG #room bob hi', { from: 'carol' }), undefined);
    assert.equal(canonical.matchEvent('message', 'MSG #room bob hi', { text: 'h' }), undefined);
  });

  it('an event the profile lacks is not gradable', () => {
    const partial = new Dialect(
      parseProfile(
        JSON.stringify({
          name: 'partial',
          register: [{ send: '{nick}' }],
          replies: {},
          commands: { say: 'message{text}' },
          events: { message: '^(?<from>\\S+): (?<text>.*)$' },
          capabilities: { lobby: false, rawWire: false, errorCodes: false },
        }),
        'partial.json',
      ),
    );
    assert.throws(() => partial.eventMatcher('kicked'), (error: Error) => error instanceof NotGradableError && /cannot recognise the event "kicked"/.test(error.message));
    assert.throws(() => partial.render('join', { channel: '#r' }), /cannot express the command "join"/);
    assert.equal(partial.render('say', { text: 'hi' }), 'messagehi\n');
    // A field the pattern does not capture (channel) cannot be checked and is ignored.
    assert.deepEqual(partial.matchEvent('message', 'bob: hi', { channel: '#r', from: 'bob' })?.fields, { from: 'bob', text: 'hi' });
  });
});
