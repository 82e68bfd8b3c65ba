/** The small translations step definitions rely on (steps/support/steps-helpers.ts, parameter-types.ts). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEscapes, ensureRegistered, expandNames, expectRefusal, parseMembers, repliesOwed, splitUsers } from '../../../steps/support/steps-helpers.ts';
import { NotGradableError } from '../../../harness/session/session-api.ts';
import type { Reply } from '../../../harness/session/session-api.ts';
import type { ChatWorld } from '../../../steps/support/world.ts';

/** Just the naming part of a World: logical name -> name with a scenario suffix. */
const world = {
  nick: (logical: string) => `${logical}_s1`,
  channel: (logical: string) => `${logical}_s1`,
} as unknown as ChatWorld;

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('decodeEscapes', () => {
  it('turns \\n \\r \\t \\\\ and \\xNN into bytes and encodes the rest as UTF-8', () => {
    assert.deepEqual(decodeEscapes('a\\tb\\r\\n'), bytes(0x61, 0x09, 0x62, 0x0d, 0x0a));
    assert.deepEqual(decodeEscapes('\\xFF\\x00'), bytes(0xff, 0x00));
    assert.deepEqual(decodeEscapes('a\\\\n'), bytes(0x61, 0x5c, 0x6e));
    assert.deepEqual(decodeEscapes('é😀'), new TextEncoder().encode('é😀'));
  });

  it('leaves an unknown escape as typed', () => {
    assert.deepEqual(decodeEscapes('\\q'), bytes(0x5c, 0x71));
  });
});

describe('repliesOwed', () => {
  const owed = (text: string) => repliesOwed(decodeEscapes(text));

  it('owes one reply per complete line', () => {
    assert.equal(owed('a\\nb\\n'), 2);
    assert.equal(owed('a\\r\\n'), 1);
  });

  it('owes nothing for blank lines or an unfinished line', () => {
    assert.equal(owed('\\n   \\n\\t \\n\\r\\n'), 0);
    assert.equal(owed('half a line'), 0);
    assert.equal(owed('done\\nhalf'), 1);
  });

  it('owes a reply for a line of invalid bytes', () => {
    assert.equal(owed('\\xFF\\n'), 1);
  });
});

describe('expandNames', () => {
  it('maps {nick} and {#channel} to real names and leaves other braces alone', () => {
    assert.equal(expandNames(world, '/MSG {bob};{carol} hi {#room}'), '/MSG bob_s1;carol_s1 hi #room_s1');
    assert.equal(expandNames(world, 'literal {Not a name} {X}'), 'literal {Not a name} {X}');
  });
});

describe('parseMembers', () => {
  it('reads ~owner @admin and plain members in order', () => {
    assert.deepEqual(parseMembers(world, '~alice @bob carol'), [
      { nick: 'alice_s1', role: 'owner' },
      { nick: 'bob_s1', role: 'admin' },
      { nick: 'carol_s1', role: 'member' },
    ]);
  });
});

describe('splitUsers', () => {
  it('splits "a, b and c" lists', () => {
    assert.deepEqual(splitUsers('alice'), ['alice']);
    assert.deepEqual(splitUsers('bob and carol'), ['bob', 'carol']);
    assert.deepEqual(splitUsers('alice, bob and carol'), ['alice', 'bob', 'carol']);
  });
});

describe('ensureRegistered', () => {
  it('refuses to make a connection of a nick another user changed to, and says what to write', async () => {
    const renamed = {
      users: new Map([['alice', 'registered']]),
      nickTakenBy: new Map([['alicia', 'alice']]),
      session: { register: () => assert.fail('must not try to register "alicia"') },
    } as unknown as ChatWorld;
    await assert.rejects(ensureRegistered(renamed, 'alicia'), /"alicia" is the nick alice changed to.*write "alice \.\.\."/);
    await ensureRegistered(renamed, 'alice'); // already registered: nothing to do
  });
});

describe('expectRefusal with an expected error code', () => {
  /**
   * A World whose session has (or lacks) the errorCodes capability, as Session.requireCapability does.
   * recheck answers what a second look at a silent "success" would: here the same reply again.
   */
  const worldWithCodes = (errorCodes: boolean) =>
    ({
      session: {
        requireCapability(capability: string) {
          if (capability === 'errorCodes' && !errorCodes) throw new NotGradableError('no errorCodes');
        },
        async recheck(_user: string, reply: Reply) {
          return reply;
        },
      },
      remember: (_user: string, reply: Reply) => reply,
    }) as unknown as ChatWorld;
  const refusal = (code?: string): Reply => ({ ok: false, raw: code ? `ERR ${code}` : 'Permission denied', fields: {}, data: [], ...(code ? { code } : {}) });

  it('passes on the right code and fails on another one', async () => {
    await expectRefusal(worldWithCodes(true), 'alice', refusal('NOT_ADMIN'), 'NOT_ADMIN');
    await assert.rejects(expectRefusal(worldWithCodes(true), 'alice', refusal('NO_CHANNEL'), 'NOT_ADMIN'), /expected the error code NOT_ADMIN/);
  });

  it('makes the scenario not gradable when the profile reads no code and lacks errorCodes', async () => {
    await assert.rejects(expectRefusal(worldWithCodes(false), 'alice', refusal(), 'NOT_ADMIN'), NotGradableError);
  });

  it('makes the scenario not gradable when the error pattern that recognised the refusal reads no code, naming it', async () => {
    const unreadable = { ...refusal(), codeUnreadable: 'profile "p" reads no error code from this refusal (its replies.error pattern /x/ has no code group and no "code")' };
    await assert.rejects(expectRefusal(worldWithCodes(true), 'alice', unreadable, 'NOT_ADMIN'), (error: Error) => error instanceof NotGradableError && /replies\.error pattern/.test(error.message));
  });

  it('fails when the profile claims codes but the refusal carried none', async () => {
    await assert.rejects(expectRefusal(worldWithCodes(true), 'alice', refusal(), 'NOT_ADMIN'), /expected the error code NOT_ADMIN/);
  });

  it('grades a bare refusal without asking for codes, and fails a success', async () => {
    await expectRefusal(worldWithCodes(false), 'alice', refusal());
    await assert.rejects(expectRefusal(worldWithCodes(false), 'alice', { ok: true, raw: 'OK', fields: {}, data: [] }), /expected a refusal/);
  });

  it('takes the second look when a silent success turns out to be a late refusal', async () => {
    const late = refusal('NOT_ADMIN');
    const remembered: Reply[] = [];
    const world = {
      session: { requireCapability() {}, recheck: async () => late },
      remember: (_user: string, reply: Reply) => (remembered.push(reply), reply),
    } as unknown as ChatWorld;
    await expectRefusal(world, 'alice', { ok: true, raw: '', fields: {}, data: [] }, 'NOT_ADMIN');
    assert.deepEqual(remembered, [late]);
  });
});
