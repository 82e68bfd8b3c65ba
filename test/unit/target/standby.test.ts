/**
 * Cheap restarts (RestartableTarget with `standby`): STANDBY_INSTANCES instances wait, started in advance; a
 * restart (a crash, a fresh target for @pristine or after @server-wide) switches to the oldest and starts its
 * replacement in the background, so a run of scenarios that each need a fresh target never waits for a
 * launch; old instances are stopped without being waited for; a standby that died unused is never handed
 * out; the run's stop ends every instance. Over a fake launcher: no process, no timing assertion.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { RestartableTarget, STANDBY_INSTANCES } from '../../../harness/target/restartable.ts';
import { fakeLauncher } from '../../support/fake-launcher.ts';

const settle = () => sleep(30);

test('a restart switches to the standby at once and starts the next ones', async () => {
  const { launch, instances } = fakeLauncher();
  const target = new RestartableTarget(launch, () => 'fake', undefined, undefined, true);
  const first = await target.start();
  assert.equal(first.port, 1000);
  await settle();
  assert.equal(instances.length, 2, 'one standby was started beside the first instance');
  await target.acquire(false); // the first scenario uses it
  const fresh = await target.acquire(true); // a scenario that needs a fresh target
  assert.equal(fresh.port, 1001, 'the standby took over');
  await settle();
  assert.equal(instances[0]!.stopped, true, 'the old instance was stopped');
  assert.ok(STANDBY_INSTANCES >= 2, 'more than one standby once restarts happen: runs of fresh targets are the point');
  assert.equal(instances.length, 2 + STANDBY_INSTANCES, 'after a restart, STANDBY_INSTANCES standbys are starting');
  await target.stop();
  assert.ok(instances.every((i) => i.stopped), 'stop() ended the current instance and the standbys');
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

test('scenarios that each need a fresh target in a row take the standbys started in advance, no launch waited for', async () => {
  const { launch, instances } = fakeLauncher();
  const target = new RestartableTarget(launch, () => 'fake', undefined, undefined, true);
  await target.start();
  await target.acquire(false);
  await target.acquire(true); // the first restart: the standbys are STANDBY_INSTANCES from now on
  await settle();
  const launchedBefore = instances.length;
  // No pause between them: each replacement is still starting when the next fresh target is asked for.
  const ports: number[] = [];
  for (let i = 0; i < STANDBY_INSTANCES; i++) ports.push((await target.acquire(true)).port);
  assert.deepEqual(
    ports,
    instances.slice(launchedBefore - STANDBY_INSTANCES, launchedBefore).map((i) => i.port),
    'each fresh target was one of the standbys already started, the oldest first',
  );
  await target.stop();
});

test('a standby that died unused is not handed out: the next one is, or a new instance when none is left', async () => {
  const { launch, instances } = fakeLauncher();
  const target = new RestartableTarget(launch, () => 'fake', undefined, undefined, true);
  await target.start();
  await settle();
  instances[1]!.die(); // the only standby so far
  await target.acquire(false);
  const launched = await target.acquire(true);
  assert.equal(launched.port, 1002, 'a freshly launched instance, not the dead standby');
  await settle(); // the standbys of a restarted target have started: 1003, 1004
  instances[3]!.die(); // the oldest of them
  const next = await target.acquire(true);
  assert.equal(next.port, 1004, 'the next standby, not the dead one');
  assert.equal(target.crashCount(), 0, "the standbys' deaths are not the target's crashes");
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

test('killNow reaches every standby too (the process is exiting)', async () => {
  const { launch, instances } = fakeLauncher();
  const target = new RestartableTarget(launch, () => 'fake', undefined, undefined, true);
  await target.start();
  await target.acquire(false);
  await target.acquire(true); // a restart: the old instance is stopped, STANDBY_INSTANCES standbys start
  await settle();
  target.killNow();
  const alive = instances.slice(1);
  assert.equal(alive.length, 1 + STANDBY_INSTANCES);
  assert.ok(alive.every((i) => i.killed), 'the current instance and every standby were killed');
  await target.stop();
});
