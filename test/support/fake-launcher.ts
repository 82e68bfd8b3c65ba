/**
 * A Launcher (harness/target/types.ts) that starts no process: each launch, after a moment, is a fake
 * instance on the next port (from 1000) that the test can make die; stop and killNow are recorded. For the
 * tests of RestartableTarget's standbys and targets of their own, which assert what was started and stopped.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { TargetInstance } from '../../harness/target/types.ts';

export interface FakeInstance {
  port: number;
  stopped: boolean;
  killed: boolean;
  die(): void;
}

export function fakeLauncher(): { launch: (cancel: AbortSignal) => Promise<TargetInstance>; instances: FakeInstance[] } {
  const instances: FakeInstance[] = [];
  let nextPort = 1000;
  const launch = async (cancel: AbortSignal): Promise<TargetInstance> => {
    await sleep(5); // starting takes a moment
    if (cancel.aborted) throw new Error('cancelled');
    let die = (): void => {};
    const exited = new Promise<number>((resolve) => (die = () => resolve(Date.now())));
    const fake: FakeInstance = { port: nextPort++, stopped: false, killed: false, die: () => die() };
    instances.push(fake);
    return {
      address: { host: '127.0.0.1', port: fake.port },
      died: exited.then(() => `target crashed: fake ${fake.port} exited`),
      exited,
      stop: async () => {
        fake.stopped = true;
        die();
      },
      killNow: () => {
        fake.killed = true;
      },
    };
  };
  return { launch, instances };
}
