/**
 * Who belongs to a spawned server's process group (harness/target/listening.ts): the whole scan of /proc
 * (processGroupMembers), the walk from the leader (descendants), and GroupMembers, which a readiness poll
 * asks every few milliseconds: scans now and then, walks in between, and never loses what a scan found.
 * Real processes (sh and sleep), each group killed at the end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { descendants, GroupMembers, processGroupMembers } from '../../../harness/target/listening.ts';

/** A detached shell running `script` (its own process group, led by the shell); killed with its group after the test. */
function group(t: { after(fn: () => void): void }, script: string): number {
  const child = spawn('/bin/sh', ['-c', script], { detached: true, stdio: 'ignore' });
  t.after(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  return child.pid!;
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i += 1) await sleep(10);
  assert.ok(check(), what);
}

test('the walk from the leader finds its children and grandchildren, as the whole scan does', async (t) => {
  const leader = group(t, 'sleep 30 & sh -c "sleep 30 & wait" & wait');
  await until('four processes in the group', () => processGroupMembers(leader).length === 4);
  const walked = descendants(leader);
  if (walked === undefined) return t.skip('this kernel lists no /proc/<pid>/task/<tid>/children');
  assert.deepEqual([...walked].sort(), [...processGroupMembers(leader)].sort());
});

test('a daemon that left its parent but stayed in the group: only a scan finds it, and GroupMembers keeps it between scans', async (t) => {
  // The subshell forks the first sleep and exits: that sleep is re-parented, out of the leader's tree, in its group.
  const leader = group(t, '(sleep 30 &); exec sleep 30');
  if (descendants(leader) === undefined) return t.skip('this kernel lists no /proc/<pid>/task/<tid>/children');
  // Until the subshell has gone: then the first sleep is in the group but out of the leader's tree.
  await until('the orphan in the group, out of the leader\'s tree', () => processGroupMembers(leader).length === 2 && descendants(leader)!.length === 1);
  const [orphan] = processGroupMembers(leader).filter((pid) => pid !== leader);
  assert.deepEqual(descendants(leader), [leader], 'not in the leader\'s tree');
  let now = 0;
  const members = new GroupMembers(leader, 250, () => now);
  assert.ok(members.current().includes(orphan!), 'the first call scans');
  now = 100;
  assert.ok(members.current().includes(orphan!), 'a walk between scans keeps what the scan found');
});

test('between two scans, a child started after the last one is found by the walk; the next scan comes on time', async (t) => {
  // A leader that starts its child only when told (SIGUSR1), once the scan has seen it alone.
  const script = "process.on('SIGUSR1', () => require('child_process').spawn('sleep', ['30'], { stdio: 'ignore' })); console.log('ready'); setInterval(() => {}, 1000);";
  const child = spawn(process.execPath, ['-e', script], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  t.after(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  });
  await once(child.stdout!, 'data'); // its handler is in place
  const leader = child.pid!;
  let now = 0;
  const members = new GroupMembers(leader, 250, () => now);
  assert.deepEqual(members.current(), [leader], 'the scan: the leader alone');
  if (descendants(leader) === undefined) return t.skip('this kernel lists no /proc/<pid>/task/<tid>/children');
  now = 200; // still before the next scan
  process.kill(leader, 'SIGUSR1');
  await until('the late child, seen by a walk', () => members.current().length === 2);
  assert.equal(processGroupMembers(leader).length, members.current().length);
  now = 250;
  assert.equal(members.current().length, 2, 'the next scan agrees');
});
