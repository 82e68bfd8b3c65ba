import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { coreOptionsOf, NET_DEFAULTS, netOptionsOf } from '../../../reference-server/net/options.ts';
import { displayAddress } from '../../../reference-server/net/connection.ts';

describe('server options', () => {
  it('fills in the network defaults of PROTOCOL.md §7', () => {
    assert.deepEqual(netOptionsOf({}), {
      host: '127.0.0.1',
      port: 1459,
      maxLineBytes: 4096,
      maxOutputBytes: 8 * 1024 * 1024,
      registrationTimeoutMs: 60_000,
      idleTimeoutMs: 0,
    });
    assert.equal(NET_DEFAULTS.port, 1459);
  });

  it('refuses values that would silently misbehave', () => {
    assert.throws(() => netOptionsOf({ port: 70000 }), /port/);
    assert.throws(() => netOptionsOf({ maxLineBytes: 0 }), /maxLineBytes/);
    assert.throws(() => netOptionsOf({ maxOutputBytes: Number.NaN }), /maxOutputBytes/);
    assert.throws(() => netOptionsOf({ registrationTimeoutMs: -1 }), /registrationTimeoutMs/);
  });

  it('passes only the core options that are set, so the core keeps its own defaults', () => {
    assert.deepEqual(coreOptionsOf({ port: 0, host: 'x', operPassword: undefined, maxConnections: 2 }), { maxConnections: 2 });
  });
});

describe('displayAddress', () => {
  it('shows IPv4-mapped IPv6 addresses as IPv4 (what /BAN prints and /UNBAN takes)', () => {
    assert.equal(displayAddress('::ffff:10.1.2.3'), '10.1.2.3');
    assert.equal(displayAddress('127.0.0.1'), '127.0.0.1');
    assert.equal(displayAddress('::1'), '::1');
    assert.equal(displayAddress(undefined), 'unknown');
  });
});
