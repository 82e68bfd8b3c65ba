/** §4.4 admin rules: /KICK (§5.10), /REN (§5.11), /GRANT and /REVOKE (§5.15). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Sim } from './sim.ts';

/** #room with owner alice, granted admins bob and bea, members carol and cid, and dave outside. */
function roles() {
  const sim = new Sim();
  const names = ['alice', 'bob', 'bea', 'carol', 'cid', 'dave'] as const;
  const u = Object.fromEntries(names.map((n) => [n, sim.user(n)])) as Record<(typeof names)[number], number>;
  sim.channel('#room', u.alice, u.bob, u.bea, u.carol, u.cid);
  sim.send(u.alice, '/GRANT bob');
  sim.send(u.alice, '/GRANT bea');
  sim.drainAll();
  return { sim, u };
}

describe('/KICK (§5.10)', () => {
  const matrix: Array<[caller: string, target: string, outcome: string]> = [
    ['alice', 'alice', 'NOT_ALLOWED'], // self
    ['alice', 'bob', 'OK'], // owner kicks an admin
    ['alice', 'carol', 'OK'], // owner kicks a member
    ['bob', 'alice', 'NOT_ALLOWED'], // nobody kicks the owner
    ['bob', 'bea', 'NOT_ALLOWED'], // admin kicks admin
    ['bob', 'bob', 'NOT_ALLOWED'], // self
    ['bob', 'carol', 'OK'], // admin kicks a member
    ['carol', 'alice', 'NOT_ADMIN'],
    ['carol', 'bob', 'NOT_ADMIN'],
    ['carol', 'cid', 'NOT_ADMIN'],
    ['carol', 'carol', 'NOT_ADMIN'],
    ['carol', 'dave', 'NOT_ADMIN'], // NOT_ADMIN comes before NO_SUCH_NICK
    ['alice', 'dave', 'NO_SUCH_NICK'],
    ['bob', 'nobody', 'NO_SUCH_NICK'],
  ];
  for (const [caller, target, outcome] of matrix) {
    it(`${caller} kicking ${target}: ${outcome}`, () => {
      const { sim, u } = roles();
      const reply = sim.send(u[caller as keyof typeof u], `/KICK ${target}`);
      if (outcome === 'OK') {
        assert.equal(reply, `OK KICK #room ${target}`);
      } else {
        assert.equal(reply.split(' ')[1], outcome, reply);
        for (const n of ['alice', 'bob', 'bea', 'carol', 'cid'] as const) assert.deepEqual(sim.drain(u[n]), [], n);
        assert.equal(sim.send(u.alice, '/WHO'), 'OK WHO #room ~alice @bob @bea carol cid');
      }
    });
  }

  it('sends KICK to every member before the kick except the caller, target included; the target is in the lobby (§8.10)', () => {
    const { sim, u } = roles();
    assert.deepEqual(sim.lines(u.bob, '/KICK carol'), ['OK KICK #room carol']);
    for (const n of ['alice', 'bea', 'carol', 'cid'] as const) assert.deepEqual(sim.drain(u[n]), ['KICK #room carol bob'], n);
    assert.equal(sim.code(u.carol, '/CURRENT'), 'NO_CHANNEL');
    assert.equal(sim.code(u.carol, '/CURRENT #room'), 'NOT_MEMBER');
    sim.send(u.alice, 'after');
    assert.deepEqual(sim.drain(u.carol), []);
    assert.equal(sim.send(u.carol, '/JOIN #room'), 'OK JOIN #room member');
    assert.equal(sim.send(u.carol, '/WHO'), 'OK WHO #room ~alice @bob @bea cid carol');
  });

  it('a kicked admin loses admin rights; a kicked user whose current channel was another keeps it', () => {
    const { sim, u } = roles();
    sim.send(u.bob, '/JOIN #else');
    sim.send(u.alice, '/KICK bob');
    assert.equal(sim.send(u.bob, '/CURRENT'), 'OK CURRENT #else');
    sim.send(u.bob, '/JOIN #room');
    assert.equal(sim.send(u.bob, '/WHO'), 'OK WHO #room ~alice @bea carol cid bob');
  });

  it('answers NO_CHANNEL in the lobby', () => {
    const { sim, u } = roles();
    assert.equal(sim.code(u.dave, '/KICK alice'), 'NO_CHANNEL');
  });
});

describe('/REN (§5.11)', () => {
  it('renames for an admin: RENAME to the other members, OK REN <old> <new> to the caller; the user stays in it', () => {
    const { sim, u } = roles();
    sim.send(u.alice, 'kept');
    sim.drainAll();
    assert.deepEqual(sim.lines(u.bob, '/REN #hall'), ['OK REN #room #hall']);
    for (const n of ['alice', 'bea', 'carol', 'cid'] as const) assert.deepEqual(sim.drain(u[n]), ['RENAME #room #hall'], n);
    assert.equal(sim.send(u.carol, '/CURRENT'), 'OK CURRENT #hall');
    assert.equal(sim.send(u.carol, '/LIST'), 'OK LIST #hall');
    // members, owner, admins, join order and history follow (§4.7, §8.17)
    assert.equal(sim.send(u.carol, '/WHO'), 'OK WHO #hall ~alice @bob @bea carol cid');
    assert.deepEqual(sim.lines(u.carol, '/HISTORY'), ['HISTORY #hall alice kept', 'OK HISTORY #hall 1']);
    assert.equal(sim.send(u.alice, 'new'), 'OK SAY #hall');
    assert.equal(sim.send(u.dave, '/JOIN #room'), 'OK JOIN #room owner');
  });

  it('errors in order: NO_CHANNEL, NOT_ADMIN, CHANNEL_INVALID, CHANNEL_EXISTS (own name included)', () => {
    const { sim, u } = roles();
    sim.send(u.dave, '/JOIN #taken');
    assert.equal(sim.code(sim.user('eve'), '/REN #x'), 'NO_CHANNEL');
    assert.equal(sim.code(u.carol, '/REN bad/name'), 'NOT_ADMIN');
    assert.equal(sim.code(u.bob, '/REN bad/name'), 'CHANNEL_INVALID');
    assert.equal(sim.code(u.bob, '/REN #taken'), 'CHANNEL_EXISTS');
    assert.equal(sim.code(u.alice, '/REN #room'), 'CHANNEL_EXISTS');
    assert.equal(sim.send(u.alice, '/LIST'), 'OK LIST #room #taken');
    for (const n of ['alice', 'bob', 'bea', 'carol', 'cid'] as const) assert.deepEqual(sim.drain(u[n]), [], n);
  });
});

describe('/GRANT and /REVOKE (§5.15)', () => {
  it('the owner grants: GRANT to every other member, OK GRANT to the owner; the new admin can kick members', () => {
    const { sim, u } = roles();
    assert.deepEqual(sim.lines(u.alice, '/GRANT carol'), ['OK GRANT #room carol']);
    for (const n of ['bob', 'bea', 'carol', 'cid'] as const) assert.deepEqual(sim.drain(u[n]), ['GRANT #room carol alice'], n);
    assert.equal(sim.send(u.carol, '/KICK cid'), 'OK KICK #room cid');
  });

  it('the owner revokes: REVOKE to every other member; the former admin can no longer kick', () => {
    const { sim, u } = roles();
    assert.deepEqual(sim.lines(u.alice, '/REVOKE bob'), ['OK REVOKE #room bob']);
    for (const n of ['bob', 'bea', 'carol', 'cid'] as const) assert.deepEqual(sim.drain(u[n]), ['REVOKE #room bob alice'], n);
    assert.equal(sim.code(u.bob, '/KICK carol'), 'NOT_ADMIN');
    assert.equal(sim.send(u.bea, '/KICK bob'), 'OK KICK #room bob');
  });

  const matrix: Array<[command: string, caller: string, target: string, outcome: string]> = [
    ['GRANT', 'alice', 'alice', 'NOT_ALLOWED'], // the owner is already admin
    ['GRANT', 'alice', 'bob', 'NOT_ALLOWED'], // already admin
    ['GRANT', 'alice', 'dave', 'NO_SUCH_NICK'],
    ['GRANT', 'bob', 'carol', 'NOT_ADMIN'], // a granted admin is not the owner
    ['GRANT', 'carol', 'cid', 'NOT_ADMIN'],
    ['GRANT', 'carol', 'dave', 'NOT_ADMIN'],
    ['REVOKE', 'alice', 'alice', 'NOT_ALLOWED'], // the owner is not a granted admin
    ['REVOKE', 'alice', 'carol', 'NOT_ALLOWED'], // not an admin
    ['REVOKE', 'alice', 'nobody', 'NO_SUCH_NICK'],
    ['REVOKE', 'bob', 'bea', 'NOT_ADMIN'],
    ['REVOKE', 'bob', 'bob', 'NOT_ADMIN'],
    ['REVOKE', 'carol', 'bob', 'NOT_ADMIN'],
  ];
  for (const [command, caller, target, outcome] of matrix) {
    it(`/${command} ${target} by ${caller}: ${outcome}`, () => {
      const { sim, u } = roles();
      assert.equal(sim.code(u[caller as keyof typeof u], `/${command} ${target}`), outcome);
      for (const n of ['alice', 'bob', 'bea', 'carol', 'cid'] as const) assert.deepEqual(sim.drain(u[n]), [], n);
      assert.equal(sim.send(u.alice, '/WHO'), 'OK WHO #room ~alice @bob @bea carol cid');
    });
  }

  it('answers NO_CHANNEL in the lobby', () => {
    const { sim, u } = roles();
    assert.equal(sim.code(u.dave, '/GRANT alice'), 'NO_CHANNEL');
    assert.equal(sim.code(u.dave, '/REVOKE alice'), 'NO_CHANNEL');
  });

  it('admin rights belong to one channel', () => {
    const { sim, u } = roles();
    sim.channel('#two', u.carol, u.bob, u.cid);
    assert.equal(sim.code(u.bob, '/KICK cid'), 'NOT_ADMIN');
  });
});
