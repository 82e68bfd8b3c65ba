/**
 * A fake network layer around the core for unit tests: opens numbered connections, feeds lines and
 * expands `send` effects into one inbox per connection (honouring `except`), so tests read like
 * PROTOCOL.md. Every call also checks the contract invariants:
 *  - every non-blank client line gets exactly one final reply (OK/ERR/PONG) to its sender, and it is
 *    the last line that call sends to the sender (§2.1);
 *  - nothing is sent to a connection after its `close` effect, and the core forgets a closed
 *    connection (a later connectionClosed returns no effect);
 *  - arrays handed out in `send` effects are never mutated afterwards (they may be shared caches).
 */
import assert from 'node:assert/strict';
import * as core from '../../../reference-server/core/index.ts';
import type { ConnId, CoreOptions, Effect, ServerState } from '../../../reference-server/core/index.ts';

const FINAL = /^(OK|ERR|PONG)( |$)/;

export class Sim {
  readonly state: ServerState;
  private nextConn = 1;
  private readonly inboxes = new Map<ConnId, string[]>();
  readonly closed = new Set<ConnId>();
  readonly logs: string[] = [];
  /** Every line the last `send`/`lines` call delivered to its sender, in order. */
  last: string[] = [];
  private readonly handedOut: Array<{ array: readonly ConnId[]; copy: ConnId[] }> = [];

  constructor(options?: Partial<CoreOptions>) {
    this.state = core.createServerState(options);
  }

  /** Carries out effects like the net layer, checking the contract; returns them for tests that inspect shape. */
  apply(effects: Effect[]): Effect[] {
    for (const { array, copy } of this.handedOut) assert.deepEqual([...array], copy, 'a shared recipient array was mutated');
    for (const effect of effects) {
      if (effect.kind === 'send') {
        this.handedOut.push({ array: effect.to, copy: [...effect.to] });
        for (const conn of effect.to) {
          if (conn === effect.except) continue;
          assert.ok(!this.closed.has(conn), `line "${effect.line}" sent to closed connection ${conn}`);
          this.inbox(conn).push(effect.line);
        }
      } else if (effect.kind === 'close') {
        assert.ok(!this.closed.has(effect.conn), `connection ${effect.conn} closed twice`);
        this.closed.add(effect.conn);
        assert.deepEqual(core.connectionClosed(this.state, effect.conn), [], 'core still knew a closed connection');
      } else {
        this.logs.push(effect.message);
      }
    }
    if (this.handedOut.length > 200) this.handedOut.splice(0, this.handedOut.length - 200);
    return effects;
  }

  private inbox(conn: ConnId): string[] {
    let lines = this.inboxes.get(conn);
    if (lines === undefined) this.inboxes.set(conn, (lines = []));
    return lines;
  }

  /** A new connection; its HELLO (or ERR) stays in its inbox. */
  connect(address = '192.0.2.1'): ConnId {
    const conn = this.nextConn++;
    this.apply(core.connectionOpened(this.state, conn, address));
    return conn;
  }

  /** A connected, registered user with an empty inbox. */
  user(nick: string, address?: string): ConnId {
    const conn = this.connect(address);
    assert.equal(this.send(conn, nick), `OK WELCOME ${nick}`);
    this.drain(conn);
    return conn;
  }

  /** Sends `line` from `conn`; returns every line the sender got from it (checked to end with one final reply). */
  lines(conn: ConnId, line: string): string[] {
    const before = this.inbox(conn).length;
    this.apply(core.lineReceived(this.state, conn, line));
    const own = this.inbox(conn).splice(before);
    this.last = own;
    const finals = own.filter((l) => FINAL.test(l));
    const blank = /^[ \t]*$/.test(line);
    if (blank) {
      assert.deepEqual(own, [], `blank line ${JSON.stringify(line)} got a reply`);
    } else {
      assert.equal(finals.length, 1, `line ${JSON.stringify(line)} got ${finals.length} final replies: ${JSON.stringify(own)}`);
      assert.match(own.at(-1)!, FINAL, `the final reply to ${JSON.stringify(line)} is not its last line: ${JSON.stringify(own)}`);
    }
    return own;
  }

  /** Sends `line` from `conn`; returns its final reply (the other lines are in `last`). */
  send(conn: ConnId, line: string): string {
    return this.lines(conn, line).at(-1) ?? '';
  }

  /** The ERR code of the reply to `line`, or the whole reply if it is not an ERR. */
  code(conn: ConnId, line: string): string {
    const reply = this.send(conn, line);
    return reply.startsWith('ERR ') ? reply.split(' ')[1]! : reply;
  }

  /** Lines received by `conn` since the last drain; clears them. */
  drain(conn: ConnId): string[] {
    const lines = this.inbox(conn);
    this.inboxes.set(conn, []);
    return lines;
  }

  /** Clears every inbox. */
  drainAll(): void {
    for (const conn of this.inboxes.keys()) this.inboxes.set(conn, []);
  }

  /** `conn`'s connection drops (no /BYE). */
  drop(conn: ConnId): Effect[] {
    this.closed.add(conn);
    return this.apply(core.connectionClosed(this.state, conn));
  }

  console(line: string): Effect[] {
    return this.apply(core.consoleLine(this.state, line));
  }

  rejected(conn: ConnId, reason: 'LINE_TOO_LONG' | 'BAD_ENCODING'): Effect[] {
    return this.apply(core.lineRejected(this.state, conn, reason));
  }

  expire(conn: ConnId): Effect[] {
    return this.apply(core.registrationExpired(this.state, conn));
  }

  stats(): { connections: number; registered: number; channels: number } {
    return core.stats(this.state);
  }

  /** `owner` creates `channel`, then each of `others` joins it in order; inboxes cleared. */
  channel(channel: string, owner: ConnId, ...others: ConnId[]): void {
    assert.equal(this.send(owner, `/JOIN ${channel}`), `OK JOIN ${channel} owner`);
    for (const conn of others) assert.equal(this.send(conn, `/JOIN ${channel}`), `OK JOIN ${channel} member`);
    this.drainAll();
  }
}
