/**
 * Cheap restarts (RestartableTarget with `standby`): a second instance waits, started in advance; a restart
 * (a crash, a fresh target for @pristine or after @server-wide) switches to it and starts the next one in
 * the background; old instances are stopped without being waited for; a standby that died unused is never
 * handed out; the run's stop ends every instance. Over a fake launcher: no process, no timing assertion.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { RestartableTarget } from '../../../harness/target/restartable.ts';
import type { TargetInstance } from '../../../harness/target/types.ts';

interface Fake {
  port: number;
  stopped: boolean;
  killed: boolean;
  die(): void;
}

function fakeLauncher() {
  const instances: Fake[] = [];
  let nextPort = 1000;
  const launch = async (cancel: AbortSignal): Promise<TargetInstance> => {
    await sleep(5); // starting takes a moment
    if (cancel.aborted) throw new Error('cancelled');
    let die = (): void => {};
    const exited = new Promise<number>((resolve) => (die = () => resolve(Date.now())));
    const fake: Fake = { port: nextPort++, stopped: false, killed: false, die: () => die() };
    instances.push(fake);
    return {
      address: { host: '127.0.0.1', port: fake.port },
      died: exited.then(() => `target crashed: fake ${fake.port} exited`),
      exited,
      stop: async () => {
        fake.stopped = true;
        die();
      },
      killNow: () => {
        fake.killed = true;
      },
    };
  };
  return { launch, instances };
}

const settle = () => sleep(30);

test('a restart switches to the standby at once and starts the next one', async () => {
  const { launch, instances } = fakeLauncher();
  const target = new RestartableTarget(launch, () => 'fake', undefined, undefined, true);
  const first = await target.start();
  assert.equal(first.port, 1000);
  await settle();
  assert.equal(instances.length, 2, 'a standby was started beside the first instance');
  await target.acquire(false); // the first scenario uses it
  const fresh = await target.acquire(true); // a scenario that needs a fresh target
  assert.equal(fresh.port, 1001, 'the standby took over');
  await settle();
  assert.equal(instances[0]!.stopped, true, 'the old instance was stopped');
  assert.equal(instances.length, 3, 'the next standby is starting');
  await target.stop();
  assert.ok(instances.every((i) => i.stopped), 'stop() ended the current instance and the standby');
});

test('after a crash the next scenario gets the standby, and the crash is recorded', async () => {
  const { launch, instances } = fakeLauncher();
  const target = new RestartableTarget(launch, () => 'fake', undefined, undefined, true);
  await target.start();
  await settle();
  await target.acquire(false);
  instances[0]!.die();
  await settle();
  const next = await target.acquire(false);
  assert.equal(next.port, 1001);
  assert.equal(target.crashCount(), 1);
  assert.match((await target.crashesSince(0, false))[0]!.text, /fake 1000 exited/);
  await target.stop();
});

test('a standby that died unused is not handed out: a new instance is launched instead', async () => {
  const { launch, instances } = fakeLauncher();
  const target = new RestartableTarget(launch, () => 'fake', undefined, undefined, true);
  await target.start();
  await settle();
  instances[1]!.die(); // the standby
  await target.acquire(false);
  const fresh = await target.acquire(true);
  assert.equal(fresh.port, 1002, 'a freshly launched instance, not the dead standby');
  assert.equal(target.crashCount(), 0, "the standby's death is not the target's crash");
  await target.stop();
});

test('without standby a restart stops the old instance first and keeps no second one', async () => {
  const { launch, instances } = fakeLauncher();
  const target = new RestartableTarget(launch, () => 'fake', undefined);
  await target.start();
  await settle();
  assert.equal(instances.length, 1);
  await target.acquire(false);
  await target.acquire(true);
  assert.equal(instances[0]!.stopped, true);
  assert.equal(instances.length, 2);
  await target.stop();
});

test('killNow reaches the standby too (the process is exiting)', async () => {
  const { launch, instances } = fakeLauncher();
  const target = new RestartableTarget(launch, () => 'fake', undefined, undefined, true);
  await target.start();
  await settle();
  target.killNow();
  assert.deepEqual(instances.map((i) => i.killed), [true, true]);
  await target.stop();
});
