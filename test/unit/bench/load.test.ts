/** The load generator in-process, against small relays started by the test: counting, window, loss. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { defaultWarmup, runLoad, WARMUP_DELIVERIES, WARMUP_MESSAGES } from '../../../bench/load.ts';
import { canonicalDialect } from '../../../bench/profile.ts';
import { startNaiveRelay } from '../../../bench/baselines/naive-relay.ts';

function portOf(server: net.Server): number {
  return (server.address() as net.AddressInfo).port;
}

test('several senders with a small window: every delivery counted once, in order', async (t) => {
  const relay = await startNaiveRelay(0);
  t.after(() => relay.close());
  const result = await runLoad({ host: '127.0.0.1', port: portOf(relay), dialect: canonicalDialect(), clients: 6, senders: 3, messages: 40, window: 2, idleTimeoutMs: 5000 });
  assert.equal(result.expected, 3 * 40 * 5);
  assert.equal(result.received, result.expected);
  assert.equal(result.lost, 0);
  assert.equal(result.outOfOrder, 0);
  assert.equal(result.ended, 'complete');
  // Sent before and outside the measurement: WARMUP_DELIVERIES would need more, capped at the run's own size.
  assert.ok(WARMUP_DELIVERIES > 3 * 5 * 40);
  assert.equal(result.warmup, 40);
});

test('the default warm-up: enough deliveries AND enough messages, at least 10 %, never more than the run', () => {
  // 50x1x2000: 100,000 deliveries need 2041 messages, capped at the run's 2000.
  assert.equal(defaultWarmup(50, 1, 2000), 2000);
  // 200x10x200: deliveries alone would give 51 per sender (510 messages); the message floor gives 200 each.
  assert.equal(Math.ceil(WARMUP_DELIVERIES / (10 * 199)), 51);
  assert.equal(defaultWarmup(200, 10, 200), WARMUP_MESSAGES / 10);
  // 200x10x1000: the message floor (200 each), not the deliveries (51) nor 10 % (100).
  assert.equal(defaultWarmup(200, 10, 1000), 200);
  // 1000x1x100: capped at the run's own size.
  assert.equal(defaultWarmup(1000, 1, 100), 100);
  // A long run: 10 % of it.
  assert.equal(defaultWarmup(200, 10, 20_000), 2000);
  // Every sender sends at least one.
  assert.equal(defaultWarmup(2, 1, 1), 1);
});

test('clients spread over three worker threads: windows advance across shards, nothing lost or reordered', async (t) => {
  const relay = await startNaiveRelay(0);
  t.after(() => relay.close());
  // window 1: each message must be seen by all 6 recipients, in three shards, before the next is sent.
  const result = await runLoad({ host: '127.0.0.1', port: portOf(relay), dialect: canonicalDialect(), clients: 7, senders: 3, messages: 30, window: 1, workers: 3, idleTimeoutMs: 5000 });
  assert.equal(result.workers, 3);
  assert.equal(result.received, 3 * 30 * 6);
  assert.equal(result.lost, 0);
  assert.equal(result.outOfOrder, 0);
  assert.deepEqual(result.errors, []);
});

test('a fixed rate is honoured as an upper bound and still delivers everything', async (t) => {
  const relay = await startNaiveRelay(0);
  t.after(() => relay.close());
  const result = await runLoad({ host: '127.0.0.1', port: portOf(relay), dialect: canonicalDialect(), clients: 3, senders: 1, messages: 20, rate: 200, warmup: 0 });
  assert.equal(result.lost, 0);
  assert.equal(result.rate, 200);
  // 20 messages at 200/s cannot finish in much less than 95 ms (the first is sent at once).
  assert.ok(result.durationMs >= 90, `durationMs ${result.durationMs}`);
});

/** A relay that silently drops every 7th plain line: the generator must report the loss, not hang. */
async function startLossyRelay(): Promise<net.Server> {
  const members: net.Socket[] = [];
  let said = 0;
  const server = net.createServer((socket) => {
    let nick = '';
    let buffered = '';
    socket.write('HELLO lossy 1\n');
    socket.on('data', (data) => {
      const lines = (buffered + data.toString()).split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (nick === '') {
          nick = line;
          socket.write(`OK WELCOME ${nick}\n`);
        } else if (line.startsWith('/JOIN ')) {
          members.push(socket);
          socket.write(`OK JOIN ${line.slice(6)} member\n`);
        } else if (++said % 7 !== 0) {
          for (const other of members) if (other !== socket) other.write(`MSG #bench ${nick} ${line}\n`);
        }
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

test('lost deliveries are reported when the server drops messages (bounded by the idle timeout)', async (t) => {
  const relay = await startLossyRelay();
  t.after(() => relay.close());
  const result = await runLoad({ host: '127.0.0.1', port: portOf(relay), dialect: canonicalDialect(), clients: 3, senders: 1, messages: 30, warmup: 0, idleTimeoutMs: 300 });
  assert.equal(result.ended, 'idle-timeout');
  assert.ok(result.lost > 0, `lost ${result.lost}`);
  assert.equal(result.received + result.lost, result.expected);
  assert.ok(result.outOfOrder > 0, 'a gap in the sequence is an out-of-order delivery');
});

test('setup fails clearly when registration is refused', async (t) => {
  const server = net.createServer((socket) => {
    socket.write('HELLO full 1\n');
    socket.on('data', () => socket.write('ERR SERVER_FULL try later\n'));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => server.close());
  await assert.rejects(runLoad({ host: '127.0.0.1', port: portOf(server), dialect: canonicalDialect(), clients: 2, senders: 1, messages: 1 }), /registration refused: ERR SERVER_FULL/);
});
