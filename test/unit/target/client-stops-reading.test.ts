/**
 * The test client's "stops reading" mode (a client that does not read its output, PROTOCOL.md §7):
 * it still sends, keeps nothing of what arrives, and notices the server's close when asked to wait for it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { TestClient } from '../../../harness/wire/test-client.ts';
import { Transcript } from '../../../harness/wire/transcript.ts';

test('a client that stopped reading sends, keeps nothing it receives, and sees the server close', async (t) => {
  const received: Buffer[] = [];
  let serverSide: net.Socket | undefined;
  let bulkArrived: () => void = () => {};
  const gotBulk = new Promise<void>((resolve) => (bulkArrived = resolve));
  const server = net.createServer((socket) => {
    serverSide = socket;
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      if (Buffer.concat(received).length >= 3000) bulkArrived();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((done) => server.close(() => done())));
  const { port } = server.address() as AddressInfo;

  const transcript = new Transcript();
  const client = await TestClient.connect({ host: '127.0.0.1', port, user: 'bob', transcript, connectTimeoutMs: 5000 });
  t.after(() => client.destroy());
  client.stopReading();
  assert.equal(client.isReading, false);

  await client.sendBulk(Buffer.from('ask\n'.repeat(750)), 'sends "ask" 750 times', 5000);
  await gotBulk;
  assert.equal(Buffer.concat(received).toString(), 'ask\n'.repeat(750), 'every byte reached the server');

  // The server answers a lot and closes; the paused client reads again only to see the close.
  serverSide!.end(Buffer.alloc(256 * 1024, 0x61));
  await client.waitClosed(10_000);
  assert.deepEqual(client.unconsumed(), [], 'nothing of what arrived was kept');
  assert.match(transcript.render(), /stops reading what the server sends/);
  assert.match(transcript.render(), /262144 bytes received after it stopped reading were thrown away unseen/);
  assert.match(transcript.render(), /sends "ask" 750 times/);
  assert.doesNotMatch(transcript.render(), /ask\\nask/, 'the bulk is summarised, not copied');
});
