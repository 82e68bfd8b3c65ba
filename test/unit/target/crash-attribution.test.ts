/**
 * Crash attribution (issue #14): a death of the target during a scenario's steps is that scenario's
 * (its block once; any other scenario that saw it gets a pointer); a death its teardown caused (its
 * connections closing) is a disconnect finding, seen before /end answers, so the next /begin gets a
 * restarted server that listens; readiness never opens a connection, so a server that dies when a
 * silent client leaves survives its own start; a @server-wide scenario gets the next one a fresh server.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startControlServer } from '../../../harness/target/index.ts';
import { CONTROL_SECRET_HEADER, type BeginResponse, type ControlServer, type EndResponse } from '../../../harness/target/control-server.ts';
import { CRASH_POINTER_PREFIX, DISCONNECT_CRASH_PREFIX } from '../../../harness/target/crash-notes.ts';
import { spawnedServer } from '../../../harness/target/spawned.ts';
import type { TargetAddress } from '../../../harness/target/types.ts';
import { PROJECT_ROOT } from '../../../common/project-root.ts';

const FRAGILE = `node ${path.join(PROJECT_ROOT, 'test/fixtures/runner/echo-server.mjs')} {port} --die-on-close`;
const ECHO = `node ${path.join(PROJECT_ROOT, 'test/fixtures/runner/echo-server.mjs')} {port}`;

async function post<T>(control: ControlServer, route: string, body: unknown): Promise<T> {
  const response = await fetch(`${control.url}${route}`, {
    method: 'POST',
    headers: { [CONTROL_SECRET_HEADER]: control.secret },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  assert.equal(response.status, 200, `${route} answered ${response.status}`);
  return (await response.json()) as T;
}

/** Connect, send `line`, wait for its echo (bounded); the caller closes the socket. */
function echoOnce(address: TargetAddress, line: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(address);
    let text = '';
    const timer = setTimeout(() => reject(new Error(`no echo of ${line} within 5 s`)), 5000);
    socket.setEncoding('utf8');
    socket.on('error', reject);
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes(`ECHO ${line}\n`)) {
        clearTimeout(timer);
        resolve(socket);
      }
    });
    socket.once('connect', () => socket.write(`${line}\n`));
  });
}

/**
 * One scenario talks, then closes its connection on a server that dies of that: the death is the
 * teardown's finding, seen before /end answers, and the next scenario gets a restarted server and
 * nothing of the first one's.
 */
async function teardownDeathThenNextScenario(t: TestContext, command: string): Promise<void> {
  const target = spawnedServer({ command, startTimeoutMs: 10_000, operPassword: undefined });
  t.after(() => target.stop());
  await target.start();
  await sleep(300);
  assert.equal(target.crashCount(), 0, 'starting it opened no connection that could kill it');
  const control = await startControlServer(target, 'run');
  t.after(() => control.close());

  const first = await post<BeginResponse>(control, '/begin', { uri: 'a.feature', tags: [], name: 'first' });
  const socket = await echoOnce(first.target, 'hello');
  const teardownAt = Date.now();
  socket.destroy();
  const ended = await post<EndResponse>(control, '/end', { mark: first.mark, failed: false, teardownAt, name: 'first' });
  assert.deepEqual(ended.crashes, [], 'not a crash of its steps');
  assert.equal(ended.disconnectCrashes.length, 1, 'its death was waited for: seen before /end answered');
  assert.ok(ended.disconnectCrashes[0]!.startsWith(DISCONNECT_CRASH_PREFIX));
  assert.match(ended.disconnectCrashes[0]!, /target crashed: exited with code 9/);

  const second = await post<BeginResponse>(control, '/begin', { uri: 'a.feature', tags: [], name: 'second' });
  assert.deepEqual(second.earlierCrashes, [], 'nothing left over for the next scenario');
  assert.notEqual(second.target.port, first.target.port, 'restarted');
  const again = await echoOnce(second.target, 'still here'); // accepted at once: it listened before /begin answered
  again.destroy();
  const secondEnd = await post<EndResponse>(control, '/end', { mark: second.mark, failed: false, teardownAt: Date.now() - 1, name: 'second' });
  assert.deepEqual(secondEnd.crashes, [], 'nothing of the first scenario is charged to the second');
}

test('a server that dies when a client leaves: readiness does not kill it; its teardown death is a finding, seen before the next scenario', (t) =>
  teardownDeathThenNextScenario(t, FRAGILE));

// It holds the closed connection's socket, unchanged, for longer than a quiet pause: only its being
// runnable all along tells "not yet" from "never" (a server that keeps departed sockets).
test('a server slow to handle a departure (busy, or waiting for the CPU) is still seen dying of it before the next scenario', (t) =>
  teardownDeathThenNextScenario(t, `${FRAGILE} --busy-before-dying-ms 1200`));

test('a death during the steps is the scenario\'s block, once; another scenario that saw it gets a pointer', async (t) => {
  const target = spawnedServer({ command: ECHO, startTimeoutMs: 10_000, operPassword: undefined });
  t.after(() => target.stop());
  await target.start();
  const control = await startControlServer(target, 'run');
  t.after(() => control.close());

  const begun = await post<BeginResponse>(control, '/begin', { uri: 'a.feature', tags: [], name: 'the killer' });
  const socket = net.connect(begun.target);
  socket.on('error', () => {});
  socket.resume();
  socket.write('CRASH 4\n');
  await new Promise((resolve) => socket.once('close', resolve));
  const teardownAt = Date.now() + 5000; // its steps are still running
  const own = await post<EndResponse>(control, '/end', { mark: begun.mark, failed: false, teardownAt, name: 'the killer' });
  assert.equal(own.crashes.length, 1);
  assert.match(own.crashes[0]!, /^target crashed: exited with code 4/);
  const other = await post<EndResponse>(control, '/end', { mark: begun.mark, failed: true, teardownAt, name: 'a bystander' });
  assert.deepEqual(other.crashes, []);
  assert.equal(other.pointers.length, 1);
  assert.ok(other.pointers[0]!.startsWith(CRASH_POINTER_PREFIX));
  assert.match(other.pointers[0]!, /"the killer"/);
});

test('after a @server-wide scenario the next one gets a fresh server, whatever the isolation', async (t) => {
  const target = spawnedServer({ command: ECHO, startTimeoutMs: 10_000, operPassword: undefined });
  t.after(() => target.stop());
  await target.start();
  const control = await startControlServer(target, 'run');
  t.after(() => control.close());

  const plain = await post<BeginResponse>(control, '/begin', { uri: 'a.feature', tags: [] });
  await post<EndResponse>(control, '/end', { mark: plain.mark, failed: false });
  const wide = await post<BeginResponse>(control, '/begin', { uri: 'a.feature', tags: ['@server-wide'] });
  assert.equal(wide.target.port, plain.target.port, 'no restart before it (run isolation)');
  await post<EndResponse>(control, '/end', { mark: wide.mark, failed: false, serverWide: true });
  const next = await post<BeginResponse>(control, '/begin', { uri: 'a.feature', tags: [] });
  assert.notEqual(next.target.port, wide.target.port, 'restarted after it');
  await post<EndResponse>(control, '/end', { mark: next.mark, failed: false });
  const after = await post<BeginResponse>(control, '/begin', { uri: 'a.feature', tags: [] });
  assert.equal(after.target.port, next.target.port, 'only once');
  assert.equal(target.crashCount(), 0, 'restarts on purpose are no crashes');
});
