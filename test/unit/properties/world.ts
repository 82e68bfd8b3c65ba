/**
 * A minimal network layer around the pure core for property tests: a few connection slots that send
 * lines, drop, and reconnect; each step records what every connection received from it and the state
 * snapshots before and after, so a property can judge the step as a whole.
 */
import * as core from '../../../reference-server/core/index.ts';
import type { ConnId, CoreOptions, Effect, ServerState } from '../../../reference-server/core/index.ts';
import { takeSnapshot, type StateSnapshot } from './snapshot.ts';

export type Action =
  | { readonly kind: 'line'; readonly slot: number; readonly line: string }
  | { readonly kind: 'drop'; readonly slot: number }
  | { readonly kind: 'connect'; readonly slot: number };

export interface StepRecord {
  readonly action: Action;
  /** The connection that acted (undefined: the action had nobody to act, e.g. a line from an empty slot). */
  readonly actor: ConnId | undefined;
  readonly before: StateSnapshot;
  readonly after: StateSnapshot;
  /** Lines delivered by this step, per connection, in order. */
  readonly delivered: ReadonlyMap<ConnId, readonly string[]>;
  /** Connections the core closed during this step. */
  readonly closed: ReadonlySet<ConnId>;
}

export function describeAction(action: Action): string {
  return action.kind === 'line' ? `slot ${action.slot}: ${JSON.stringify(action.line)}` : `slot ${action.slot}: ${action.kind}`;
}

export class World {
  readonly state: ServerState;
  /** Slot -> its open connection, or undefined when the slot is disconnected. */
  private readonly slots: Array<ConnId | undefined>;
  private nextConn = 1;

  constructor(
    slotCount: number,
    options: Partial<CoreOptions>,
    /** Slot -> IP address (slots may share one, for /BAN). */
    private readonly addressOf: (slot: number) => string,
  ) {
    this.state = core.createServerState(options);
    this.slots = new Array<ConnId | undefined>(slotCount).fill(undefined);
  }

  /** Runs one action and returns its record. */
  step(action: Action): StepRecord {
    const before = takeSnapshot(this.state);
    const slot = action.slot % this.slots.length;
    let actor = this.slots[slot];
    let effects: Effect[] = [];
    if (action.kind === 'connect') {
      if (actor === undefined) {
        actor = this.nextConn++;
        this.slots[slot] = actor;
        effects = core.connectionOpened(this.state, actor, this.addressOf(slot));
      } else {
        actor = undefined; // already connected: nothing happens
      }
    } else if (actor !== undefined && action.kind === 'drop') {
      this.slots[slot] = undefined;
      effects = core.connectionClosed(this.state, actor);
    } else if (actor !== undefined && action.kind === 'line') {
      effects = core.lineReceived(this.state, actor, action.line);
    }
    const delivered = new Map<ConnId, string[]>();
    const closed = new Set<ConnId>();
    for (const effect of effects) {
      if (effect.kind === 'send') {
        for (const conn of effect.to) {
          if (conn === effect.except) continue;
          let lines = delivered.get(conn);
          if (lines === undefined) delivered.set(conn, (lines = []));
          lines.push(effect.line);
        }
      } else if (effect.kind === 'close') {
        closed.add(effect.conn);
        const closedSlot = this.slots.indexOf(effect.conn);
        if (closedSlot >= 0) this.slots[closedSlot] = undefined;
      }
    }
    return { action, actor, before, after: takeSnapshot(this.state), delivered, closed };
  }
}
