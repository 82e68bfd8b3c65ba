/**
 * Readiness without a probe connection (issue #4 item 5): a submission that hard-codes its port,
 * listens on all interfaces and crashes when a client connects and closes without a word. Watching its
 * process group's listening sockets (/proc) starts it safely; the probe connection kills it.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import path from 'node:path';
import { spawnedServer } from '../../../harness/target/spawned.ts';
import { canWatchListeningSockets, waitUntilListening } from '../../../harness/target/listening.ts';
import { spawn } from 'node:child_process';
import { freePort } from '../../../harness/target/probe.ts';
import { resolveProfilePath } from '../../../harness/dialect/load-profile.ts';
import { namesWithOutcome, removeReports, runConformanceCli } from '../proof/support/conformance-run.ts';
import { PROJECT_ROOT } from '../../../common/project-root.ts';
import { fixtureCommand } from '../../support/fixture-command.ts';

const FRAGILE = fixtureCommand('test/fixtures/dialect-servers/canonical.ts');
const skip = canWatchListeningSockets() ? false : 'needs Linux /proc';

describe('readiness detection', { skip }, () => {
  it('listening: a server on a fixed port that dies on a probe starts, and serves a client', async (t) => {
    const port = await freePort();
    const target = spawnedServer({ command: `${FRAGILE} ${port} --all-interfaces --die-on-probe`, startTimeoutMs: 15_000, operPassword: undefined, cwd: PROJECT_ROOT, port, readiness: 'listening' });
    t.after(() => target.stop());
    const address = await target.start();
    assert.deepEqual(address, { host: '127.0.0.1', port });
    const greeting = await firstLine(port);
    assert.match(greeting, /^HELLO /);
    assert.equal(target.crashCount(), 0);
  });

  it('connect: the same server is killed by the readiness probe itself (why the listening method exists)', async (t) => {
    const port = await freePort();
    const target = spawnedServer({ command: `${FRAGILE} ${port} --die-on-probe`, startTimeoutMs: 15_000, operPassword: undefined, cwd: PROJECT_ROOT, port, readiness: 'connect' });
    t.after(() => target.stop());
    await target.start(); // the probe got in...
    // ...and the server dies of it, once the probe has closed: on a loaded machine that may take a while
    // longer than the harness's own short settle, so wait for the death itself (bounded).
    const deadline = Date.now() + 15_000;
    while (target.crashCount() === 0 && Date.now() < deadline) await sleep(20);
    const crashes = await target.crashesSince(0, true);
    assert.equal(crashes.length, 1);
    assert.match(crashes[0]!.text, /exited with code 1[\s\S]*crashing/);
  });

  it('waitUntilListening sees this process group listening', async (t) => {
    const server = net.createServer().listen(0, '127.0.0.1');
    t.after(() => server.close());
    await new Promise((resolve) => server.once('listening', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const pgid = Number((await readFile('/proc/self/stat', 'utf8')).split(') ')[1]!.split(' ')[2]);
    assert.equal(await waitUntilListening(pgid, port, Date.now() + 5000), undefined);
  });

  it('a server that opens its socket long before it listens is still seen listening (the tables are read again while its sockets stay the same)', async (t) => {
    const port = await freePort();
    // socket() at once, listen() 0.6 s later: the group's sockets do not change when it starts listening.
    const script = `import socket, time\ns = socket.socket()\ns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\ntime.sleep(0.6)\ns.bind(("127.0.0.1", ${port}))\ns.listen()\ntime.sleep(30)\n`;
    const child = spawn('python3', ['-c', script], { detached: true, stdio: 'ignore' });
    t.after(() => process.kill(-child.pid!, 'SIGKILL'));
    const started = Date.now();
    const failure = await waitUntilListening(child.pid!, port, Date.now() + 10_000);
    assert.equal(failure, undefined);
    assert.ok(Date.now() - started >= 500, 'not before it listens');
  });

  it('a profile with server.port and readiness listening grades that server through the CLI, its command without {port}', async () => {
    const port = await freePort();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fixed-port-'));
    after(() => rm(dir, { recursive: true, force: true }));
    const profile = JSON.parse(await readFile(resolveProfilePath('canonical'), 'utf8'));
    profile.name = 'fixed-port';
    profile.server = { port, readiness: 'listening', restart: 'feature' };
    const file = path.join(dir, 'fixed-port.json');
    await writeFile(file, JSON.stringify(profile));
    const run = await runConformanceCli({ server: `${FRAGILE} ${port} --all-interfaces --die-on-probe`, tags: '@who', extraArgs: ['--profile', file], deadlineMs: 300_000 });
    after(() => removeReports(run));
    assert.equal(run.exitCode, 0, run.stderr + run.stdout.slice(-2000));
    assert.deepEqual(namesWithOutcome(run, 'failed'), []);
    assert.ok(namesWithOutcome(run, 'passed').length >= 5);
    assert.doesNotMatch(run.stdout, /target crashed/);
  });
});

function firstLine(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('\n')) {
        socket.end('/BYE\n');
        resolve(text.split('\n')[0]!);
      }
    });
    socket.on('error', reject);
    setTimeout(() => {
      socket.destroy();
      reject(new Error('no greeting'));
    }, 5000).unref();
  });
}
