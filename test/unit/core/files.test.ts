/** §5.16 file transfer: /SEND, /DATA, /RECV. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Sim } from './sim.ts';

function pair(options?: ConstructorParameters<typeof Sim>[0]) {
  const sim = new Sim(options);
  const a = sim.user('alice');
  const b = sim.user('bob');
  const c = sim.user('carol');
  sim.channel('#room', a, b);
  return { sim, a, b, c };
}

const b64 = (bytes: Buffer | string) => Buffer.from(bytes).toString('base64');

describe('/SEND, /DATA, /RECV (§5.16)', () => {
  it('transfers a file in chunks: OK SEND, OK DATA <received> <size>, FILE to the recipient, then FILEDATA and OK RECV', () => {
    const { sim, a, b } = pair();
    assert.equal(sim.send(a, '/SEND bob notes.txt 11'), 'OK SEND bob notes.txt 11');
    assert.equal(sim.send(a, `/DATA ${b64('hello')}`), 'OK DATA 5 11');
    assert.deepEqual(sim.drain(b), []);
    assert.deepEqual(sim.lines(a, `/DATA ${b64(' world')}`), ['OK DATA 11 11']);
    assert.deepEqual(sim.drain(b), ['FILE alice notes.txt 11']);
    assert.deepEqual(sim.lines(b, '/RECV notes.txt'), [`FILEDATA notes.txt ${b64('hello world')}`, 'OK RECV notes.txt 11 alice']);
    assert.equal(sim.code(b, '/RECV notes.txt'), 'NO_SUCH_FILE');
    assert.equal(sim.code(a, `/DATA ${b64('x')}`), 'NOT_ALLOWED'); // the upload is over
  });

  it('sends FILEDATA in chunks of at most 3072 decoded bytes', () => {
    const { sim, a, b } = pair();
    const file = Buffer.alloc(7000, 7);
    sim.send(a, `/SEND bob big.bin ${file.length}`);
    for (let i = 0; i < file.length; i += 3000) sim.send(a, `/DATA ${b64(file.subarray(i, i + 3000))}`);
    const lines = sim.lines(b, '/RECV big.bin');
    const chunks = lines.slice(0, -1).map((l) => Buffer.from(l.split(' ')[2]!, 'base64'));
    assert.deepEqual(chunks.map((c) => c.length), [3072, 3072, 856]);
    assert.deepEqual(Buffer.concat(chunks), file);
    assert.equal(lines.at(-1), 'OK RECV big.bin 7000 alice');
  });

  it('gives the oldest waiting file of a name first', () => {
    const { sim, a, b } = pair();
    for (const content of ['first', 'second']) {
      sim.send(a, `/SEND bob same.txt ${content.length}`);
      sim.send(a, `/DATA ${b64(content)}`);
    }
    assert.equal(sim.lines(b, '/RECV same.txt')[0], `FILEDATA same.txt ${b64('first')}`);
    assert.equal(sim.lines(b, '/RECV same.txt')[0], `FILEDATA same.txt ${b64('second')}`);
  });

  it('/SEND errors: SYNTAX, NO_CHANNEL, NO_SUCH_NICK, FILE_TOO_LARGE, in that order', () => {
    const { sim, a, c } = pair({ maxFileBytes: 100 });
    for (const line of ['/SEND bob ../x 5', '/SEND bob a/b 5', `/SEND bob ${'n'.repeat(65)} 5`, '/SEND bob f 0',
      '/SEND bob f -1', '/SEND bob f 1e3', '/SEND bob f x']) {
      assert.equal(sim.code(a, line), 'SYNTAX', line);
      assert.equal(sim.code(c, line), 'SYNTAX', `lobby ${line}`);
    }
    assert.equal(sim.code(c, '/SEND bob f 5'), 'NO_CHANNEL');
    assert.equal(sim.code(a, '/SEND carol f 500'), 'NO_SUCH_NICK');
    assert.equal(sim.code(a, '/SEND bob f 101'), 'FILE_TOO_LARGE');
    assert.equal(sim.code(a, '/SEND bob f 99999999999999999999999'), 'FILE_TOO_LARGE');
    assert.equal(sim.send(a, '/SEND bob f 100'), 'OK SEND bob f 100');
    assert.equal(sim.send(a, `/SEND bob ${'n'.repeat(64)} 1`), `OK SEND bob ${'n'.repeat(64)} 1`);
  });

  it('/DATA errors: NOT_ALLOWED without upload; SYNTAX for bad base64 or too many bytes, which abandons the upload', () => {
    const { sim, a, b } = pair();
    assert.equal(sim.code(a, `/DATA ${b64('x')}`), 'NOT_ALLOWED');
    for (const bad of ['abc', 'ab=c', '====', 'a===', 'YQ', 'YQ=', '@@@@', 'YWJj!']) {
      sim.send(a, '/SEND bob f 3');
      assert.equal(sim.code(a, `/DATA ${bad}`), 'SYNTAX', bad);
      assert.equal(sim.code(a, `/DATA ${b64('abc')}`), 'NOT_ALLOWED', `after ${bad}`);
    }
    sim.send(a, '/SEND bob f 3');
    assert.equal(sim.send(a, `/DATA ${b64('ab')}`), 'OK DATA 2 3');
    assert.equal(sim.code(a, `/DATA ${b64('cd')}`), 'SYNTAX');
    assert.equal(sim.code(a, `/DATA ${b64('c')}`), 'NOT_ALLOWED');
    assert.deepEqual(sim.drain(b), []);
    assert.equal(sim.code(b, '/RECV f'), 'NO_SUCH_FILE');
  });

  it('a new /SEND replaces an unfinished upload', () => {
    const { sim, a, b } = pair();
    sim.send(a, '/SEND bob old.txt 10');
    sim.send(a, `/DATA ${b64('12345')}`);
    sim.send(a, '/SEND bob new.txt 2');
    assert.equal(sim.send(a, `/DATA ${b64('ok')}`), 'OK DATA 2 2');
    assert.deepEqual(sim.drain(b), ['FILE alice new.txt 2']);
    assert.equal(sim.code(b, '/RECV old.txt'), 'NO_SUCH_FILE');
  });

  it('LIMIT when the recipient already has maxPendingFiles files waiting or announced', () => {
    const { sim, a, b } = pair({ maxPendingFiles: 2 });
    const c = sim.user('cy');
    sim.send(c, '/JOIN #room');
    sim.send(a, '/SEND bob one 1');
    sim.send(a, `/DATA ${b64('1')}`);
    sim.send(a, '/SEND bob two 1'); // announced, not finished: counts
    assert.equal(sim.code(c, '/SEND bob three 1'), 'LIMIT');
    assert.equal(sim.send(a, '/SEND bob two-again 1'), 'OK SEND bob two-again 1'); // replaces its own
    sim.send(a, `/DATA ${b64('2')}`);
    assert.equal(sim.code(c, '/SEND bob three 1'), 'LIMIT');
    sim.send(b, '/RECV one');
    assert.equal(sim.send(c, '/SEND bob three 1'), 'OK SEND bob three 1');
  });

  it('a waiting file survives the sender leaving; it is dropped when its recipient disconnects', () => {
    const { sim, a, b } = pair();
    sim.send(a, '/SEND bob f 1');
    sim.send(a, `/DATA ${b64('z')}`);
    sim.send(a, '/BYE');
    assert.equal(sim.send(b, '/RECV f'), 'OK RECV f 1 alice');

    const sim2 = pair();
    sim2.sim.send(sim2.a, '/SEND bob f 1');
    sim2.sim.send(sim2.a, `/DATA ${b64('z')}`);
    sim2.sim.drop(sim2.b);
    const bob2 = sim2.sim.user('bob');
    assert.equal(sim2.sim.code(bob2, '/RECV f'), 'NO_SUCH_FILE');
  });

  it('an upload whose recipient disconnected completes without delivering to a new user of that nick', () => {
    const { sim, a, b } = pair();
    sim.send(a, '/SEND bob f 2');
    sim.send(a, `/DATA ${b64('a')}`);
    sim.drop(b);
    const newBob = sim.user('bob');
    assert.equal(sim.send(a, `/DATA ${b64('b')}`), 'OK DATA 2 2');
    assert.deepEqual(sim.drain(newBob), []);
    assert.equal(sim.code(newBob, '/RECV f'), 'NO_SUCH_FILE');
  });

  it('a file may be sent to oneself; the recipient may leave the channel before receiving', () => {
    const { sim, a, b } = pair();
    sim.send(a, '/SEND alice me 1');
    assert.deepEqual(sim.lines(a, `/DATA ${b64('m')}`), ['FILE alice me 1', 'OK DATA 1 1']);
    sim.send(a, '/SEND bob f 1');
    sim.send(b, '/LEAVE');
    sim.send(a, `/DATA ${b64('y')}`);
    assert.equal(sim.send(b, '/RECV f'), 'OK RECV f 1 alice');
  });
});
