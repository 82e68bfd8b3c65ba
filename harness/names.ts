/**
 * Unique real names for one scenario. Feature files say `alice` and `#room`; on a shared,
 * long-running target two scenarios (or two runs) must never meet, so each scenario appends its own
 * short suffix: `alice` -> `alice_k3f2`, `#room` -> `#room_k3f2`. Real names stay valid
 * (PROTOCOL.md §3.1: nick ^[A-Za-z][A-Za-z0-9_-]{0,15}$; §3.2: channel ^[A-Za-z0-9#_.-]{1,32}$),
 * stable within the scenario, and reversible for readable error messages.
 */

import { randomInt } from 'node:crypto';

const NICK_MAX = 16;
const CHANNEL_MAX = 32;

let scenarioCounter = 0;

/**
 * A fresh suffix: 4 random base-36 characters (parallel workers and other runs on a shared target
 * draw independently: 1.7 million values) plus a per-process counter, so that two scenarios of one
 * process never draw the same suffix in a row. 5 characters leave 10 for the nick itself.
 */
export function newSuffix(): string {
  const random = randomInt(36 ** 4).toString(36).padStart(4, '0');
  scenarioCounter = (scenarioCounter + 1) % 36;
  return random + scenarioCounter.toString(36);
}

export class NameMap {
  private readonly realByNick = new Map<string, string>();
  private readonly realByChannel = new Map<string, string>();
  private readonly logicalByReal = new Map<string, string>();

  constructor(readonly suffix: string = newSuffix()) {
    if (!/^[a-z0-9]{1,8}$/.test(suffix)) throw new Error(`name suffix must be 1-8 lower-case letters or digits, got "${suffix}"`);
  }

  nick(logical: string): string {
    let real = this.realByNick.get(logical);
    if (real === undefined) {
      let base = logical.replace(/[^A-Za-z0-9_-]/g, '');
      if (!/^[A-Za-z]/.test(base)) base = `u${base}`;
      real = this.unused(base, NICK_MAX);
      this.bindNick(logical, real);
    }
    return real;
  }

  channel(logical: string): string {
    let real = this.realByChannel.get(logical);
    if (real === undefined) {
      let base = logical.replace(/[^A-Za-z0-9#_.-]/g, '');
      if (base === '') base = 'c';
      real = this.unused(base, CHANNEL_MAX);
      this.realByChannel.set(logical, real);
      this.logicalByReal.set(real, logical);
    }
    return real;
  }

  /**
   * `<base>_<suffix>` within `max` characters. Truncation can make two logical names collide
   * (`a-very-long-name-1`, `a-very-long-name-2`): then a counter replaces the end of the base.
   */
  private unused(base: string, max: number): string {
    const room = max - this.suffix.length - 1;
    let candidate = `${base.slice(0, room)}_${this.suffix}`;
    for (let n = 2; this.logicalByReal.has(candidate); n++) {
      candidate = `${base.slice(0, room - String(n).length)}${n}_${this.suffix}`;
    }
    return candidate;
  }

  /** From now on `logical` is known by `real` (a user registered or renamed under a chosen nick). */
  bindNick(logical: string, real: string): void {
    this.realByNick.set(logical, real);
    this.logicalByReal.set(real, logical);
  }

  /** The logical name of a real nick or channel; unknown names are returned unchanged. */
  logical(real: string): string {
    return this.logicalByReal.get(real) ?? real;
  }
}
