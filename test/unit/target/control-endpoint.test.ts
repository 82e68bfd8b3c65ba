/**
 * The runner's control endpoint beyond /begin and /end (those are in test/unit/runner/target-control.test.ts):
 * /begin hands the runner's learned reply latencies to a worker still learning;
 * /console types on the embedded server's console and answers its log lines; /limited starts a separate
 * instance with §7 limits that /end stops; a target that cannot do either answers 501 with a reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { startControlServer } from '../../../harness/target/index.ts';
import { CONTROL_SECRET_HEADER, MAX_BODY_BYTES, type ControlServer } from '../../../harness/target/control-server.ts';
import { embeddedReferenceServer } from '../../../harness/target/embedded.ts';
import { externalServer } from '../../../harness/target/external.ts';
import { tryConnect } from '../../../harness/target/probe.ts';
import type { TargetAddress } from '../../../harness/target/types.ts';
import { spawnedServer } from '../../../harness/target/spawned.ts';
import { PROJECT_ROOT } from '../../../common/project-root.ts';

const ECHO = `node ${path.join(PROJECT_ROOT, 'test/fixtures/runner/echo-server.mjs')} {port}`;

async function post(control: ControlServer, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${control.url}${path}`, {
    method: 'POST',
    headers: { [CONTROL_SECRET_HEADER]: control.secret },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
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

  const unknown = await post(control, '/console', { line: 'FROBNICATE' });
  assert.equal(unknown.status, 200);
  const output = unknown.json.output as string[];
  assert.equal(output.length, 1, `one answer line, got ${JSON.stringify(output)}`);
  assert.match(output[0]!, /^console: ERR UNKNOWN_COMMAND /);

  const global = await post(control, '/console', { line: 'GLOBAL hello everyone' });
  assert.equal(global.status, 200);
  const globalOutput = global.json.output as string[];
  assert.ok(globalOutput.length >= 1 && globalOutput.every((l) => !l.includes('UNKNOWN_COMMAND')), 'only this call\'s lines');
  assert.doesNotMatch(globalOutput.join('\n'), /ERR /);

  assert.equal((await post(control, '/console', {})).status, 503, 'a request without a line is malformed');
});

test('/begin hands the runner\'s learned reply latencies to a scenario whose process asks, and only then', async (t) => {
  const target = embeddedReferenceServer();
  t.after(() => target.stop());
  await target.start();
  let learned: number[] = [];
  const control = await startControlServer(target, 'run', { learnedLatencies: () => learned });
  t.after(() => control.close());

  const asks = { uri: 'a.feature', tags: [], wantsLatencies: true };
  const before = await post(control, '/begin', asks);
  assert.equal(before.status, 200);
  assert.equal(before.json.latencies, undefined, 'nothing learned yet: nothing handed over');
  await post(control, '/end', { mark: before.json.mark, failed: false });

  learned = [3, 4, 12];
  const asked = await post(control, '/begin', asks);
  assert.deepEqual(asked.json.latencies, [3, 4, 12]);
  await post(control, '/end', { mark: asked.json.mark, failed: false });
  const notAsked = await post(control, '/begin', { uri: 'a.feature', tags: [] });
  assert.equal(notAsked.json.latencies, undefined, 'a process that has learned does not get them');
  await post(control, '/end', { mark: notAsked.json.mark, failed: false });
});

test('a target without a reachable console answers 501 with a reason', async (t) => {
  const target = externalServer({ host: '127.0.0.1', port: 9 }, undefined);
  const control = await startControlServer(target, 'run');
  t.after(() => control.close());
  const answer = await post(control, '/console', { line: 'GLOBAL hi' });
  assert.equal(answer.status, 501);
  assert.match(String(answer.json.error), /^the target's console is not reachable: /);
  const limited = await post(control, '/limited', { limits: { maxConnections: 1 } });
  assert.equal(limited.status, 501);
  assert.match(String(limited.json.error), /only set limits on the embedded reference server/);
});

test('/limited starts a separate instance with the limits; the scenario\'s /end stops it', async (t) => {
  const target = embeddedReferenceServer();
  t.after(() => target.stop());
  const main = await target.start();
  const control = await startControlServer(target, 'run');
  t.after(() => control.close());

  const begun = await post(control, '/begin', { uri: 'limits.feature', tags: [] });
  const started = await post(control, '/limited', { limits: { maxConnections: 1 } });
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

  const ended = await post(control, '/end', { mark: begun.json.mark, failed: false, limited: [started.json.id] });
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
  const answer = await post(control, '/limited', { limits: { maxConnections: 1 } });
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
    const answer = await post(control, '/limited', { limits });
    assert.equal(answer.status, 503, JSON.stringify(limits));
    assert.match(String(answer.json.error), /bad \/limited request/);
  }
  assert.equal((await post(control, '/limited', {})).status, 503);
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

test('a request without the run secret is refused (403) and changes nothing; a wrong one too', async (t) => {
  const target = embeddedReferenceServer();
  t.after(() => target.stop());
  await target.start();
  const control = await startControlServer(target, 'run');
  t.after(() => control.close());
  assert.match(control.secret, /^[0-9a-f]{64}$/);
  const before = target.crashCount();
  const attempts: Array<Record<string, string>> = [{}, { [CONTROL_SECRET_HEADER]: 'guess' }, { [CONTROL_SECRET_HEADER]: control.secret.slice(0, -1) + 'x' }];
  for (const headers of attempts) {
    const response = await fetch(`${control.url}/begin`, { method: 'POST', headers, body: JSON.stringify({ uri: 'x', tags: ['@pristine'] }), signal: AbortSignal.timeout(10_000) });
    assert.equal(response.status, 403);
    await response.text();
  }
  assert.equal(target.crashCount(), before);
  assert.equal((await post(control, '/console', { line: 'GLOBAL hi' })).status, 200, 'the right secret still works');
});

/** Raw HTTP so the test controls the body: `chunks` of `size` bytes, chunked; resolves with what came back and how the socket ended. */
function rawPost(url: string, secret: string, chunks: number, size: number): Promise<{ status: string; closedBy: 'server' | 'timeout'; sent: number }> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    let answer = '';
    let sent = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ status: answer.split('\r\n')[0] ?? '', closedBy: 'timeout', sent });
    }, 15_000);
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => (answer += text));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ status: answer.split('\r\n')[0] ?? '', closedBy: 'server', sent });
    });
    socket.write(`POST /console HTTP/1.1\r\nHost: x\r\n${CONTROL_SECRET_HEADER}: ${secret}\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const chunk = `${size.toString(16)}\r\n${'x'.repeat(size)}\r\n`;
    const pump = (): void => {
      while (sent < chunks && !socket.destroyed) {
        sent++;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
    };
    pump();
  });
}

test('an oversized chunked body is answered 413 and its connection closed before it is read whole', async (t) => {
  const target = embeddedReferenceServer();
  t.after(() => target.stop());
  await target.start();
  const control = await startControlServer(target, 'run');
  t.after(() => control.close());
  const heapBefore = process.memoryUsage().heapUsed;
  // 64 MiB offered in 64 KiB chunks: the endpoint must stop at MAX_BODY_BYTES.
  const result = await rawPost(control.url, control.secret, 1024, 64 * 1024);
  assert.match(result.status, /^HTTP\/1\.1 413/);
  assert.equal(result.closedBy, 'server', 'the server closed the connection itself');
  assert.ok(result.sent < 1024, `the client could not push the whole 64 MiB (sent ${result.sent} chunks)`);
  assert.ok(process.memoryUsage().heapUsed - heapBefore < 32 * 1024 * 1024, 'the body was not buffered');
  assert.ok(MAX_BODY_BYTES <= 64 * 1024);
  assert.equal((await post(control, '/console', { line: 'GLOBAL hi' })).status, 200, 'the endpoint still answers');
});
