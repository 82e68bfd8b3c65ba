import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import { needsFreshTarget, startControlServer, TargetStartError } from '../../../harness/target/index.ts';
import { CONTROL_SECRET_HEADER } from '../../../harness/target/control-server.ts';
import { spawnedServer } from '../../../harness/target/spawned.ts';
import { tryConnect } from '../../../harness/target/probe.ts';
import type { TargetAddress } from '../../../harness/target/types.ts';
import { PROJECT_ROOT } from '../../../common/project-root.ts';

const ECHO = `node ${path.join(PROJECT_ROOT, 'test/fixtures/runner/echo-server.mjs')} {port}`;

/** Send one line and wait (bounded) until the server closes the connection. */
function sendAndAwaitClose(address: TargetAddress, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(address, () => socket.write(`${line}\n`));
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('server did not close the connection within 10 s'));
    }, 10_000);
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.resume();
  });
}

test('which scenarios get a freshly started target', () => {
  const plain = { uri: 'a.feature', tags: ['@v0'] };
  assert.equal(needsFreshTarget('run', 'a.feature', plain), false);
  assert.equal(needsFreshTarget('run', 'a.feature', { uri: 'a.feature', tags: ['@pristine'] }), true);
  assert.equal(needsFreshTarget('scenario', 'a.feature', plain), true);
  assert.equal(needsFreshTarget('feature', 'a.feature', plain), false);
  assert.equal(needsFreshTarget('feature', 'b.feature', plain), true);
  assert.equal(needsFreshTarget('feature', undefined, plain), false); // the first scenario gets the just-started one
});

test('a spawned server that dies is named (exit code + stderr) and restarted on a new port', async () => {
  const target = spawnedServer({ command: ECHO, startTimeoutMs: 10_000, operPassword: undefined });
  after(() => target.stop());
  const first = await target.start();
  assert.equal(await tryConnect(first, 2000), undefined, 'accepting after start');
  const mark = target.crashCount();
  await sendAndAwaitClose(first, 'CRASH 5');
  const crashes = await target.crashesSince(mark, true);
  assert.equal(crashes.length, 1);
  assert.match(crashes[0]!.text, /^target crashed: exited with code 5\nlast stderr lines:\n {2}\| fixture: boom, crash requested with code 5/);
  assert.match(crashes[0]!.text, /server command: node .*echo-server\.mjs \d+/);

  const second = await target.acquire(false);
  assert.notEqual(second.port, first.port);
  assert.equal(await tryConnect(second, 2000), undefined, 'restarted server accepts');
  assert.equal((await target.crashesSince(mark + 1, false)).length, 0, 'a restart is not a crash');

  // fresh=true restarts a used instance; stopping kills it.
  const third = await target.acquire(true);
  assert.notEqual(third.port, second.port);
  await target.stop();
  assert.notEqual(await tryConnect(third, 2000), undefined, 'nothing listens after stop');
  assert.equal(target.crashCount(), 1, 'stopping on purpose is not a crash');
});

test('a server that cannot start is a TargetStartError naming its exit; after 3 failures the runner gives up', async () => {
  const target = spawnedServer({ command: `${ECHO} --fail-start`, startTimeoutMs: 10_000, operPassword: undefined });
  after(() => target.stop());
  await assert.rejects(target.start(), (error: unknown) => {
    assert.ok(error instanceof TargetStartError);
    assert.match(error.message, /did not start: it exited with code 7.*refusing to start/);
    assert.doesNotMatch(error.message, /\n/);
    return true;
  });
  await assert.rejects(target.acquire(false), TargetStartError);
  await assert.rejects(target.acquire(false), TargetStartError);
  await assert.rejects(target.acquire(false), /given up after 3 failed starts/);
});

test('a server that never listens times out (bounded) and its process group is killed', async () => {
  const marker = `runner-never-listens-${process.pid}`;
  const target = spawnedServer({ command: `node -e "setInterval(() => {}, 1000)" ${marker} {port}`, startTimeoutMs: 400, operPassword: undefined });
  after(() => target.stop());
  // Readiness watches the listening sockets (no probe connection), or probes where /proc is missing.
  await assert.rejects(target.start(), /(not listening on port \d+|not accepting connections on 127\.0\.0\.1:\d+) .* after 400 ms/);
  const left = await execa('pgrep', ['-f', marker], { reject: false });
  assert.equal(left.stdout.trim(), '', 'no process of the group survives');
});

test('the control endpoint hands out the target and reports crashes since a mark', async () => {
  const target = spawnedServer({ command: ECHO, startTimeoutMs: 10_000, operPassword: undefined });
  after(() => target.stop());
  await target.start();
  const control = await startControlServer(target, 'run');
  after(() => control.close());
  const post = async (p: string, body: unknown) => {
    const response = await fetch(`${control.url}${p}`, { method: 'POST', headers: { [CONTROL_SECRET_HEADER]: control.secret }, body: JSON.stringify(body), signal: AbortSignal.timeout(20_000) });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  const begun = await post('/begin', { uri: 'a.feature', tags: [] });
  assert.equal(begun.status, 200);
  const address = begun.json.target as TargetAddress;
  await sendAndAwaitClose(address, 'CRASH 9');
  const ended = await post('/end', { mark: begun.json.mark, failed: true });
  assert.equal(ended.status, 200);
  const crashes = ended.json.crashes as string[];
  assert.equal(crashes.length, 1);
  assert.match(crashes[0]!, /target crashed: exited with code 9/);

  const next = await post('/begin', { uri: 'a.feature', tags: [] });
  assert.notEqual((next.json.target as TargetAddress).port, address.port, 'restarted for the next scenario');
  assert.deepEqual(next.json.earlierCrashes, [], 'already reported by /end');

  // A crash that the ending scenario does not wait for is handed to the next scenario: never lost.
  await sendAndAwaitClose(next.json.target as TargetAddress, 'CRASH 4');
  const quickEnd = await post('/end', { mark: next.json.mark, failed: false });
  const third = await post('/begin', { uri: 'a.feature', tags: [] });
  const seen = [...(quickEnd.json.crashes as string[]), ...(third.json.earlierCrashes as string[])];
  if (seen.length === 0) {
    // The exit may not even have been observed yet; the one after surely has it (bounded by the test timeout).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    seen.push(...((await post('/end', { mark: third.json.mark, failed: true })).json.crashes as string[]));
    seen.push(...((await post('/begin', { uri: 'a.feature', tags: [] })).json.earlierCrashes as string[]));
  }
  assert.equal(seen.length, 1);
  assert.match(seen[0]!, /exited with code 4/);
  assert.equal((await post('/nowhere', {})).status, 503);
});
