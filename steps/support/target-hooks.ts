/**
 * Target control from inside a scenario (this process or a parallel worker): before each scenario, ask the
 * runner's control endpoint for a ready target (it restarts the server when it died, when the isolation
 * level says so, for a @pristine scenario, or after a @server-wide one) and point this scenario at it;
 * after each scenario, close its connections FIRST (the World's closeConnections), then attach every
 * crash of the target that happened meanwhile (harness/target/crash-notes.ts): a death during the steps
 * fails the scenario, one its teardown caused is a disconnect finding that does not.
 *
 * The target's address can change on restart (a new port each time), so the Before hook rewrites
 * `this.parameters.target` in place; the session must read host/port from it when it connects.
 *
 * Also: @pristine scenarios need nobody else on the server, so in a parallel run they are never scheduled
 * next to another scenario (Cucumber's setParallelCanAssign), and the Before hook restarts the target first.
 * @exclusive scenarios are scheduled alone too, without a restart.
 */
import { After, Before, setParallelCanAssign } from '@cucumber/cucumber';
import { SERVER_WIDE_TAG, type BeginResponse, type EndResponse } from '../../harness/target/control-server.ts';
import { CONTROL_TIMEOUT_MS, control, type TargetControlWorld } from './target-control.ts';

const PRISTINE = '@pristine';
/** A little more than one control request may take. */
const HOOK_TIMEOUT_MS = CONTROL_TIMEOUT_MS + 5000;

/**
 * Scenarios whose effects reach every user of the server (e.g. /GLOBAL) must not run next to another
 * scenario either, or they break its "receives nothing" checks: tag them @exclusive. @pristine and
 * @server-wide imply it.
 */
const EXCLUSIVE = '@exclusive';

const ALONE = new Set([PRISTINE, EXCLUSIVE, SERVER_WIDE_TAG]);
const runsAlone = (pickle: { tags: readonly { name: string }[] }): boolean => pickle.tags.some((t) => ALONE.has(t.name));

setParallelCanAssign((pickle, running) => (runsAlone(pickle) ? running.length === 0 : !running.some(runsAlone)));

type World = TargetControlWorld;

Before({ name: 'target control: ready target', timeout: HOOK_TIMEOUT_MS }, async function (this: World, { pickle }) {
  const url = this.parameters.controlUrl;
  if (!url) return;
  const begun = await control<BeginResponse>(this, '/begin', { uri: pickle.uri, tags: pickle.tags.map((t) => t.name), name: pickle.name });
  for (const crash of begun.earlierCrashes) this.attach(crash, { mediaType: 'text/plain', fileName: 'crash on disconnect' });
  Object.assign(this.parameters.target, begun.target);
  this.targetControlMark = begun.mark;
});

After({ name: 'target control: crash reports', timeout: HOOK_TIMEOUT_MS }, async function (this: World, { pickle, result }) {
  const url = this.parameters.controlUrl;
  const failed = String(result?.status) === 'FAILED';
  // Whatever order Cucumber runs the After hooks in, the connections are closed before /end asks what
  // died, so a death the closing causes is seen as the teardown's.
  const teardownAt = this.teardownAt ?? Date.now();
  await this.closeConnections?.(failed);
  if (!url || this.targetControlMark === undefined) return;
  const limited = this.limitedTargets ?? [];
  this.limitedTargets = [];
  const ended = await control<EndResponse>(this, '/end', {
    mark: this.targetControlMark,
    failed,
    limited,
    teardownAt,
    name: pickle.name,
    // A @server-wide scenario that ended not gradable before typing on the console or banning changed
    // nothing for everyone: the next scenario can keep the same server (no restart).
    serverWide: pickle.tags.some((t) => t.name === SERVER_WIDE_TAG) && (String(result?.status) !== 'PENDING' || this.serverWideAction === true),
  });
  for (const crash of ended.crashes) this.attach(crash, { mediaType: 'text/plain', fileName: 'target crash' });
  for (const pointer of ended.pointers) this.attach(pointer, { mediaType: 'text/plain', fileName: 'target crash' });
  for (const finding of ended.disconnectCrashes) this.attach(finding, { mediaType: 'text/plain', fileName: 'crash on disconnect' });
  if (!failed && ended.crashes.length + ended.pointers.length > 0) {
    throw new Error(`the server died while this scenario's steps ran (every check before it passed): ${(ended.crashes[0] ?? ended.pointers[0])!.split('\n')[0]}`);
  }
});
