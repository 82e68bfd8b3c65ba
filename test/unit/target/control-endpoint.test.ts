/**
 * The runner's control endpoint beyond /begin and /end (those are in test/unit/runner/target-control.test.ts):
 * /console types on the embedded server's console and answers its log lines; /limited starts a separate
 * instance with §7 limits that /end stops; a target that cannot do either answers 501 with a reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { startControlServer } from '../../../harness/target.ts';
import { embeddedReferenceServer } from '../../../harness/target/embedded.ts';
import { externalServer } from '../../../harness/target/external.ts';
import { tryConnect } from '../../../harness/target/probe.ts';
import type { TargetAddress } from '../../../harness/target/types.ts';
import { spawnedServer } from '../../../harness/target/spawned.ts';
import { PROJECT_ROOT } from '../../../harness/runner.ts';

const ECHO = `node ${path.join(PROJECT_ROOT, 'test/fixtures/runner/echo-server.mjs')} {port}`;

async function post(url: string, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${url}${path}`, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(20_000) });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** Connect and collect what the server sends until it closes the connection or `ms` pass (bounded). */
function readUntilClosed(address: TargetAddress, ms: number): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    let text = '';
    const socket = net.connect(address);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => {});
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closed: false });
    }, ms);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, closed: true });
    });
  });
}

/** Connect and resolve once the greeting arrived; the caller closes the socket. */
function connectAndGreet(address: TargetAddress): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(address);
    socket.once('data', () => resolve(socket));
    socket.once('error', reject);
    setTimeout(() => reject(new Error('no greeting within 5 s')), 5000).unref();
  });
}

test('/console types on the embedded server console and answers exactly the log lines of that call', async (t) => {
  const target = embeddedReferenceServer();
  t.after(() => target.stop());
  await target.start();
  const control = await startControlServer(target, 'run');
  t.after(() => control.close());

  const unknown = await post(control.url, '/console', { line: 'FROBNICATE' });
  assert.equal(unknown.status, 200);
  const output = unknown.json.output as string[];
  assert.equal(output.length, 1, `one answer line, got ${JSON.stringify(output)}`);
  assert.match(output[0]!, /^console: ERR UNKNOWN_COMMAND /);

  const global = await post(control.url, '/console', { line: 'GLOBAL hello everyone' });
  assert.equal(global.status, 200);
  const globalOutput = global.json.output as string[];
  assert.ok(globalOutput.length >= 1 && globalOutput.every((l) => !l.includes('UNKNOWN_COMMAND')), 'only this call\'s lines');
  assert.doesNotMatch(globalOutput.join('\n'), /ERR /);

  assert.equal((await post(control.url, '/console', {})).status, 503, 'a request without a line is malformed');
});

test('a target without a reachable console answers 501 with a reason', async (t) => {
  const target = externalServer({ host: '127.0.0.1', port: 9 }, undefined);
  const control = await startControlServer(target, 'run');
  t.after(() => control.close());
  const answer = await post(control.url, '/console', { line: 'GLOBAL hi' });
  assert.equal(answer.status, 501);
  assert.match(String(answer.json.error), /^the target's console is not reachable: /);
  const limited = await post(control.url, '/limited', { limits: { maxConnections: 1 } });
  assert.equal(limited.status, 501);
  assert.match(String(limited.json.error), /only set limits on the embedded reference server/);
});

test('/limited starts a separate instance with the limits; the scenario\'s /end stops it', async (t) => {
  const target = embeddedReferenceServer();
  t.after(() => target.stop());
  const main = await target.start();
  const control = await startControlServer(target, 'run');
  t.after(() => control.close());

  const begun = await post(control.url, '/begin', { uri: 'limits.feature', tags: [] });
  const started = await post(control.url, '/limited', { limits: { maxConnections: 1 } });
  assert.equal(started.status, 200);
  const limited = started.json.target as TargetAddress;
  assert.notEqual(limited.port, main.port, 'not the shared target');

  const first = await connectAndGreet(limited);
  t.after(() => first.destroy());
  const second = await readUntilClosed(limited, 5000);
  assert.ok(second.closed, 'the connection over the limit is closed');
  assert.match(second.text, /ERR SERVER_FULL/);
  // The shared target keeps its default limit.
  const onMain = await connectAndGreet(main);
  const alsoOnMain = await connectAndGreet(main);
  onMain.destroy();
  alsoOnMain.destroy();

  const ended = await post(control.url, '/end', { mark: begun.json.mark, failed: false, limited: [started.json.id] });
  assert.equal(ended.status, 200);
  assert.deepEqual(ended.json.crashes, [], 'stopping a limited instance is no crash');
  first.destroy();
  assert.notEqual(await tryConnect(limited, 2000), undefined, 'nothing listens there after /end');
  assert.equal(await tryConnect(main, 2000), undefined, 'the shared target still does');
});

test('only the embedded reference server offers limits: a spawned server answers 501', async (t) => {
  const target = spawnedServer({ command: ECHO, startTimeoutMs: 10_000, operPassword: undefined });
  t.after(() => target.stop());
  assert.equal(target.startLimited, undefined, 'what the runner can test to leave @limits out');
  await target.start();
  const control = await startControlServer(target, 'run');
  t.after(() => control.close());
  const answer = await post(control.url, '/limited', { limits: { maxConnections: 1 } });
  assert.equal(answer.status, 501);
  assert.match(String(answer.json.error), /only set limits on the embedded reference server/);
});

test('/limited refuses unknown limits and values that are not non-negative integers', async (t) => {
  const target = embeddedReferenceServer();
  t.after(() => target.stop());
  await target.start();
  const control = await startControlServer(target, 'run');
  t.after(() => control.close());
  for (const limits of [{ maxSockets: 3 }, { maxConnections: -1 }, { maxConnections: 1.5 }, { historySize: '3' }]) {
    const answer = await post(control.url, '/limited', { limits });
    assert.equal(answer.status, 503, JSON.stringify(limits));
    assert.match(String(answer.json.error), /bad \/limited request/);
  }
  assert.equal((await post(control.url, '/limited', {})).status, 503);
});

test('instances whose scenario never ended are stopped with the target', async (t) => {
  const target = embeddedReferenceServer();
  t.after(() => target.stop());
  await target.start();
  assert.ok(target.startLimited, 'the embedded reference server can be started with limits');
  const limited = await target.startLimited({ registrationTimeoutMs: 60_000 });
  assert.equal(await tryConnect(limited.address, 2000), undefined);
  await target.stop();
  assert.notEqual(await tryConnect(limited.address, 2000), undefined);
});
