/**
 * Hardening audit, item "operator password compared in constant time" (issue #7.1, PROTOCOL.md §5.18).
 * The time a comparison takes cannot be asserted on a noisy machine, so the tests check the mechanism:
 * the check goes through crypto.timingSafeEqual on equal-length digests, and it decides correctly.
 */
import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { isOperatorPassword } from '../../../reference-server/core/password.ts';
import { Sim } from '../core/sim.ts';

describe('operator password check', () => {
  it('accepts exactly the password: not a prefix, an extension, another case or the empty string', () => {
    assert.equal(isOperatorPassword('s3cret-é', 's3cret-é'), true);
    for (const guess of ['s3cret', 's3cret-éé', 'S3CRET-é', '', 's3cret-e', ' s3cret-é']) {
      assert.equal(isOperatorPassword(guess, 's3cret-é'), false, guess);
    }
  });

  it('never succeeds when the server has no password', () => {
    assert.equal(isOperatorPassword('', undefined), false);
    assert.equal(isOperatorPassword('anything', undefined), false);
  });

  it('compares with crypto.timingSafeEqual on two equal-length digests, whatever the guess length', (t) => {
    const spy = mock.method(crypto, 'timingSafeEqual');
    syncBuiltinESMExports(); // the named import in password.ts now sees the spy
    t.after(() => {
      spy.mock.restore();
      syncBuiltinESMExports();
    });
    isOperatorPassword('x', 'a much longer password');
    isOperatorPassword('a much longer password than the real one', 'pw');
    assert.equal(spy.mock.callCount(), 2);
    for (const call of spy.mock.calls) {
      const [a, b] = call.arguments as [Buffer, Buffer];
      assert.equal(a.length, 32);
      assert.equal(b.length, 32);
    }
  });

  it('/OPER goes through it: a wrong guess of the right length is BAD_PASSWORD, the password is OK OPER', () => {
    const sim = new Sim({ operPassword: 'pw12' });
    const ann = sim.user('ann');
    assert.equal(sim.code(ann, '/OPER pw13'), 'BAD_PASSWORD');
    assert.equal(sim.send(ann, '/OPER pw12'), 'OK OPER');
  });
});
