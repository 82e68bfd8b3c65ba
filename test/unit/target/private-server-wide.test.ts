/**
 * @server-wide scenarios on instances of their own (issue #19, --parallel on a server the runner starts):
 * RestartableTarget.privateTarget takes a standby instance for one scenario; the control endpoint hands it
 * to a @server-wide scenario (ControlOptions.privateServerWide), routes its /console there, and its /end
 * reports that instance's deaths to that scenario alone, then stops it, without making the shared server
 * restart; the scheduling rule lets such a scenario run beside the others (steps/support/scheduling.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startControlServer } from '../../../harness/target/index.ts';
import { CONTROL_SECRET_HEADER, serverWideRunsBeside, type BeginResponse, type ControlServer, type EndResponse } from '../../../harness/target/control-server.ts';
import { RestartableTarget } from '../../../harness/target/restartable.ts';
import { fakeLauncher } from '../../support/fake-launcher.ts';
import { spawnedServer } from '../../../harness/target/spawned.ts';
import { tryConnect } from '../../../harness/target/probe.ts';
import type { TargetAddress } from '../../../harness/target/types.ts';
import { canStartBeside, runsAlone } from '../../../steps/support/scheduling.ts';
import { PROJECT_ROOT } from '../../../common/project-root.ts';

const ECHO = `node ${path.join(PROJECT_ROOT, 'test/fixtures/runner/echo-server.mjs')} {port}`;

// ---- RestartableTarget.privateTarget, over a fake launcher (no process) ----------------------------------

const settle = () => sleep(30);

/** A started target with standbys (the shared one of a run), its first standby started too. */
async function sharedWithStandby() {
  const { launch, instances } = fakeLauncher();
  const shared = new RestartableTarget(launch, () => 'fake', undefined, undefined, true);
  await shared.start();
  await settle();
  return { shared, instances };
}

test('a target of its own takes a standby instance, and the shared target keeps its own', async () => {
  const { shared, instances } = await sharedWithStandby();
  await shared.acquire(false);
  const own = shared.privateTarget!();
  const address = await own.acquire(false);
  assert.equal(address.port, 1001, 'the standby started in advance');
  assert.equal((await shared.acquire(false)).port, 1000, 'the shared target did not move');
  await settle();
  assert.ok(instances.length >= 3, 'the pool was topped up for the next one');
  await own.stop();
  assert.equal(instances[1]!.stopped, true, 'stopping it stops its instance');
  assert.equal(instances[0]!.stopped, false, 'and nothing of the shared target');
  await shared.stop();
});

test('the death of its instance is its crash, not the shared target\'s', async () => {
  const { shared, instances } = await sharedWithStandby();
  const own = shared.privateTarget!();
  const { port } = await own.acquire(false);
  instances.find((i) => i.port === port)!.die();
  await settle();
  assert.equal(own.crashCount(), 1);
  assert.match((await own.crashesSince(0, false))[0]!.text, new RegExp(`fake ${port} exited`));
  assert.equal(shared.crashCount(), 0);
  await own.stop();
  await shared.stop();
});

test('the run\'s stop and a last-resort kill reach targets of their own that were not stopped', async () => {
  const { shared, instances } = await sharedWithStandby();
  const first = await shared.privateTarget!().acquire(false);
  shared.killNow();
  assert.equal(instances.find((i) => i.port === first.port)!.killed, true, 'killNow reached it');
  await shared.stop();
  assert.ok(instances.every((i) => i.stopped), 'stop() ended it with the rest');
});

test('without standbys (a fixed port: instances cannot run side by side) there are no targets of their own', () => {
  const { launch } = fakeLauncher();
  assert.equal(new RestartableTarget(launch, () => 'fake', undefined, undefined, false).privateTarget, undefined);
});

// ---- The control endpoint, over a spawned server -------------------------------------------------------

async function post<T>(control: ControlServer, route: string, body: unknown): Promise<{ status: number; json: T }> {
  const response = await fetch(`${control.url}${route}`, {
    method: 'POST',
    headers: { [CONTROL_SECRET_HEADER]: control.secret },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, json: (await response.json()) as T };
}

/** A connected client that keeps what it receives; `until` waits (bounded) for a line. */
async function client(address: TargetAddress) {
  const socket = net.connect(address);
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => (text += chunk));
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    received: () => text,
    async until(line: string): Promise<void> {
      for (const deadline = Date.now() + 5000; !text.includes(`${line}\n`); await sleep(10)) {
        if (Date.now() > deadline) throw new Error(`no "${line}" within 5 s; got ${JSON.stringify(text)}`);
      }
    },
  };
}

async function withControl(t: { after(fn: () => unknown): void }, privateServerWide: boolean) {
  const target = spawnedServer({ command: ECHO, startTimeoutMs: 10_000, operPassword: undefined });
  t.after(() => target.stop());
  await target.start();
  const control = await startControlServer(target, 'run', { privateServerWide });
  t.after(() => control.close());
  return { target, control };
}

test('a @server-wide scenario runs on an instance of its own beside another; its end stops it and the shared server stays', async (t) => {
  const { target, control } = await withControl(t, true);
  const plain = (await post<BeginResponse>(control, '/begin', { uri: 'a.feature', tags: [], name: 'plain' })).json;
  const wide = (await post<BeginResponse>(control, '/begin', { uri: 'a.feature', tags: ['@server-wide'], name: 'wide' })).json;
  assert.equal(plain.private, undefined);
  assert.equal(typeof wide.private, 'string');
  assert.notEqual(wide.target.port, plain.target.port, 'another instance');

  // The console lines of each go to its own server.
  const onShared = await client(plain.target);
  const onOwn = await client(wide.target);
  await onShared.until('HELLO fixture');
  await onOwn.until('HELLO fixture');
  assert.equal((await post(control, '/console', { line: 'for the wide one', private: wide.private })).status, 200);
  await onOwn.until('CONSOLE for the wide one');
  assert.equal((await post(control, '/console', { line: 'for everyone else' })).status, 200);
  await onShared.until('CONSOLE for everyone else');
  assert.doesNotMatch(onShared.received(), /for the wide one/);
  assert.doesNotMatch(onOwn.received(), /for everyone else/);
  onOwn.socket.destroy();

  const wideEnd = await post<EndResponse>(control, '/end', { mark: wide.mark, failed: false, private: wide.private, serverWide: true, name: 'wide' });
  assert.equal(wideEnd.status, 200);
  assert.deepEqual(wideEnd.json.crashes, []);
  for (const deadline = Date.now() + 5000; (await tryConnect(wide.target, 500)) === undefined; await sleep(20)) {
    assert.ok(Date.now() < deadline, 'its instance was stopped after its end');
  }
  onShared.socket.destroy();
  await post<EndResponse>(control, '/end', { mark: plain.mark, failed: false, name: 'plain' });
  const next = (await post<BeginResponse>(control, '/begin', { uri: 'a.feature', tags: [], name: 'next' })).json;
  assert.equal(next.target.port, plain.target.port, 'no restart of the shared server: it never saw the @server-wide scenario');
  await post<EndResponse>(control, '/end', { mark: next.mark, failed: false });
  assert.equal(target.crashCount(), 0);
});

test('a death of its own instance fails that scenario only: a scenario beside it is not pointed to it', async (t) => {
  const { target, control } = await withControl(t, true);
  const plain = (await post<BeginResponse>(control, '/begin', { uri: 'a.feature', tags: [], name: 'bystander' })).json;
  const wide = (await post<BeginResponse>(control, '/begin', { uri: 'a.feature', tags: ['@server-wide'], name: 'the killer' })).json;
  const killer = await client(wide.target);
  killer.socket.write('CRASH 4\n');
  await new Promise((resolve) => killer.socket.once('close', resolve));
  const teardownAt = Date.now() + 5000; // its steps are still running
  const own = (await post<EndResponse>(control, '/end', { mark: wide.mark, failed: false, teardownAt, private: wide.private, name: 'the killer' })).json;
  assert.equal(own.crashes.length, 1);
  assert.match(own.crashes[0]!, /^target crashed: exited with code 4/);
  const other = (await post<EndResponse>(control, '/end', { mark: plain.mark, failed: true, teardownAt, name: 'bystander' })).json;
  assert.deepEqual(other.crashes, [], 'the shared server did not die');
  assert.deepEqual(other.pointers, [], 'nothing to point to: it never shared that server');
  assert.equal(target.crashCount(), 0);
});

test('an unknown id of its own is a bad request; without privateServerWide a @server-wide scenario gets the shared server', async (t) => {
  const { control } = await withControl(t, false);
  assert.equal(control.privateServerWide, false);
  assert.equal(serverWideRunsBeside(), false, 'this control server gives no instances of their own');
  const wide = await post<BeginResponse>(control, '/begin', { uri: 'a.feature', tags: ['@server-wide'] });
  assert.equal(wide.json.private, undefined);
  assert.equal((await post(control, '/console', { line: 'x', private: '7' })).status, 503);
  assert.equal((await post(control, '/end', { mark: wide.json.mark, failed: false, private: '7' })).status, 503);
});

test('while a control server gives instances of their own, @server-wide scenarios may run beside the others', async (t) => {
  const { control } = await withControl(t, true);
  assert.equal(control.privateServerWide, true, 'what the runner\'s notes say');
  assert.equal(serverWideRunsBeside(), true);
  await control.close();
  assert.equal(serverWideRunsBeside(), false, 'closed: the rule is back');
});

// ---- The scheduling rule ----------------------------------------------------------------------------------

const scenario = (...tags: string[]) => ({ tags: tags.map((name) => ({ name })) });

test('who runs alone: @pristine, @exclusive, @server-wide; a @server-wide one on an instance of its own does not', () => {
  for (const tag of ['@pristine', '@exclusive', '@server-wide']) assert.equal(runsAlone(scenario(tag), false), true, tag);
  assert.equal(runsAlone(scenario('@v0'), false), false);
  assert.equal(runsAlone(scenario('@server-wide', '@pristine', '@exclusive'), true), false, 'its server is its own');
  assert.equal(runsAlone(scenario('@pristine'), true), true, 'a @pristine one still needs the shared server to itself');
  assert.equal(runsAlone(scenario('@exclusive'), true), true);

  assert.equal(canStartBeside(scenario('@server-wide'), [scenario('@v0')], false), false);
  assert.equal(canStartBeside(scenario('@v0'), [scenario('@server-wide')], false), false);
  assert.equal(canStartBeside(scenario('@server-wide'), [scenario('@v0')], true), true);
  assert.equal(canStartBeside(scenario('@v0'), [scenario('@server-wide')], true), true);
  assert.equal(canStartBeside(scenario('@exclusive'), [scenario('@server-wide')], true), false, 'an @exclusive one still waits for everyone');
  assert.equal(canStartBeside(scenario('@exclusive'), [], true), true, 'nothing runs: it starts');
});
