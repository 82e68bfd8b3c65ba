/**
 * Submissions whose server hard-codes its port (profile `server.port`, e.g. 1459) cannot be graded side by
 * side on one network: the second would find the port taken (or, worse, reach the first one's server).
 * Without a network namespace per grader, the batch therefore grades such submissions one at a time PER
 * PORT, while everything else keeps running --jobs at a time: a PortLocks hands out the port to one
 * grader at a time, in the order they asked.
 */
import { loadProfile } from '../harness/dialect/load-profile.ts';

/** The port a submission's profile says its server always listens on (undefined: the harness chooses). */
export function fixedPortOf(profile: string | undefined): number | undefined {
  try {
    return loadProfile(profile ?? 'canonical').server.port;
  } catch {
    return undefined; // a broken profile: its grader says so, and starts no server
  }
}

export class PortLocks {
  private readonly tails = new Map<number, Promise<void>>();

  /** Resolves when `port` is free for this caller; call the returned function to free it. */
  async acquire(port: number): Promise<() => void> {
    const before = this.tails.get(port) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    this.tails.set(port, tail);
    await before;
    return () => {
      release();
      if (this.tails.get(port) === tail) this.tails.delete(port);
    };
  }
}
