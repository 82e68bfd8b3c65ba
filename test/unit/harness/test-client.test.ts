import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { closeFakeServers, fakeServer } from '../../support/fake-server.ts';
import { TestClient, regexMatcher, type Framing } from '../../../harness/wire/test-client.ts';
import { Transcript } from '../../../harness/wire/transcript.ts';

/** Test clients are destroyed, then every fake server, after the suite. */
const clients: TestClient[] = [];
after(async () => {
  for (const client of clients) client.destroy();
  await closeFakeServers();
});

async function connect(port: number, options: { framing?: Framing; stripAnsi?: boolean; transcript?: Transcript } = {}) {
  const client = await TestClient.connect({
    host: '127.0.0.1',
    port,
    user: 'alice',
    transcript: options.transcript ?? new Transcript(),
    framing: options.framing,
    stripAnsi: options.stripAnsi,
    connectTimeoutMs: 5000,
  });
  clients.push(client);
  return client;
}

const line = (text: string) => regexMatcher(new RegExp(`^${text}$`));
const T = { timeoutMs: 5000 };

describe('TestClient, lines framing', () => {
  it('consumes only the matching line and keeps the others in order, without \\r', async () => {
    const port = await fakeServer((socket) => socket.write('HELLO srv 1\r\nJOIN #r bob\nOK JOIN #r owner\nMSG #r bob hi\n'));
    const client = await connect(port);
    await client.expect(line('OK JOIN #r owner'), { ...T, description: 'the reply to /JOIN' });
    // The reply arrived last-but-one; everything else stays, in arrival order.
    await client.expect(line('MSG #r bob hi'), { ...T, description: 'the message', peek: true });
    assert.deepEqual(client.unconsumed(), ['HELLO srv 1', 'JOIN #r bob', 'MSG #r bob hi']);
    const groups = await client.expect(regexMatcher(/^JOIN (?<channel>\S+) (?<nick>\S+)$/), { ...T, description: 'a JOIN' });
    assert.deepEqual(groups, { channel: '#r', nick: 'bob' });
    assert.deepEqual(client.unconsumed(), ['HELLO srv 1', 'MSG #r bob hi']);
    assert.equal(client.discardUnconsumed(), 2);
    assert.deepEqual(client.unconsumed(), []);
  });

  it('reassembles a line split across segments, including inside a UTF-8 character', async () => {
    const bytes = Buffer.from('OK SAY #café\n', 'utf8');
    const cut = bytes.indexOf(0xc3) + 1; // between the two bytes of "é"
    const port = await fakeServer((socket) => {
      socket.once('data', () => {
        socket.write(bytes.subarray(0, 4));
        setTimeout(() => socket.write(bytes.subarray(4, cut)), 20);
        setTimeout(() => socket.write(bytes.subarray(cut)), 40);
      });
    });
    const client = await connect(port);
    const waiting = client.expect(line('OK SAY #café'), { ...T, description: 'the reply to a message' });
    await client.send('go\n');
    await waiting;
  });

  it('strips ANSI escapes, even when an escape is split across segments', async () => {
    const port = await fakeServer((socket) => {
      socket.write('\u001b[3');
      setTimeout(() => socket.write('1mRED\u001b[0m text\u001b]0;title\u0007\n'), 20);
    });
    const client = await connect(port, { stripAnsi: true });
    await client.expect(line('RED text'), { ...T, description: 'the coloured line' });
  });

  it('keeps ANSI escapes when stripping is off', async () => {
    const port = await fakeServer((socket) => socket.write('\u001b[31mRED\n'));
    const client = await connect(port);
    await client.expect(line('\u001b\\[31mRED'), { ...T, description: 'the raw line' });
  });

  it('times out with a message naming the expectation and the last lines received', async () => {
    const port = await fakeServer((socket) => socket.write('HELLO srv 1\nsomething else\n'));
    const client = await connect(port);
    await client.expect(line('HELLO srv 1'), { ...T, description: 'the greeting' });
    await assert.rejects(client.expect(line('OK WELCOME alice'), { timeoutMs: 100, description: 'the welcome reply' }), (error: Error) => {
      assert.equal(error.name, 'ExpectationError');
      assert.match(error.message, /^alice: expected the welcome reply within 100 ms, but it did not arrive/);
      assert.match(error.message, /Last lines received by alice \(oldest first\):\n {2}<- HELLO srv 1\n {2}<- something else/);
      return true;
    });
  });

  it('says so when the server sent nothing at all', async () => {
    const port = await fakeServer(() => {});
    const client = await connect(port);
    await assert.rejects(client.expect(line('x'), { timeoutMs: 50, description: 'anything' }), /alice received nothing/);
  });

  it('detects a close by the server: pending and later expectations fail, waitClosed resolves', async () => {
    const port = await fakeServer((socket) => {
      socket.once('data', () => socket.end('OK BYE\nlast words without newline'));
    });
    const client = await connect(port);
    const pending = client.expect(line('never'), { ...T, description: 'a line that never comes' });
    await client.send('/BYE\n');
    await assert.rejects(pending, /alice: the connection was closed while waiting for a line that never comes/);
    await client.waitClosed(5000);
    assert.equal(client.isOpen, false);
    // The unterminated tail is still matchable after the close.
    await client.expect(line('last words without newline'), { ...T, description: 'the tail' });
    await assert.rejects(client.expect(line('never'), { ...T, description: 'more' }), /closed while waiting for more/);
    await assert.rejects(client.send('x\n'), /cannot send, the connection is closed/);
  });

  it('waitClosed rejects when the server keeps the connection open', async () => {
    const port = await fakeServer(() => {});
    const client = await connect(port);
    await assert.rejects(client.waitClosed(50), /expected the server to close the connection within 50 ms/);
  });

  it('fails cleanly when the server floods 50 MB, keeping memory bounded', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'A'.charCodeAt(0));
    const port = await fakeServer((socket) => {
      let written = 0;
      const pump = () => {
        while (written < 50 * 1024 * 1024) {
          written += chunk.length;
          // A newline now and then: a flood of lines, not a single endless line.
          if (!socket.write(written % (1024 * 1024) === 0 ? Buffer.concat([chunk, Buffer.from('\n')]) : chunk)) {
            socket.once('drain', pump);
            return;
          }
        }
        socket.end();
      };
      pump();
    });
    const transcript = new Transcript();
    const client = await connect(port, { transcript });
    await assert.rejects(client.expect(line('OK'), { timeoutMs: 20000, description: 'a reply' }), /flooding\?\) while waiting for a reply/);
    await client.waitClosed(30000); // the whole flood was read and discarded
    const kept = client.unconsumed().reduce((sum, text) => sum + text.length, 0);
    assert.ok(kept <= 4 * 1024 * 1024, `kept ${kept} characters`);
    const rendered = transcript.render();
    assert.ok(rendered.length < 5 * 1024 * 1024, `transcript of ${rendered.length} characters`);
    assert.match(rendered, /transcript truncated/);
    await assert.rejects(client.expect(line('OK'), { ...T, description: 'another reply' }), /flooding/);
  });

  it('cannot connect to a closed port, with a readable message', async () => {
    const server = net.createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    await assert.rejects(connect(port), /alice: cannot connect to 127\.0\.0\.1:\d+: .*ECONNREFUSED/);
  });

  it('a matcher that throws fails the expectation with its message', async () => {
    const port = await fakeServer((socket) => socket.write('OK JOIN\n'));
    const client = await connect(port);
    const strict = (text: string) => {
      if (text.startsWith('OK JOIN') && text !== 'OK JOIN #r owner') throw new Error(`malformed reply "${text}"`);
      return null;
    };
    await assert.rejects(client.expect(strict, { ...T, description: 'the reply' }), /alice: malformed reply "OK JOIN"/);
  });
});

describe('TestClient, stream framing', () => {
  it('matches on accumulated text without newlines and cuts only the matched span', async () => {
    const port = await fakeServer((socket) => {
      socket.write('Bienvenue al');
      setTimeout(() => socket.write('ice! bob: salut'), 20);
    });
    const client = await connect(port, { framing: 'stream' });
    const groups = await client.expect(regexMatcher(/Bienvenue (?<nick>\w+)!/), { ...T, description: 'the welcome' });
    assert.deepEqual(groups, { nick: 'alice' });
    await client.expect(regexMatcher(/salut/), { ...T, description: 'the message', peek: true });
    assert.deepEqual(client.unconsumed(), [' bob: salut']);
  });
});

describe('TestClient sending and transcript', () => {
  it('sends parts in order and the transcript shows each fragment', async () => {
    const received: Buffer[] = [];
    const port = await fakeServer((socket) => socket.on('data', (data) => received.push(data)));
    const transcript = new Transcript();
    const client = await connect(port, { transcript });
    await client.sendParts(['/JO', Buffer.from('IN #r\n/PI'), 'NG\n'], 10);
    const deadline = Date.now() + 5000;
    while (Buffer.concat(received).length < 15 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(Buffer.concat(received).toString(), '/JOIN #r\n/PING\n');
    const rendered = transcript.render().split('\n');
    assert.match(rendered[0]!, /^\+\d+\.\d{3}s alice -- \(connected to 127\.0\.0\.1:\d+\)$/);
    assert.match(rendered[1]!, /^\+\d+\.\d{3}s alice -> \/JO \[no newline\]$/);
    assert.match(rendered[2]!, /^\+\d+\.\d{3}s alice -> IN #r$/);
    assert.match(rendered[3]!, /^\+\d+\.\d{3}s alice -> \/PI \[no newline\]$/);
    assert.match(rendered[4]!, /^\+\d+\.\d{3}s alice -> NG$/);
  });

  it('renders received lines with the arrow and makes control characters visible', () => {
    let now = 1000;
    const transcript = new Transcript(1000, () => now);
    now = 1012;
    transcript.record('bob', 'recv', 'OK JOIN #r owner\r\nMSG #r a \u001b[31m\n');
    assert.equal(transcript.render(), '+0.012s bob <- OK JOIN #r owner\\r\n+0.012s bob <- MSG #r a \\x1b[31m');
  });

  it('caps its size and says how much was dropped', () => {
    const transcript = new Transcript(10);
    transcript.record('a', 'recv', '0123456789abcdef\n');
    assert.match(transcript.render(), /a <- 0123456789 \[no newline\]\n\(transcript truncated: 7 more characters/);
  });
});

describe('TestClient, request marks', () => {
  it('an expectation after a mark never matches a line received before it, even one begun before it', async () => {
    let socketRef: net.Socket | undefined;
    const port = await fakeServer((socket) => {
      socketRef = socket;
      socket.write('OK early\nOK hal');
    });
    const client = await connect(port);
    await client.expect(line('OK early'), { ...T, description: 'the early line', peek: true });
    await new Promise((resolve) => setTimeout(resolve, 50)); // the partial "OK hal" is in
    const mark = client.requestMark();
    socketRef!.write('f\nOK late\n');
    const got = await client.expect(regexMatcher(/^OK (?<word>.+)$/), { ...T, description: 'a reply after the mark', after: mark });
    assert.deepEqual(got, { word: 'late' });
    assert.equal(client.takeNow(regexMatcher(/^OK/), mark), undefined, 'nothing else after the mark');
    assert.deepEqual(client.unconsumed(), ['OK early', 'OK half'], 'lines before the mark stay for other expectations');
  });
});

describe('TestClient, request marks with idle framing', () => {
  it('text received before the request is a unit of its own: the reply is never glued to it nor taken from it', async () => {
    let socketRef: net.Socket | undefined;
    const port = await fakeServer((socket) => {
      socketRef = socket;
      socket.write('EARLY NEWS');
    });
    const client = await connect(port, { framing: 'idle' });
    const deadline = Date.now() + 5000;
    // Wait until the early text is in, but take the mark before its idle gap (150 ms) ends the unit.
    while (client.unconsumed().length === 0 && Date.now() < deadline) {
      if ((client as unknown as { partial: string }).partial !== '') break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const mark = client.requestMark();
    socketRef!.write('REPLY');
    const got = await client.expect(regexMatcher(/^(?<all>.+)$/), { ...T, description: 'the reply', after: mark });
    assert.deepEqual(got, { all: 'REPLY' });
    assert.deepEqual(client.unconsumed(), ['EARLY NEWS'], 'the early text stays, as its own unit, for other expectations');
  });
});

describe('TestClient, what a failed wait says happened (issue #14)', () => {
  it('a reply that arrived but did not match is shown; text without a line ending is named; a connection that stopped answering is named', async () => {
    const port = await fakeServer((socket) => {
      socket.write('HELLO srv 1\n');
      let seen = 0;
      socket.on('data', () => {
        seen += 1;
        if (seen === 1) socket.write('ERR SOMETHING else\n');
        if (seen === 2) socket.write('OK no newline');
        // later lines: silence, the connection stays open
      });
    });
    const client = await connect(port);
    const quick = { timeoutMs: 300 };
    await client.send('/ONE\n');
    await assert.rejects(client.expect(line('OK ONE'), { ...quick, description: 'the reply to /ONE', after: 1 }), /but it did not arrive: a reply arrived but did not match: "ERR SOMETHING else"/);
    await client.send('/TWO\n');
    await assert.rejects(client.expect(line('OK TWO'), { ...quick, description: 'the reply to /TWO', after: client.requestMark() }), /text arrived without a line ending.*"OK no newline"/);
    const silentPort = await fakeServer((socket) => socket.write('HELLO srv 1\n')); // then never answers
    const silent = await connect(silentPort);
    await silent.expect(line('HELLO srv 1'), { ...T, description: 'the greeting' });
    await silent.send('/THREE\n');
    await assert.rejects(silent.expect(line('OK THREE'), { ...quick, description: 'the reply to /THREE', after: silent.requestMark() }), /nothing arrived within 300 ms after "\/THREE" \(the connection is still open\)/);
    await silent.send('/FOUR\n');
    await assert.rejects(silent.expect(line('OK FOUR'), { ...quick, description: 'the reply to /FOUR', after: silent.requestMark() }), /the server stopped answering on this connection after "\/THREE".*its handler may have died/);
  });
});
