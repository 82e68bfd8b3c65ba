/**
 * The conformance CLI end to end on the runner's fixture features (test/fixtures/runner/): a spawned
 * server killed mid-run, an unreachable target, a target that accepts and never answers, parallel workers.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { PROJECT_ROOT } from '../../../common/project-root.ts';
import { tryConnect } from '../../../harness/target/probe.ts';
import { LANE_WORKER_ENV, laneWorker } from '../../../harness/run/runner.ts';
import { refusedPort } from '../../support/refused-port.ts';

const FIXTURES = 'test/fixtures/runner';
const ECHO = `node ${FIXTURES}/echo-server.mjs {port}`;
const COMMON = ['--profile', `${FIXTURES}/profile.json`, '--steps', `${FIXTURES}/steps/*.ts`];

async function conformance(args: string[], env: Record<string, string> = {}) {
  const reports = await fs.mkdtemp(path.join(os.tmpdir(), 'runner-test-'));
  after(() => fs.rm(reports, { recursive: true, force: true }));
  const result = await execa('node', ['--import', 'tsx', 'harness/cli/conformance.ts', ...COMMON, '--reports', reports, ...args], {
    cwd: PROJECT_ROOT,
    reject: false,
    timeout: 90_000, // a hang fails the test instead of blocking the suite
    env: { NO_COLOR: '1', ...env },
  });
  const read = (file: string) => fs.readFile(path.join(reports, file), 'utf8');
  return { result, reports, read };
}

test('--server: a server killed mid-run is restarted, the crash is named in the scenario, the next one passes', async () => {
  const { result, read, reports } = await conformance(['--server', ECHO, `${FIXTURES}/features/crash.feature`]);
  assert.equal(result.exitCode, 1, result.stderr);
  const junit = await read('junit.xml');
  const dying = junit.slice(junit.indexOf('name="The server dies during this scenario"'), junit.indexOf('name="The next scenario gets a restarted server"'));
  assert.match(dying, /<failure /);
  assert.match(dying, /target crashed: exited with code 3\nlast stderr lines:\n {2}\| fixture: boom, crash requested with code 3/);
  assert.match(dying, /TCP|transcript/);
  const next = junit.slice(junit.indexOf('name="The next scenario gets a restarted server"'));
  assert.doesNotMatch(next.slice(0, next.indexOf('</testcase>') >= 0 ? next.indexOf('</testcase>') : next.length), /<failure/);
  assert.match(await read('summary.md'), /\*\*Result: FAIL\*\*: 1 passed, 1 failed/);
  assert.match(result.stdout, /^FAILED \S*crash\.feature:\d+  Crash fixture › The server dies during this scenario$/m);
  assert.match(result.stdout, /target crashed: exited with code 3/);
  for (const file of ['cucumber.html', 'messages.ndjson']) assert.ok((await fs.stat(path.join(reports, file))).size > 0, `${file} written`);
  // The spawned server's port no longer accepts: the whole process group was killed.
  const port = Number(/on 127\.0\.0\.1:(\d+)/.exec(await read('summary.md'))?.[1]);
  assert.ok(port > 0);
  assert.notEqual(await tryConnect({ host: '127.0.0.1', port }, 2000), undefined);
});

test('--target that nobody listens on: exit 2 with one line, no run', async (t) => {
  const { port, release } = await refusedPort(); // not a freePort(): another test's server could take that one meanwhile
  t.after(release);
  const { result } = await conformance(['--target', `127.0.0.1:${port}`, `${FIXTURES}/features/echo.feature`]);
  assert.equal(result.exitCode, 2);
  assert.equal(result.stderr.trim(), `conformance: cannot reach target 127.0.0.1:${port}: connection refused`);
});

test('--target that accepts and never answers: the scenarios fail within their bounds and the run ends with reports', async (t) => {
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.after(() => {
    for (const s of sockets) s.destroy();
    silent.close();
  });
  const { port } = silent.address() as net.AddressInfo;
  const { result, read } = await conformance(['--target', `127.0.0.1:${port}`, '--timeout', '300', `${FIXTURES}/features/echo.feature`]);
  assert.equal(result.exitCode, 1, result.stderr);
  const summary = await read('summary.md');
  assert.match(summary, /\*\*Result: FAIL\*\*: 0 passed, 2 failed, 0 skipped, 1 not gradable \(3 scenarios run\)/);
  assert.match(summary, /\| `@pristine` \| 1 \| they need a server nobody else uses/);
  assert.match(summary, /\| `@operator` \| 1 \| the operator password of the target is unknown/);
  assert.match(summary, /\| `@limits` \| 1 \| the harness can set §7 limits .* only on the embedded reference server/);
  assert.match(result.stdout, /expected a line starting with "HELLO" within 300 ms/);
  assert.match(result.stdout, /1 @pristine scenario\(s\)/);
});

test('--parallel 2 loads TypeScript support code in the workers; @pristine and @operator run on a spawned server', async () => {
  const { result, read } = await conformance(['--server', ECHO, '--oper-password', 'secret', '--parallel', '2', '--tags', 'not @crash and not @scheduling and not @limits', `${FIXTURES}/features`]);
  assert.equal(result.exitCode, 1, result.stderr); // the fixture has one scenario that fails on purpose
  const summary = await read('summary.md');
  assert.match(summary, /\*\*Result: FAIL\*\*: 3 passed, 1 failed, 0 skipped, 1 not gradable \(5 scenarios run\)/);
  assert.match(summary, /Scenarios at once: 2 \(--parallel\)/);
  assert.match(summary, /\| `@pristine` \| 1 \| 0 \| 0 \| 0 \| 1 \|/);
  assert.match(summary, /\| `@operator` \| 1 \| 0 \| 0 \| 0 \| 1 \|/);
  assert.doesNotMatch(summary, /Filtered out/);
});

test('--parallel 2 on a run shorter than the worker\'s start-up: the worker is stopped quietly, no stack trace on the terminal', async () => {
  // A spawned server with a worker asked for (2-core machines get none by default): two echo scenarios
  // end in milliseconds, long before the worker process has loaded Cucumber and the steps.
  const { result, read } = await conformance(
    ['--server', ECHO, '--parallel', '2', '--tags', '@fixture and not @extension and not @pristine and not @operator and not @limits', `${FIXTURES}/features/echo.feature`],
    { [LANE_WORKER_ENV]: 'always' },
  );
  assert.equal(result.exitCode, 1, result.stderr); // one of the two fails on purpose
  const summary = await read('summary.md');
  assert.match(summary, /Scenarios at once: 2 \(--parallel\)/);
  assert.match(summary, /\*\*Result: FAIL\*\*: 1 passed, 1 failed/);
  assert.doesNotMatch(result.stderr, /Unexpected error|runAfterAllHooks|worker process ended/);
});

test('a worker process takes part against a server of its own where a core is left for it, never against the embedded reference server', () => {
  const spawnedTarget = { kind: 'spawned', command: 'server {port}', startTimeoutMs: 5000, operPassword: undefined } as const;
  const external = { kind: 'external', address: { host: '127.0.0.1', port: 1459 }, operPassword: undefined } as const;
  // The embedded server answers from the runner's own event loop: a worker's scenarios would wait on it.
  assert.equal(laneWorker({ kind: 'embedded' }, undefined, 8, undefined), undefined);
  assert.equal(laneWorker({ kind: 'embedded' }, undefined, 8, 'always'), undefined);
  const spawned = laneWorker(spawnedTarget, undefined, 3, undefined);
  assert.ok(spawned, '3 cores: the runner, the server, the worker');
  assert.match(spawned.env.NODE_OPTIONS ?? '', /--import tsx/, 'the worker loads TypeScript support code');
  assert.ok(laneWorker(external, undefined, 4, undefined));
  // Two cores: the runner and the server already take them.
  assert.equal(laneWorker(spawnedTarget, undefined, 2, undefined), undefined);
  assert.equal(laneWorker(external, undefined, 1, undefined), undefined);
  // The override, both ways.
  assert.ok(laneWorker(spawnedTarget, undefined, 2, 'always'));
  assert.equal(laneWorker(spawnedTarget, undefined, 16, 'never'), undefined);
});

test('--parallel 3 with a worker process: it takes scenarios, and @exclusive ones never share the server with another', async () => {
  const { result, read } = await conformance(['--server', ECHO, '--parallel', '3', '--tags', '@scheduling', `${FIXTURES}/features`], { [LANE_WORKER_ENV]: 'always' });
  assert.equal(result.exitCode, 0, `${result.stdout}\n${result.stderr}`);
  assert.match(await read('summary.md'), /\*\*Result: PASS\*\*: 6 passed/);
  const started = (await read('messages.ndjson')).split('\n').filter((line) => line.includes('"testCaseStarted"'));
  assert.equal(started.length, 6);
  assert.ok(started.some((line) => line.includes('"workerId"')), 'some scenarios ran in the worker process');
});
