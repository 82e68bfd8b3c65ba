/**
 * Target control from inside a scenario (this process or a parallel worker): before each scenario, ask the
 * runner's control endpoint for a ready target (it restarts the server when it died, when the isolation
 * level says so, or for a @pristine scenario) and point this scenario at it; after each scenario, attach
 * every crash of the target that happened meanwhile ("target crashed: ...").
 *
 * The target's address can change on restart (a new port each time), so the Before hook rewrites
 * `this.parameters.target` in place; the session must read host/port from it when it connects.
 *
 * Also: @pristine scenarios need nobody else on the server, so in a parallel run they are never scheduled
 * next to another scenario (Cucumber's setParallelCanAssign), and the Before hook restarts the target first.
 * @exclusive scenarios are scheduled alone too, without a restart.
 */
import { After, Before, setParallelCanAssign } from '@cucumber/cucumber';
import type { BeginResponse, EndResponse } from '../../harness/target/control-server.ts';
import { CONTROL_TIMEOUT_MS, control, type TargetControlWorld } from './target-control.ts';

const PRISTINE = '@pristine';
/** A little more than one control request may take. */
const HOOK_TIMEOUT_MS = CONTROL_TIMEOUT_MS + 5000;

/**
 * Scenarios whose effects reach every user of the server (e.g. /GLOBAL) must not run next to another
 * scenario either, or they break its "receives nothing" checks: tag them @exclusive. @pristine implies it.
 */
const EXCLUSIVE = '@exclusive';

const runsAlone = (pickle: { tags: readonly { name: string }[] }): boolean => pickle.tags.some((t) => t.name === PRISTINE || t.name === EXCLUSIVE);

setParallelCanAssign((pickle, running) => (runsAlone(pickle) ? running.length === 0 : !running.some(runsAlone)));

type World = TargetControlWorld;

Before({ name: 'target control: ready target', timeout: HOOK_TIMEOUT_MS }, async function (this: World, { pickle }) {
  const url = this.parameters.controlUrl;
  if (!url) return;
  const begun = await control<BeginResponse>(this, '/begin', { uri: pickle.uri, tags: pickle.tags.map((t) => t.name) });
  for (const crash of begun.earlierCrashes) {
    this.attach(`${crash}\n(after the previous scenario ended; the target was restarted for this one)`, { mediaType: 'text/plain', fileName: 'target crash' });
  }
  Object.assign(this.parameters.target, begun.target);
  this.targetControlMark = begun.mark;
});

After({ name: 'target control: crash reports', timeout: HOOK_TIMEOUT_MS }, async function (this: World, { result }) {
  const url = this.parameters.controlUrl;
  if (!url || this.targetControlMark === undefined) return;
  const failed = String(result?.status) === 'FAILED';
  const limited = this.limitedTargets ?? [];
  this.limitedTargets = [];
  const ended = await control<EndResponse>(this, '/end', { mark: this.targetControlMark, failed, limited });
  for (const crash of ended.crashes) this.attach(crash, { mediaType: 'text/plain', fileName: 'target crash' });
});
