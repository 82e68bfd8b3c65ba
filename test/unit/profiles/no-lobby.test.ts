/** A dialect without a lobby: channel commands before a user's first join are not gradable (nothing is sent). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createSession } from '../../../harness/session/session.ts';
import { parseProfile, resolveProfilePath } from '../../../harness/dialect/load-profile.ts';
import { NotGradableError } from '../../../harness/session/session-api.ts';

test('no lobby: say, who and current-without-argument before the first join are not gradable', async () => {
  const raw = JSON.parse(readFileSync(resolveProfilePath('canonical'), 'utf8'));
  raw.capabilities.lobby = false;
  raw.capabilities.defaultChannel = 'MAIN';
  const profile = parseProfile(JSON.stringify(raw), 'no-lobby.json');
  // Port 9 (discard) is never contacted: the check happens before anything is sent.
  const session = createSession({ target: { host: '127.0.0.1', port: 9 }, profile: 'canonical', timeoutMs: 500, quietMs: 50, pristine: false }, { profile });
  for (const [command, args] of [['say', { text: 'hi' }], ['who', {}], ['current', {}], ['leave', {}]] as const) {
    await assert.rejects(session.run('alice', command, args), (error: Error) => error instanceof NotGradableError && /has no lobby \(users start in MAIN\)/.test(error.message));
  }
  // Commands that do not depend on the current channel are not affected (they fail here only for want of a connection).
  await assert.rejects(session.run('alice', 'list'), (error: Error) => !(error instanceof NotGradableError));
  await assert.rejects(session.run('alice', 'current', { channel: '#x' }), (error: Error) => !(error instanceof NotGradableError));
  await session.closeAll();
});
