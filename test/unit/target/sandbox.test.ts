/**
 * The sandbox (harness/target/sandbox.ts) on its own: what a command inside it can see, write and leave
 * behind. Needs bubblewrap (.ci/run installs it); without it every test fails saying so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PassThrough } from 'node:stream';
import { killerOf, prepareSandbox, sandboxArgv, sandboxUnavailable, type PreparedSandbox } from '../../../harness/target/sandbox.ts';

function requireBwrap(): void {
  const why = sandboxUnavailable();
  assert.equal(why, undefined, `the sandbox tests need bubblewrap: ${why}`);
}

/** A submission folder next to a neighbour's, prepared for the sandbox (removed after the test). */
function classOfTwo(t: { after: (fn: () => void) => void }): { root: string; mine: string; neighbour: string; sandbox: PreparedSandbox } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-test-'));
  const mine = path.join(root, 'mine');
  const neighbour = path.join(root, 'neighbour');
  fs.mkdirSync(mine);
  fs.mkdirSync(neighbour);
  fs.writeFileSync(path.join(mine, 'server.py'), 'print("mine")\n');
  fs.writeFileSync(path.join(neighbour, 'server.py'), 'print("neighbour")\n');
  const sandbox = prepareSandbox({ dir: mine, copy: true });
  t.after(() => {
    sandbox.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });
  return { root, mine, neighbour, sandbox };
}

function run(sandbox: PreparedSandbox, script: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const [file, ...args] = sandboxArgv(sandbox.spec, script);
  return new Promise((resolve) => {
    execFile(file!, args, { env: { ...process.env, ...env }, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

test('it sees its own folder read-only at its own path, and nothing of its neighbours', async (t) => {
  requireBwrap();
  const { mine, neighbour, sandbox } = classOfTwo(t);
  const out = await run(sandbox, `cat ${mine}/server.py; echo x > ${mine}/new.txt && echo WROTE-OWN; ls ${neighbour} && echo SAW-NEIGHBOUR; echo y >> ${neighbour}/server.py && echo WROTE-NEIGHBOUR; pwd`);
  assert.match(out.stdout, /print\("mine"\)/);
  assert.doesNotMatch(out.stdout, /WROTE-OWN|SAW-NEIGHBOUR|WROTE-NEIGHBOUR/);
  assert.equal(out.stdout.trim().split('\n').at(-1), mine, 'it starts in its folder');
  assert.equal(fs.readFileSync(path.join(neighbour, 'server.py'), 'utf8'), 'print("neighbour")\n');
  assert.ok(!fs.existsSync(path.join(mine, 'new.txt')));
});

test('its /tmp is private, its environment scrubbed, its processes its own, its uid not root', async (t) => {
  requireBwrap();
  const { sandbox } = classOfTwo(t);
  const marker = `sandbox-test-${process.pid}-${Date.now()}`;
  const out = await run(sandbox, `echo hi > /tmp/${marker}; env; echo PIDS $(ls /proc | grep -c '^[0-9]'); echo UID $(id -u); ls /root /home 2>&1 | head -1`, { SANDBOX_TEST_SECRET: 'hunter2' });
  assert.equal(out.code, 0, out.stderr);
  assert.ok(!fs.existsSync(path.join('/tmp', marker)), 'the file stayed in its private /tmp');
  assert.doesNotMatch(out.stdout, /hunter2|SANDBOX_TEST_SECRET/);
  assert.match(out.stdout, /^PATH=/m);
  assert.ok(Number(/PIDS (\d+)/.exec(out.stdout)?.[1]) <= 6, `it sees only its own few processes: ${out.stdout}`);
  if (process.getuid?.() === 0) assert.notEqual(/UID (\d+)/.exec(out.stdout)?.[1], '0');
});

test('a setsid double-forked daemon dies with the sandbox; a fork bomb stops at the process limit', async (t) => {
  requireBwrap();
  const { mine } = classOfTwo(t);
  const marker = `sandbox-daemon-${process.pid}-${Date.now()}`;
  fs.writeFileSync(path.join(mine, 'd.py'), `import os, signal, sys, time\nif os.fork() == 0:\n    os.setsid()\n    if os.fork() == 0:\n        signal.signal(signal.SIGTERM, signal.SIG_IGN)\n        time.sleep(120)\n    os._exit(0)\nos.wait()\ntime.sleep(120)\n`);
  const copy = prepareSandbox({ dir: mine, copy: true, limits: { processes: 20 } });
  t.after(() => copy.dispose());
  const [file, ...args] = sandboxArgv(copy.spec, `exec python3 ${mine}/d.py ${marker}`, undefined, { infoFd: true });
  const child = spawn(file!, args, { detached: true, stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  const kill = killerOf(child);
  const alive = (): number => withMarker(marker).length;
  // The server and its daemon: python processes, not bwrap's two (whose command lines hold the marker too).
  const pythons = (): number => withMarker(marker).filter((cmdline) => cmdline.startsWith('python3')).length;
  for (let i = 0; i < 200 && pythons() < 2; i++) await sleep(50);
  assert.ok(pythons() >= 2, 'the server and its daemon run');
  kill('SIGKILL');
  // Up to 20 s, ended as soon as nothing is left: the kernel takes the namespace down at once on an idle
  // machine. (Once, late in a full unit run, 3 processes were still there after 20 s: the test had killed
  // bwrap before its child armed --die-with-parent, which killerOf now covers; see the test below.)
  for (let i = 0; i < 400 && alive() > 0; i++) await sleep(50);
  assert.equal(alive(), 0, 'nothing of it is left');

  if (process.getuid?.() === 0) {
    const bomb = await run(copy, 'n=0; while [ $n -lt 100 ]; do (sleep 5 &) 2>/dev/null || break; n=$((n+1)); done; echo FORKED $n');
    assert.ok(Number(/FORKED (\d+)/.exec(bomb.stdout)?.[1] ?? 100) < 100, `the process limit stopped it: ${bomb.stdout} ${bomb.stderr}`);
  }
});

/** The command lines of the processes whose command line holds `marker` (argv joined by spaces). */
function withMarker(marker: string): string[] {
  return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).flatMap((p) => {
    try {
      const cmdline = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8');
      return cmdline.includes(marker) ? [cmdline.replaceAll('\0', ' ')] : [];
    } catch {
      return [];
    }
  });
}

test('killing a sandbox reaches its PID namespace even where its process group is not reached', async (t) => {
  // What a sandbox killed in its first moments looks like: bwrap's child has not armed --die-with-parent
  // yet, so killing bwrap's process group leaves it running. Here the group is never reached (bwrap is not
  // spawned detached: kill(-pid) finds no such group); only the namespace's init, named by bwrap on its
  // info descriptor, is. Under load the group kill alone left 13 of 100 sandboxes killed 0-2 ms after their
  // start running; none with this.
  requireBwrap();
  const { sandbox } = classOfTwo(t);
  const marker = `sandbox-init-${process.pid}-${Date.now()}`;
  const [file, ...args] = sandboxArgv(sandbox.spec, `exec python3 -c 'import time; time.sleep(60)' ${marker}`, undefined, { infoFd: true });
  const child = spawn(file!, args, { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  t.after(() => child.kill('SIGKILL'));
  const kill = killerOf(child);
  const sleeping = (): number => withMarker(marker).filter((cmdline) => cmdline.startsWith('python3')).length;
  for (let i = 0; i < 200 && sleeping() === 0; i++) await sleep(50);
  assert.equal(sleeping(), 1, 'the sandboxed command runs');
  kill('SIGKILL');
  for (let i = 0; i < 400 && sleeping() > 0; i++) await sleep(50);
  assert.equal(sleeping(), 0, 'the sandboxed command died with its namespace');
});

test('a forged or stale report of the namespace init kills nothing outside a sandbox', async (t) => {
  // Only bwrap writes that descriptor; still, a pid that is not in the namespace the report names (reused,
  // or this process's own namespace) is never killed.
  const bystander = spawn('sleep', ['60'], { stdio: 'ignore' });
  t.after(() => bystander.kill('SIGKILL'));
  await new Promise((resolve) => bystander.once('spawn', resolve));
  const ownNamespace = Number(/\d+/.exec(fs.readlinkSync('/proc/self/ns/pid'))![0]);
  for (const namespace of [ownNamespace, ownNamespace + 1]) {
    const report = new PassThrough();
    const kill = killerOf({ pid: undefined, stdio: [null, null, null, report] });
    kill('SIGKILL'); // before the report: carried out when it arrives
    report.end(JSON.stringify({ 'child-pid': bystander.pid, 'pid-namespace': namespace }));
    await sleep(50);
    assert.equal(bystander.exitCode, null, `pid-namespace ${namespace === ownNamespace ? "this process's own" : 'of another'}: the bystander lives`);
    assert.equal(bystander.signalCode, null);
  }
});
