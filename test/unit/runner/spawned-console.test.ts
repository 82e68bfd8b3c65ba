/**
 * The console of a `--server` target (PROTOCOL.md §5.18): its stdin is a pipe held open for its life,
 * and console(line) types one line on it. A server that closed its stdin makes console() reject, without
 * harming the harness or the server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { PROJECT_ROOT } from '../../../common/project-root.ts';
import { spawnedLauncher } from '../../../harness/target/spawned.ts';
import { tryConnect } from '../../../harness/target/probe.ts';
import type { TargetAddress, TargetInstance } from '../../../harness/target/types.ts';
import { fixtureBundle } from '../../support/fixture-command.ts';

const FIXTURE = path.join(PROJECT_ROOT, 'test/fixtures/console/stdin-echo-server.mjs');
const REFERENCE = `"${process.execPath}" ${fixtureBundle('reference-server/net/cli.ts')} --port {port}`;
const WAIT_MS = 10_000;

async function launch(command: string): Promise<TargetInstance> {
  return spawnedLauncher({ command, startTimeoutMs: 20_000, operPassword: undefined, cwd: PROJECT_ROOT })(new AbortController().signal);
}

/** A TCP client that collects received lines; `waitFor` is bounded by WAIT_MS. */
async function lineClient(address: TargetAddress): Promise<{ send(line: string): void; waitFor(line: string): Promise<string[]>; close(): void }> {
  const socket = net.connect(address);
  socket.setEncoding('utf8');
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const lines: string[] = [];
  let partial = '';
  let changed: () => void = () => {};
  socket.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
    changed();
  });
  return {
    send: (line) => socket.write(`${line}\n`),
    async waitFor(line) {
      const deadline = Date.now() + WAIT_MS;
      while (!lines.includes(line)) {
        const left = deadline - Date.now();
        if (left <= 0) assert.fail(`did not receive ${JSON.stringify(line)} within ${WAIT_MS} ms; got ${JSON.stringify(lines)}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          changed = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      return [...lines];
    },
    close: () => socket.destroy(),
  };
}

test('console lines reach the stdin of a server that reads it, in order and verbatim', async (t) => {
  const instance = await launch(`node ${FIXTURE} {port}`);
  t.after(() => instance.stop());
  assert.ok(instance.console, 'a spawned target has a console');
  const client = await lineClient(instance.address);
  t.after(() => client.close());
  await client.waitFor('READY');
  assert.deepEqual(await instance.console('KILL bob'), { output: null }, 'a spawned server\'s answers are not read');
  await instance.console('  kill  bob  ');
  const lines = await client.waitFor('CONSOLE   kill  bob  ');
  assert.deepEqual(lines, ['READY', 'CONSOLE KILL bob', 'CONSOLE   kill  bob  ']);
});

test('a console line cannot hold a line break (it would be two commands)', async (t) => {
  const instance = await launch(`node ${FIXTURE} {port}`);
  t.after(() => instance.stop());
  await assert.rejects(instance.console!('KILL bob\nKILL carol'), /line break/);
});

test('a server that closed its stdin: console() rejects, the server and the harness carry on', async (t) => {
  // exec: the shell gives way to node, so nobody holds the pipe's read end once node's stdin is /dev/null.
  const instance = await launch(`exec node ${FIXTURE} {port} </dev/null`);
  t.after(() => instance.stop());
  await assert.rejects(
    (async () => {
      // The first write may land before the kernel reports the broken pipe: a few bounded tries.
      for (let i = 0; i < 20; i += 1) await instance.console!(`line ${i}`);
    })(),
    /console input \(stdin\)|console is gone/,
  );
  assert.equal(await tryConnect(instance.address, 2000), undefined, 'the server still accepts connections');
});

test('the reference server, spawned, obeys a console broadcast typed on its stdin', async (t) => {
  const instance = await launch(REFERENCE);
  t.after(() => instance.stop());
  const client = await lineClient(instance.address);
  t.after(() => client.close());
  await client.waitFor('HELLO chat-conformance 1');
  client.send('alice');
  await client.waitFor('OK WELCOME alice');
  await instance.console!('global maintenance at noon');
  await client.waitFor('GLOBAL * maintenance at noon');
});
