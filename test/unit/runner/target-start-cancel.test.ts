/**
 * Stopping the run while a spawned server is still starting kills that server's process group at once
 * (it used to wait for the start to finish or time out, and an exiting runner left the server running).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execa } from 'execa';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnedServer } from '../../../harness/target/spawned.ts';
import { TargetStartError } from '../../../harness/target/types.ts';

/** PIDs of processes whose command line contains `marker`. */
async function running(marker: string): Promise<string[]> {
  const result = await execa('pgrep', ['-f', marker], { reject: false });
  return result.stdout.split('\n').filter((line) => line.trim() !== '');
}

/** Polls (bounded: 100 x 50 ms) until `check` holds; returns whether it did. */
async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return true;
    await sleep(50);
  }
  return false;
}

/** A server that never listens: its start would only end after the (long) start timeout. */
function neverListening(marker: string) {
  return spawnedServer({ command: `node -e "setInterval(() => {}, 1000)" ${marker} {port}`, startTimeoutMs: 120_000, operPassword: undefined });
}

test('stop() during a start kills the starting server and the start fails with a clear message', { timeout: 30_000 }, async () => {
  const marker = `runner-stop-while-starting-${process.pid}`;
  const target = neverListening(marker);
  after(() => target.killNow());
  const starting = target.start();
  starting.catch(() => undefined);
  assert.ok(await eventually(async () => (await running(marker)).length > 0), 'the server process appeared');

  await target.stop();
  await assert.rejects(starting, (error: unknown) => {
    assert.ok(error instanceof TargetStartError);
    assert.match(error.message, /did not start: the run was stopped while it was starting/);
    return true;
  });
  assert.ok(await eventually(async () => (await running(marker)).length === 0), 'no process of the group survives stop()');
});

test('killNow() during a start kills the starting server synchronously (the runner is exiting)', { timeout: 30_000 }, async () => {
  const marker = `runner-kill-while-starting-${process.pid}`;
  const target = neverListening(marker);
  after(() => target.stop());
  const starting = target.start();
  starting.catch(() => undefined);
  assert.ok(await eventually(async () => (await running(marker)).length > 0), 'the server process appeared');

  target.killNow();
  assert.ok(await eventually(async () => (await running(marker)).length === 0), 'no process of the group survives killNow()');
  await assert.rejects(starting, TargetStartError);
});

test('a server killed by a signal while starting is reported as "it was killed by signal ..."', { timeout: 30_000 }, async () => {
  const target = spawnedServer({ command: 'kill -9 $$ # {port}', startTimeoutMs: 10_000, operPassword: undefined });
  after(() => target.stop());
  await assert.rejects(target.start(), (error: unknown) => {
    assert.ok(error instanceof TargetStartError);
    assert.match(error.message, /did not start: it was killed by signal SIGKILL/);
    return true;
  });
});
