/**
 * When a scenario may start beside the ones running (a --parallel run; steps/support/hooks.ts hands this
 * to Cucumber's setParallelCanAssign, which harness/run/lanes.ts honours).
 *
 * - @pristine scenarios need nobody else on the server (and /begin restarts the target first);
 * - @exclusive ones have effects that reach every user of the server (e.g. /GLOBAL), which would break
 *   another scenario's "receives nothing" checks;
 * - @server-wide ones change the server for everyone (a ban, the console).
 * Each of them runs alone: nothing starts beside it, and it starts only when nothing runs. Except that
 * when the runner gives each @server-wide scenario a server instance of its own (`serverWideBeside`:
 * --parallel on a server the runner starts, harness/target/control-server.ts), such a scenario shares its
 * server with nobody, so it runs beside the others whatever else it is tagged.
 */
import { PRISTINE_TAG, SERVER_WIDE_TAG } from '../../harness/target/control-server.ts';

const EXCLUSIVE_TAG = '@exclusive';

const ALONE = new Set([PRISTINE_TAG, EXCLUSIVE_TAG, SERVER_WIDE_TAG]);

interface Scheduled {
  tags: readonly { name: string }[];
}

/** This scenario must have the server to itself. */
export function runsAlone(pickle: Scheduled, serverWideBeside: boolean): boolean {
  const tags = pickle.tags.map((t) => t.name);
  if (serverWideBeside && tags.includes(SERVER_WIDE_TAG)) return false;
  return tags.some((tag) => ALONE.has(tag));
}

/** Whether `pickle` may start now, with `running` under way. */
export function canStartBeside(pickle: Scheduled, running: readonly Scheduled[], serverWideBeside: boolean): boolean {
  const alone = (p: Scheduled): boolean => runsAlone(p, serverWideBeside);
  return alone(pickle) ? running.length === 0 : !running.some(alone);
}
