/**
 * The channels each user of a scenario is a member of, and their current one, as far as the scenario's
 * own successful commands tell (join, leave, current, ren, kick): what the course variants need to know
 * (harness/dialect/variants.ts): who is in the lobby, and which channels to leave before a goodbye.
 * Names are real channel names; a user never seen joining is in the lobby.
 */
import type { CommandName } from './session-api.ts';

interface Membership {
  channels: string[];
  current: string | undefined;
}

export class Memberships {
  private readonly byUser = new Map<string, Membership>();

  private of(user: string): Membership {
    let m = this.byUser.get(user);
    if (!m) this.byUser.set(user, (m = { channels: [], current: undefined }));
    return m;
  }

  /** True when the user has no current channel (never joined, or left, or was kicked from it). */
  inLobby(user: string): boolean {
    return this.of(user).current === undefined;
  }

  /** The user's channels, the current one first. */
  channels(user: string): string[] {
    const m = this.of(user);
    return m.current === undefined ? [...m.channels] : [m.current, ...m.channels.filter((c) => c !== m.current)];
  }

  /**
   * Record a command `user` ran successfully. `userOfNick` maps a real nick to the scenario's user
   * holding it (for the target of a kick).
   */
  succeeded(user: string, command: CommandName, args: Record<string, string | undefined>, userOfNick: (nick: string) => string | undefined): void {
    const m = this.of(user);
    if (command === 'join' && args.channel !== undefined) {
      if (!m.channels.includes(args.channel)) m.channels.push(args.channel);
      m.current = args.channel;
    } else if (command === 'leave' && m.current !== undefined) {
      this.remove(m, m.current);
    } else if (command === 'current' && args.channel !== undefined) {
      m.current = args.channel;
    } else if (command === 'ren' && m.current !== undefined && args.channel !== undefined) {
      const [from, to] = [m.current, args.channel];
      for (const other of this.byUser.values()) {
        other.channels = other.channels.map((c) => (c === from ? to : c));
        if (other.current === from) other.current = to;
      }
    } else if (command === 'kick' && m.current !== undefined && args.nick !== undefined) {
      const target = userOfNick(args.nick);
      if (target !== undefined) this.remove(this.of(target), m.current);
    }
  }

  /** The user is gone (quit, dropped, killed): no channel any more. */
  gone(user: string): void {
    this.byUser.delete(user);
  }

  private remove(m: Membership, channel: string): void {
    m.channels = m.channels.filter((c) => c !== channel);
    if (m.current === channel) m.current = undefined;
  }
}
