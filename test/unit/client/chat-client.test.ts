/**
 * ChatClient's pairing of replies with commands, on a tiny scripted server (loopback, ephemeral port).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ChatClient, type ChatClientListener } from '../../../reference-client/chat-client.ts';
import { execute } from '../../../reference-client/execute.ts';
import { dialectFromProfile, loadDialect } from '../../../reference-client/protocol-profile.ts';
import { makeStyle } from '../../../reference-client/render.ts';
import { parseProfile } from '../../../harness/dialect/load-profile.ts';

/** A server that answers each received line with `answer(line)` (lines, joined by \n), all in one write. */
async function scriptedServer(answer: (line: string) => string[]): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let buffered = '';
    socket.setEncoding('utf8').on('data', (text: string) => {
      buffered += text;
      let out = '';
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        for (const line of answer(buffered.slice(0, nl))) out += `${line}\n`;
        buffered = buffered.slice(nl + 1);
      }
      if (out) socket.write(out);
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function recorder(): ChatClientListener & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    onGreeting: () => seen.push('greeting'),
    onEvent: (event, fields) => seen.push(`event ${event} ${JSON.stringify(fields)}`),
    onUnexpected: (raw) => seen.push(`unexpected ${raw}`),
    onClose: (expected) => seen.push(`close ${expected}`),
  };
}

const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const close of closers) await close();
});

test('pipelined commands get their own replies in order; data lines go to the command they answer; events pass by', async () => {
  const server = await scriptedServer((line) => {
    if (line === '/HELP') return ['HELP one', 'MSG #r bob in between', 'HELP two', 'OK HELP'];
    if (line === '/JOIN #r') return ['OK JOIN #r member'];
    if (line === '/WHO') return ['OK WHO #r ~bob me'];
    return ['ERR UNKNOWN_COMMAND ?'];
  });
  closers.push(server.close);
  const listener = recorder();
  const client = await ChatClient.connect({ host: '127.0.0.1', port: server.port, connectTimeoutMs: 5000 }, loadDialect(), listener);
  closers.push(() => client.close(1000));

  const [help, join, who] = await Promise.all([
    client.request({ name: 'help', args: {} }),
    client.request({ name: 'join', args: { channel: '#r' } }),
    client.request({ name: 'who', args: {} }),
  ]);
  assert.deepEqual(help.data.map((d) => d.fields.text), ['one', 'two']);
  assert.equal(join.reply.fields.role, 'member');
  assert.equal(client.currentChannel, '#r');
  assert.equal(who.reply.fields.members, '~bob me');
  assert.ok(client.knownNicks.has('bob'));
  assert.deepEqual(listener.seen, ['event message {"channel":"#r","from":"bob","text":"in between"}']);
});

test('a silent command (no reply on success) is settled by the barrier; a refusal before the barrier is its outcome', async () => {
  const loose = dialectFromProfile(
    parseProfile(
      JSON.stringify({
        name: 'quiet',
        register: [{ send: '{nick}' }],
        replies: { error: [{ match: '^no: (?<reason>.*)$' }] },
        commands: { say: { send: '{text}', silent: true } },
        events: {},
        capabilities: { barrier: { send: 'SYNC {token}', expect: '^SYNCED {token}$' }, lobby: true, rawWire: false, errorCodes: false },
      }),
      'quiet (test)',
    ),
  );
  const server = await scriptedServer((line) => {
    const sync = /^SYNC (\S+)$/.exec(line);
    if (sync) return [`SYNCED ${sync[1]}`];
    if (line === 'shout') return ['no: too loud'];
    return []; // accepted in silence
  });
  closers.push(server.close);
  const listener = recorder();
  const client = await ChatClient.connect({ host: '127.0.0.1', port: server.port, connectTimeoutMs: 5000 }, loose, listener);
  closers.push(() => client.close(1000));

  const [fine, loud, after] = await Promise.all([
    client.request({ name: 'say', args: { text: 'hello' } }),
    client.request({ name: 'say', args: { text: 'shout' } }),
    client.request({ name: 'say', args: { text: 'again' } }),
  ]);
  assert.equal(fine.reply.ok, true);
  assert.equal(loud.reply.ok, false);
  assert.equal(loud.reply.fields.reason, 'too loud');
  assert.equal(after.reply.ok, true, 'the refused command’s own barrier answer must not be taken for the next one');
  assert.equal(client.waiting, 0);
  assert.deepEqual(listener.seen, [], 'no barrier answer is left over as an unexpected line');
});

test('two clients in one process: an upload running on one does not make the other\'s /SEND busy', async () => {
  // The /SEND to "slow" is never answered, so that upload stays running; the one to "bob" is accepted.
  const server = await scriptedServer((line) => {
    if (line === '/SEND bob f.txt 3') return ['OK SEND bob f.txt 3'];
    if (line.startsWith('/DATA ')) return ['OK DATA 3 3'];
    return [];
  });
  closers.push(server.close);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'client-upload-'));
  closers.push(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'f.txt'), 'abc');
  const connect = () => ChatClient.connect({ host: '127.0.0.1', port: server.port, connectTimeoutMs: 5000 }, loadDialect(), recorder());
  const [first, second] = [await connect(), await connect()];
  closers.push(() => second.close(1000));
  const shown = { first: [] as string[], second: [] as string[] };
  const context = (client: ChatClient, lines: string[]) => ({ client, style: makeStyle(false), output: { show: (text: string) => void lines.push(text) }, cwd: dir });

  const stuck = execute({ kind: 'send-file', nick: 'slow', path: 'f.txt' }, context(first, shown.first));
  await execute({ kind: 'send-file', nick: 'bob', path: 'f.txt' }, context(second, shown.second));
  assert.deepEqual(shown.second, ['sent f.txt (3 bytes) to bob']);

  await execute({ kind: 'send-file', nick: 'bob', path: 'f.txt' }, context(first, shown.first));
  assert.deepEqual(shown.first, ['error BUSY: an upload is still running; wait for it to finish'], 'one upload at a time per connection still');
  await first.close(1000); // ends the stuck upload (its reply will never come)
  await stuck;
  assert.equal(first.uploading, false);
});
