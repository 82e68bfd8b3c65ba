/**
 * Socket-level fuzzer (issue #7.2) against a running reference server (startServer, port 0, loopback):
 * random bytes, valid sessions cut at random byte offsets, huge lines, output floods from clients that
 * never read, resets mid-line and connection storms, several at a time, bounded by FUZZ_ITERATIONS and
 * FUZZ_BUDGET_MS. Afterwards: a bystander that was connected all along and two fresh clients still get
 * correct service (register, join, message delivered, WHO correct), the server holds no leftover
 * connection, and the heap (the server runs in this process) stayed bounded while far more bytes than
 * that bound went through it. Counts are printed (test diagnostics) and recorded in docs/VALIDITY.md.
 * Replay: FUZZ_SEED=<printed seed>.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { startServer, type RunningServer } from '../../../reference-server/index.ts';
import { LineClient } from '../net/helpers.ts';
import { connectStorm, hugeLine, outputFlood, randomBytes, resetMidLine, splitSession } from './behaviours.ts';
import { prng } from '../../support/prng.ts';

const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 150);
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 20_000);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONCURRENCY = 6;
/** The server's output cap here: small, so floods reach it quickly. */
const MAX_OUTPUT_BYTES = 1024 * 1024;
/** Heap the whole fuzz may add at its peak. Far less than the bytes sent: nothing big is buffered. */
const PEAK_HEAP_GROWTH = 96 * 1024 * 1024;
/** Heap left over once everything is closed and collected: no leak per connection. */
const RESIDUAL_HEAP_GROWTH = 16 * 1024 * 1024;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

describe('socket fuzzer', () => {
  let server: RunningServer;
  const logs: string[] = [];

  before(async () => {
    server = await startServer({
      host: '127.0.0.1',
      port: 0,
      maxOutputBytes: MAX_OUTPUT_BYTES,
      registrationTimeoutMs: 0,
      log: (line) => {
        if (logs.length < 10_000) logs.push(line);
      },
    });
  });
  after(() => server.close());

  it('survives hostile clients and keeps serving correctly with bounded memory', async (t) => {
    const random = prng(SEED);
    t.diagnostic(`seed ${SEED} (replay with FUZZ_SEED=${SEED})`);

    // A bystander in a channel for the whole run: it must never be disturbed.
    const bystander = await LineClient.connect(server.port);
    t.after(() => bystander.destroy());
    await bystander.nextLine(); // HELLO
    await bystander.send('bystander');
    assert.equal(await bystander.nextLine(), 'OK WELCOME bystander');
    await bystander.send('/JOIN #fz0');
    assert.equal(await bystander.nextLine(), 'OK JOIN #fz0 owner');

    const baseline = heapAfterGc();
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
    t.after(() => clearInterval(sampler));

    const counts = { iterations: 0, connections: 0, bytes: 0, randomBytes: 0, splitSessions: 0, hugeLines: 0, floods: 0, resets: 0, storms: 0 };
    const failures: string[] = [];
    const deadline = Date.now() + BUDGET_MS;
    let next = 0;

    async function worker(): Promise<void> {
      while (next < ITERATIONS && Date.now() < deadline) {
        const id = next++;
        const pick = random();
        if (pick < 0.3) {
          const bytes = await randomBytes(server.port, random); // awaited first: `x += await` would lose concurrent updates
          counts.bytes += bytes;
          counts.randomBytes++;
        } else if (pick < 0.6) {
          const bytes = await splitSession(server.port, random, id);
          counts.bytes += bytes;
          counts.splitSessions++;
        } else if (pick < 0.7) {
          const { bytes, answeredOnce } = await hugeLine(server.port, random, id);
          counts.bytes += bytes;
          counts.hugeLines++;
          if (!answeredOnce) failures.push(`huge line ${id}: not exactly one LINE_TOO_LONG followed by service`);
        } else if (pick < 0.76) {
          const { bytes, cutOff } = await outputFlood(server.port, id);
          counts.bytes += bytes;
          counts.floods++;
          if (!cutOff) failures.push(`flood ${id}: a client that never reads was not disconnected`);
        } else if (pick < 0.92) {
          const bytes = await resetMidLine(server.port, random, id, '#fz0');
          counts.bytes += bytes;
          counts.resets++;
        } else {
          await connectStorm(server.port, random);
          counts.storms++;
        }
        counts.iterations++;
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, () => worker()));
    clearInterval(sampler);
    // Every socket the server accepted, the bystander excepted (storms open 5 to 20 each).
    counts.connections = logs.filter((l) => / connected$/.test(l)).length - 1;

    t.diagnostic(
      `fuzz: ${counts.iterations} iterations, ${counts.connections} connections, ${mb(counts.bytes)} sent ` +
        `(random bytes ${counts.randomBytes}, split sessions ${counts.splitSessions}, huge lines ${counts.hugeLines}, ` +
        `floods ${counts.floods}, resets mid-line ${counts.resets}, connection storms ${counts.storms}); ` +
        `heap baseline ${mb(baseline)}, peak +${mb(peak - baseline)}`,
    );
    assert.deepEqual(failures, []);
    assert.ok(counts.iterations >= Math.min(ITERATIONS, 30), `only ${counts.iterations} iterations ran within the budget`);
    assert.ok(!logs.some((l) => l.startsWith('core failed')), `the core threw:\n${logs.filter((l) => l.startsWith('core failed')).join('\n')}`);

    // Every fuzz connection is gone from the server's state (bounded wait for the last closes).
    for (let i = 0; i < 200 && server.stats().connections > 1; i++) await new Promise((r) => setTimeout(r, 25));
    assert.deepEqual(server.stats(), { connections: 1, registered: 1, channels: 1 }, 'leftover connections or channels');

    const residual = heapAfterGc() - baseline;
    t.diagnostic(`heap after the run, collected: +${mb(residual)}`);
    assert.ok(peak - baseline < PEAK_HEAP_GROWTH, `heap grew by ${mb(peak - baseline)} at its peak while ${mb(counts.bytes)} went through`);
    assert.ok(residual < RESIDUAL_HEAP_GROWTH, `heap still ${mb(residual)} above the baseline after the run`);

    // The bystander was never disturbed: still connected, and served.
    await bystander.sync('bystander-after');
    assert.ok(!bystander.isClosed);

    // Fresh clients get correct service.
    const ann = await LineClient.connect(server.port);
    const bob = await LineClient.connect(server.port);
    t.after(() => {
      ann.destroy();
      bob.destroy();
    });
    for (const [client, nick] of [[ann, 'ann'], [bob, 'bob']] as const) {
      assert.match(await client.nextLine(), /^HELLO /);
      await client.send(nick);
      assert.equal(await client.nextLine(), `OK WELCOME ${nick}`);
    }
    await ann.send('/JOIN #after');
    assert.equal(await ann.nextLine(), 'OK JOIN #after owner');
    await bob.send('/JOIN #after');
    assert.equal(await bob.nextLine(), 'OK JOIN #after member');
    await ann.send('the server still works');
    assert.deepEqual(await ann.sync('ann-1'), ['JOIN #after bob', 'OK SAY #after']);
    assert.deepEqual(await bob.sync('bob-1'), ['MSG #after ann the server still works']);
    await bob.send('/WHO');
    assert.equal(await bob.nextLine(), 'OK WHO #after ~ann bob');
    await bob.send('/LIST');
    assert.equal(await bob.nextLine(), 'OK LIST #after #fz0');
  });
});
