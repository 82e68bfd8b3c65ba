/**
 * CI smoke size of `npm run bench` (issue #8): asserts the report's shape and that nothing was lost,
 * never a speed. Runs the real CLI against the reference server it spawns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { fixtureCommand } from '../../support/fixture-command.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');

test('npm run bench (5 clients x 1 sender x 20 messages, 3 warm-up) against the reference server: full report, lost 0', async () => {
  const { stdout } = await run(
    'npm',
    ['run', '--silent', 'bench', '--', '--server', fixtureCommand('reference-server/net/cli.ts', '--port', '{port}'), '--clients', '5', '--senders', '1', '--messages', '20', '--warmup', '3', '--json'],
    { cwd: root, timeout: 60_000 },
  );
  const report = JSON.parse(stdout);
  assert.equal(report.dialect, 'canonical');
  assert.equal(report.clients, 5);
  assert.equal(report.senders, 1);
  assert.equal(report.messages, 20);
  assert.equal(report.window, 64);
  assert.equal(report.warmup, 3); // the default would be all 20 (defaultWarmup)
  assert.equal(report.expected, 80); // 1 sender x 20 measured messages x 4 other members
  assert.equal(report.received, 80);
  assert.equal(report.lost, 0);
  assert.equal(report.outOfOrder, 0);
  assert.equal(report.ended, 'complete');
  assert.deepEqual(report.errors, []);
  for (const key of ['setupMs', 'durationMs', 'deliveriesPerSec', 'generatorCores']) {
    assert.ok(Number.isFinite(report[key]) && report[key] >= 0, `${key} = ${report[key]}`);
  }
  for (const key of ['p50', 'p99', 'max']) assert.ok(Number.isFinite(report.latencyMs[key]), `latency ${key}`);
  assert.ok(report.latencyMs.p50 <= report.latencyMs.p99 && report.latencyMs.p99 <= report.latencyMs.max);
  assert.ok(report.server.peakRssBytes > 1_000_000, 'peak RSS of the spawned server is read from /proc');
});

test('npm run bench refuses a non-loopback target before connecting anywhere', async () => {
  await assert.rejects(
    run('npm', ['run', '--silent', 'bench', '--', '--target', '10.1.2.3:1459', '--clients', '2', '--messages', '1'], { cwd: root, timeout: 30_000 }),
    (error: { code?: number; stderr?: string }) => error.code === 2 && /loopback/.test(error.stderr ?? ''),
  );
});

test('npm run bench refuses a warm-up that is not a whole number of messages', async () => {
  await assert.rejects(
    run('npm', ['run', '--silent', 'bench', '--', '--target', '127.0.0.1:1459', '--warmup=-1'], { cwd: root, timeout: 30_000 }),
    (error: { code?: number; stderr?: string }) => error.code === 2 && /--warmup must be an integer of at least 0/.test(error.stderr ?? ''),
  );
});
