/**
 * Unique real names for one scenario. Feature files say `alice` and `#room`; on a shared,
 * long-running target two scenarios (or two runs) must never meet, so each scenario appends its own
 * short suffix: `alice` -> `alice_k3f2`, `#room` -> `#room_k3f2`. Real names stay valid
 * (PROTOCOL.md §3.1: nick ^[A-Za-z][A-Za-z0-9_-]{0,15}$; §3.2: channel ^[A-Za-z0-9#_.-]{1,32}$),
 * stable within the scenario, and reversible for readable error messages. A profile's "names" rules
 * (a server that takes only letters and digits, or short nicks) make them fit: `alice` -> `alik3f2x`
 * with `{ allowed: "A-Za-z0-9", maxLength: 8 }`, `#room` -> `#roomk3f2x` with `{ prefix: "#" }`.
 */

import { randomInt } from 'node:crypto';
import type { NameRule } from '../dialect/profile-types.ts';

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

  private readonly nickRule: Required<NameRule>;
  private readonly channelRule: Required<NameRule>;

  constructor(
    readonly suffix: string = newSuffix(),
    rules: { nick?: NameRule; channel?: NameRule } = {},
  ) {
    if (!/^[a-z0-9]{1,8}$/.test(suffix)) throw new Error(`name suffix must be 1-8 lower-case letters or digits, got "${suffix}"`);
    this.nickRule = { allowed: 'A-Za-z0-9_-', maxLength: NICK_MAX, prefix: '', ...rules.nick };
    this.channelRule = { allowed: 'A-Za-z0-9#_.-', maxLength: CHANNEL_MAX, prefix: '', ...rules.channel };
  }

  nick(logical: string): string {
    let real = this.realByNick.get(logical);
    if (real === undefined) {
      let base = this.keepAllowed(logical, this.nickRule);
      if (!/^[A-Za-z]/.test(base)) base = `u${base}`;
      real = this.unused(base, this.nickRule);
      this.bindNick(logical, real);
    }
    return real;
  }

  channel(logical: string): string {
    let real = this.realByChannel.get(logical);
    if (real === undefined) {
      let base = this.keepAllowed(logical, this.channelRule);
      if (base === '') base = 'c';
      real = this.unused(base, this.channelRule);
      this.realByChannel.set(logical, real);
      this.logicalByReal.set(real, logical);
    }
    return real;
  }

  /** `logical` without its prefix and without the characters the rule does not allow. */
  private keepAllowed(logical: string, rule: Required<NameRule>): string {
    const bare = rule.prefix !== '' && logical.startsWith(rule.prefix) ? logical.slice(rule.prefix.length) : logical;
    return bare.replace(new RegExp(`[^${rule.allowed}]`, 'g'), '');
  }

  /**
   * `<prefix><base>_<suffix>` within the rule's length (no `_` when the rule does not allow it).
   * Truncation can make two logical names collide (`a-very-long-name-1`, `a-very-long-name-2`): then a
   * counter replaces the end of the base.
   */
  private unused(base: string, rule: Required<NameRule>): string {
    const separator = new RegExp(`^[${rule.allowed}]$`).test('_') ? '_' : '';
    const room = Math.max(1, rule.maxLength - rule.prefix.length - this.suffix.length - separator.length);
    let candidate = `${rule.prefix}${base.slice(0, room)}${separator}${this.suffix}`;
    for (let n = 2; this.logicalByReal.has(candidate); n++) {
      // At least one character of the base stays (a nick starts with a letter); past the length, the suffix is cut.
      candidate = `${rule.prefix}${base.slice(0, Math.max(1, room - String(n).length))}${n}${separator}${this.suffix}`.slice(0, rule.maxLength);
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
