/**
 * Hardening audit (issue #7.1): every limit of PROTOCOL.md §7 is a command-line option of the reference
 * server, and file transfers never touch the server's disk. The limits' behaviour at socket level is
 * tested in test/unit/net/server.test.ts (line length, connections, output cap, registration timeout,
 * BAN) and in the core's tests; here: the options exist, reach the server, and take effect.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCliArgs, USAGE } from '../../../reference-server/net/cli-args.ts';
import type { ServerOptions } from '../../../reference-server/index.ts';
import { Sim } from '../core/sim.ts';

const SERVER_DIR = fileURLToPath(new URL('../../../reference-server/', import.meta.url));

/** §7's rows, the flag that sets each, and the server option it must become. */
const LIMITS: Array<{ limit: string; flag: string; key: keyof ServerOptions }> = [
  { limit: 'line length', flag: '--max-line-bytes', key: 'maxLineBytes' },
  { limit: 'connections', flag: '--max-connections', key: 'maxConnections' },
  { limit: 'registration time', flag: '--registration-timeout-ms', key: 'registrationTimeoutMs' },
  { limit: 'unsent output per client', flag: '--max-output-bytes', key: 'maxOutputBytes' },
  { limit: 'file size', flag: '--max-file-bytes', key: 'maxFileBytes' },
  { limit: 'waiting files per recipient', flag: '--max-pending-files', key: 'maxPendingFiles' },
  { limit: 'history per channel', flag: '--history-size', key: 'historySize' },
  { limit: 'waiting file bytes, whole server', flag: '--max-pending-file-bytes', key: 'maxPendingFileBytes' },
  { limit: 'history bytes, whole server', flag: '--max-history-bytes', key: 'maxHistoryBytes' },
  { limit: 'connections per address', flag: '--max-connections-per-address', key: 'maxConnectionsPerAddress' },
  { limit: 'idle time', flag: '--idle-timeout-ms', key: 'idleTimeoutMs' },
];

describe('every §7 limit is a command-line option', () => {
  for (const { limit, flag, key } of LIMITS) {
    it(`${limit}: ${flag} sets ${key} and is in --help`, () => {
      const command = parseCliArgs([flag, '7']);
      assert.deepEqual(command, { kind: 'run', options: { [key]: 7 } });
      assert.match(USAGE, new RegExp(`${flag} <n>`));
      assert.throws(() => parseCliArgs([flag, 'seven']), /must be an integer/);
    });
  }

  it('--history-size takes effect: a channel remembers that many messages', () => {
    const { options } = parseCliArgs(['--history-size', '2']) as { kind: 'run'; options: Partial<ServerOptions> };
    const sim = new Sim(options);
    const ann = sim.user('ann');
    sim.send(ann, '/JOIN #r');
    for (const text of ['one', 'two', 'three']) sim.send(ann, text);
    assert.deepEqual(sim.lines(ann, '/HISTORY 100'), ['HISTORY #r ann two', 'HISTORY #r ann three', 'OK HISTORY #r 2']);
  });

  it('--max-pending-files takes effect: one more announced file is ERR LIMIT', () => {
    const { options } = parseCliArgs(['--max-pending-files', '1']) as { kind: 'run'; options: Partial<ServerOptions> };
    const sim = new Sim(options);
    const ann = sim.user('ann');
    const bob = sim.user('bob');
    const cy = sim.user('cy');
    sim.channel('#r', ann, bob, cy);
    assert.equal(sim.send(ann, '/SEND bob a.txt 3'), 'OK SEND bob a.txt 3');
    assert.equal(sim.code(cy, '/SEND bob b.txt 3'), 'LIMIT');
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('file transfers never touch the server disk', () => {
  it('no module of reference-server/ imports a file-system or process module', () => {
    const files = sourceFiles(SERVER_DIR);
    assert.ok(files.length > 20, `found only ${files.length} sources`);
    const forbidden = /from\s+'(?:node:)?(?:fs|fs\/promises|child_process)'|import\(\s*'(?:node:)?fs/;
    const offenders = files.filter((file) => forbidden.test(readFileSync(file, 'utf8')));
    assert.deepEqual(offenders, []);
  });
});
