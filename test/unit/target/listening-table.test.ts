/**
 * Reading the kernel's socket tables (harness/target/listening.ts, listeningPortsByInode): the LISTEN
 * sockets are listed first, so a read stops at the first line in another state, however long the table
 * (thousands of TIME_WAIT lines after a few runs) and wherever the chunks it is read in end; a whole read
 * still finds a LISTEN line placed after the others (what a kernel listing in another order would do).
 * listeningPortsOf reads the IPv6 table only for sockets the IPv4 table and the Unix list leave unexplained.
 * Over files in the tables' format, written here, and once over this machine's own tables.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listeningPortsByInode, listeningPortsOf } from '../../../harness/target/listening.ts';

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';

/** One line of /proc/net/tcp: `state` 0A is LISTEN, 06 TIME_WAIT, 01 ESTABLISHED. */
function line(index: number, port: number, state: string, inode: number): string {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
  return `${String(index).padStart(4)}: 0100007F:${hex(port)} 00000000:0000 ${state} 00000000:00000000 00:00000000 00000000     0        0 ${inode} 1 0000000000000000 100 0 0 10 0`;
}

function table(t: { after(fn: () => void): void }, lines: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tcp-table-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'tcp');
  fs.writeFileSync(file, `${[HEADER, ...lines].join('\n')}\n`);
  return file;
}

test('the LISTEN sockets come first: a read stops after them; a whole read finds one listed out of order', async (t) => {
  const lines = [line(0, 1459, '0A', 5001), line(1, 40000, '0A', 5002)];
  for (let i = 0; i < 2000; i += 1) lines.push(line(i + 2, 50000 + (i % 1000), i % 2 ? '06' : '01', 0));
  lines.push(line(2002, 41000, '0A', 5003)); // out of the kernel's order
  const file = table(t, lines);
  assert.ok(fs.statSync(file).size > 100_000, 'far more than one chunk');
  assert.deepEqual([...(await listeningPortsByInode(false, [file]))], [['5001', 1459], ['5002', 40000]]);
  assert.deepEqual([...(await listeningPortsByInode(true, [file]))], [['5001', 1459], ['5002', 40000], ['5003', 41000]]);
});

test('a LISTEN section longer than a chunk is read whole, lines cut by a chunk\'s end included', async (t) => {
  const lines: string[] = [];
  for (let i = 0; i < 400; i += 1) lines.push(line(i, 20000 + i, '0A', 7000 + i));
  lines.push(line(400, 30000, '06', 0));
  const ports = await listeningPortsByInode(false, [table(t, lines)]);
  assert.equal(ports.size, 400);
  assert.equal(ports.get('7399'), 20399);
  assert.equal(ports.get('7000'), 20000);
});

test('a missing table is no socket; both tables are read', async (t) => {
  const v4 = table(t, [line(0, 1459, '0A', 1)]);
  const v6 = table(t, [line(0, 1460, '0A', 2)]);
  assert.deepEqual([...(await listeningPortsByInode(false, [v4, v6, '/nonexistent/tcp']))].sort(), [['1', 1459], ['2', 1460]]);
});

/** /proc/net/unix's format: Num RefCount Protocol Flags Type St Inode Path. */
function unixTable(t: { after(fn: () => void): void }, inodes: number[]): string {
  const rows = inodes.map((inode) => `0000000000000000: 00000003 00000000 00000000 0001 03 ${inode}`);
  const file = table(t, []);
  fs.writeFileSync(file, `${['Num       RefCount Protocol Flags    Type St Inode Path', ...rows].join('\n')}\n`);
  return file;
}

test('listeningPortsOf: the IPv6 table answers only for sockets neither the IPv4 table nor the Unix list explains', async (t) => {
  const tcp = table(t, [line(0, 1459, '0A', 11)]);
  // The IPv6 table gives 11 another port and lists 13: read for 13 only, it must not change 11's answer.
  const tcp6 = table(t, [line(0, 2000, '0A', 11), line(1, 1460, '0A', 13)]);
  const unix = unixTable(t, [12]);
  const tables = { tcp, tcp6, unix };
  assert.deepEqual([...(await listeningPortsOf(new Set(['11', '12']), false, tables))], [['11', 1459]], 'stdio (Unix) and an IPv4 listener: no IPv6 lookup');
  assert.deepEqual([...(await listeningPortsOf(new Set(['11', '12', '13']), false, tables))].sort(), [['11', 1459], ['13', 1460]], 'an IPv6-only listener');
  assert.equal((await listeningPortsOf(new Set(), false, tables)).size, 0);
  // Without a Unix list (not readable), what the IPv4 table does not explain is looked for in the IPv6 one.
  assert.deepEqual([...(await listeningPortsOf(new Set(['11', '13']), false, { ...tables, unix: '/nonexistent/unix' }))].sort(), [['11', 1459], ['13', 1460]]);
});

test('listeningPortsOf on this machine: a listener on IPv4 and one on IPv6 are each found with their port', async (t) => {
  const { createServer } = await import('node:net');
  const { readdirSync, readlinkSync } = fs;
  const ownSockets = (): Set<string> =>
    new Set(
      readdirSync('/proc/self/fd').flatMap((fd) => {
        try {
          const socket = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`));
          return socket ? [socket[1]!] : [];
        } catch {
          return [];
        }
      }),
    );
  const listen = async (host: string): Promise<number | undefined> => {
    const server = createServer();
    t.after(() => server.close());
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(0, host, () => resolve(true));
    });
    return ok ? (server.address() as { port: number }).port : undefined;
  };
  const v4 = await listen('127.0.0.1');
  const v6 = await listen('::1');
  const ports = new Set((await listeningPortsOf(ownSockets())).values());
  assert.ok(ports.has(v4!), 'the IPv4 listener');
  if (v6 === undefined) return t.skip('no IPv6 loopback here');
  assert.ok(ports.has(v6), 'the IPv6 listener');
});
