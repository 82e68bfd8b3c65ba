// unit-files: own process (the quiet waits are learned from reply latencies measured on this process's event loop)
/**
 * The Session's quiet waits without a barrier (harness/wire/quiet-wait.ts): it learns the reply latency, waits
 * by it, notices a reply that came after it stopped waiting (and lengthens the waits), gives a silent
 * "success" a second look before a refusal expectation fails on it, and settles a row of silent lines once.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeFakeServers, fakeServer } from '../../support/fake-server.ts';
import { CONSOLE_FLOOR_MS, createSession } from '../../../harness/session/session.ts';
import { parseProfile } from '../../../harness/dialect/load-profile.ts';
import { MIN_SAMPLES, QuietWait } from '../../../harness/wire/quiet-wait.ts';
import type { Session } from '../../../harness/session/session-api.ts';

const sessions: Session[] = [];
after(async () => {
  for (const session of sessions) await session.closeAll();
  await closeFakeServers();
});

/** How late the server refuses "JOIN #slow...", ms: far beyond what it teaches about its latency. */
const SLOW_REFUSAL_MS = 1500;
/** How long "JOIN #stall..." holds the event loop after its prompt refusal, ms: longer than any learned wait. */
const STALL_MS = 400;

/**
 * Lines: a nick registers ("Welcome <nick>"); JOIN is silent ("#slow..." refused late, "#bad..." at once,
 * "#stall..." at once and then the event loop held); WHO answers; message<text> is relayed.
 */
async function silentServer(): Promise<{ port: number; said: string[] }> {
  const members: net.Socket[] = [];
  const said: string[] = [];
  const port = await fakeServer((socket) => {
    let nick: string | undefined;
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      buffered += text;
      for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
        const line = buffered.slice(0, end);
        buffered = buffered.slice(end + 1);
        if (!nick) {
          nick = line;
          socket.write(`Welcome ${nick}\n`);
        } else if (line.startsWith('JOIN #slow')) {
          setTimeout(() => socket.write('Refused\n'), SLOW_REFUSAL_MS);
        } else if (line.startsWith('JOIN #bad')) {
          socket.write('Refused\n');
        } else if (line.startsWith('JOIN #stall')) {
          // Refused at once, then this process's event loop is held (the server runs in it): the quiet
          // wait's timer expires while the refusal waits unread in the client's socket.
          socket.write('Refused\n');
          for (const until = Date.now() + STALL_MS; Date.now() < until; ) {
            // busy
          }
        } else if (line.startsWith('JOIN ')) {
          members.push(socket);
        } else if (line === 'WHO') {
          socket.write(`Members: ${nick}\n`);
        } else if (line.startsWith('message')) {
          said.push(line.slice('message'.length));
          for (const member of members) if (member !== socket) member.write(`${nick}: ${line.slice('message'.length)}\n`);
        }
      }
    });
  });
  return { port, said };
}

const profile = parseProfile(
  JSON.stringify({
    name: 'silent-lines',
    register: [{ send: '{nick}' }, { expect: 'Welcome (?<nick>\\S+)' }],
    replies: { error: ['Refused'] },
    commands: {
      join: { send: 'JOIN {channel}', silent: true },
      say: { send: 'message{text}', silent: true },
      who: { send: 'WHO', ok: 'Members: (?<members>.*)' },
    },
    events: { message: '{from}: {text}' },
    capabilities: { lobby: true, rawWire: false, errorCodes: false },
  }),
  'silent-lines',
);

/** quietMs far above any loopback latency: a learned wait is visibly shorter than the configured one. */
function session(port: number, quiet: QuietWait): Session {
  const created = createSession(
    { target: { host: '127.0.0.1', port }, profile: 'silent-lines', timeoutMs: 5000, quietMs: 2000, pristine: false },
    { profile, quietWait: quiet },
  );
  sessions.push(created);
  return created;
}

const freshQuiet = (): QuietWait => new QuietWait({ quietMs: 2000, ceilingMs: 2500, adaptive: true });

async function teach(s: Session, user: string, quiet: QuietWait): Promise<void> {
  await s.register(user);
  while (quiet.summary().samples < MIN_SAMPLES) await s.run(user, 'who');
}

describe('quiet waits learned from the reply latency', () => {
  it('registration and replies teach the latency; the waits then follow it, below the configured period', async () => {
    const { port } = await silentServer();
    const quiet = freshQuiet();
    const s = session(port, quiet);
    await teach(s, 'alice', quiet);
    const learnedWait = quiet.waitMs();
    assert.ok(learnedWait < 2000, `learned wait ${learnedWait} ms should be below the configured 2000 ms`);
    const joined = await s.run('alice', 'join', { channel: s.channel('#room') });
    assert.equal(joined.ok, true);
    const refused = await s.run('alice', 'join', { channel: s.channel('#bad') });
    assert.equal(refused.ok, false, 'a prompt refusal is seen within the learned wait');
    assert.ok((quiet.summary().maxWaitMs ?? 0) <= learnedWait + 1);
  });

  it('a refusal that arrived while the event loop was busy past the wait\'s end is read before the wait concludes', async () => {
    const { port } = await silentServer();
    const quiet = freshQuiet();
    const s = session(port, quiet);
    await teach(s, 'alice', quiet);
    assert.ok(quiet.waitMs() < STALL_MS, `the learned wait (${quiet.waitMs()} ms) ends while the loop is held`);
    const refused = await s.run('alice', 'join', { channel: s.channel('#stall') });
    assert.equal(refused.ok, false, 'the refusal was in the socket before the wait ended: not a silent success');
    assert.equal(quiet.summary().lateArrivals, 0, 'and not a late reply either');
  });

  it('a refusal slower than the learned wait: the success is tentative, recheck finds the refusal, the waits lengthen', async () => {
    const { port } = await silentServer();
    const quiet = freshQuiet();
    const s = session(port, quiet);
    await teach(s, 'alice', quiet);
    const tentative = await s.run('alice', 'join', { channel: s.channel('#slow') });
    assert.equal(tentative.ok, true, 'the learned wait ended before the slow refusal');
    const rechecked = await s.recheck('alice', tentative);
    assert.equal(rechecked.ok, false, 'the second look waits up to the ceiling and finds it');
    assert.equal(quiet.summary().lateArrivals, 1, 'the late reply was noticed');
    assert.ok(quiet.waitMs() >= 1000, `after a reply ${SLOW_REFUSAL_MS} ms late, waits cover it (now ${quiet.waitMs()} ms)`);
    assert.match(s.transcript(), /after a quiet wait had ended: later quiet waits are lengthened/);
    // A reply that is not a tentative success is returned as it is.
    assert.equal(await s.recheck('alice', rechecked), rechecked);
  });

  it('runAll sends a row of silent lines in order and settles them once', async () => {
    const { port, said } = await silentServer();
    const quiet = freshQuiet();
    const s = session(port, quiet);
    await teach(s, 'alice', quiet);
    await s.register('bob');
    await s.run('alice', 'join', { channel: s.channel('#room') });
    await s.run('bob', 'join', { channel: s.channel('#room') });
    const before = quiet.summary();
    const texts = Array.from({ length: 40 }, (_, i) => ({ text: `m${i + 1}` }));
    const reply = await s.runAll('alice', 'say', texts);
    assert.equal(reply.ok, true);
    const after = quiet.summary();
    assert.equal(after.waits + after.freeChecks - (before.waits + before.freeChecks), 1, 'one settle for the whole row');
    assert.deepEqual(said, texts.map((t) => t.text), 'every line reached the server, in order, as its own line');
    for (const { text } of texts) await s.expectEvent('bob', 'message', { from: s.nick('alice'), text });
  });

  it('runAll of silent lines reports a refusal among them', async () => {
    const { port } = await silentServer();
    const quiet = freshQuiet();
    const s = session(port, quiet);
    await teach(s, 'alice', quiet);
    const reply = await s.runAll('alice', 'join', [{ channel: s.channel('#bad') }, { channel: s.channel('#room') }]);
    assert.equal(reply.ok, false);
  });

  it('client-driven mode: a reply that includes the client program\'s own start-up is not a latency sample', async () => {
    const { port } = await silentServer();
    const quiet = freshQuiet();
    const client = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/clients/slow-start-client.mjs');
    const s = createSession(
      { target: { host: '127.0.0.1', port }, profile: 'silent-lines', timeoutMs: 5000, quietMs: 2000, pristine: false, client: `node ${client} {host} {port} 400` },
      { profile, quietWait: quiet },
    );
    sessions.push(s);
    assert.equal((await s.register('alice')).ok, true);
    assert.equal(quiet.summary().samples, 0, 'the nick was typed while the program was still starting: its 400 ms start-up is no reply latency');
    await s.run('alice', 'who');
    assert.equal(quiet.summary().samples, 1, 'once the program runs, its replies are samples');
    assert.ok((quiet.summary().latencyMs ?? Infinity) < 400, `latency ${quiet.summary().latencyMs} ms`);
  });
});

describe('the wait after a console line whose answer cannot be read', () => {
  it('the configured quiet period before anything is learned; then the learned wait, never below the console floor', async () => {
    const { port } = await silentServer();
    const quiet = freshQuiet();
    const s = session(port, quiet);
    assert.equal(s.consoleWaitMs(), 2000, 'nothing learned yet: the configured quiet period');
    await teach(s, 'alice', quiet);
    const learned = quiet.waitMs();
    assert.ok(learned < CONSOLE_FLOOR_MS, `loopback latency teaches a wait below the floor (${learned} ms)`);
    assert.equal(s.consoleWaitMs(), CONSOLE_FLOOR_MS);
  });

  it('with fixed quiet waits (--fixed-quiet), the configured quiet period', async () => {
    const { port } = await silentServer();
    const quiet = freshQuiet();
    const s = createSession({ target: { host: '127.0.0.1', port }, profile: 'silent-lines', timeoutMs: 5000, quietMs: 2000, fixedQuiet: true, pristine: false }, { profile, quietWait: quiet });
    sessions.push(s);
    await teach(s, 'alice', quiet);
    assert.equal(s.consoleWaitMs(), 2000);
  });
});
