/**
 * Every hook of the step layer, in one place: what runs around each scenario and each step, and in which
 * order. The state they set up and tear down is the World's (steps/support/world.ts); the run's
 * configuration (`this.parameters`) is read-only and never changed.
 *
 * Order: Cucumber runs Before hooks in the order they are defined here and After hooks in the REVERSE
 * order, so the After hooks below are written in the reverse of the order they run in. Nothing else in
 * steps/ defines a hook, so this file alone decides.
 *
 * The runner loads this file with every run, whatever --steps says (harness/run/runner.ts), for target control
 * and the quiet-wait statistics. Support code of its own (the runner's fixtures, test/fixtures/runner) brings
 * its own World: the target-control hooks work with any World, the ChatWorld's leave another World alone.
 *
 * Target control: before each scenario, ask the runner's control endpoint for a ready target (it restarts
 * the server when it died, when the isolation level says so, for a @pristine scenario, or after a
 * @server-wide one) and point this scenario's World at it (a restart gives a new port); after each
 * scenario, once its connections are closed, attach every crash of the target that happened meanwhile
 * (harness/target/crash-notes.ts): a death during the steps fails the scenario, one its teardown caused is
 * a disconnect finding that does not.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { After, AfterAll, Before, BeforeAll, BeforeStep, Status, setParallelCanAssign } from '@cucumber/cucumber';
import { VARIANT_PREFIX } from '../../harness/dialect/variants.ts';
import { sharedQuietWait } from '../../harness/wire/quiet-wait.ts';
import { QUIET_WAIT_STATS_ENV } from '../../harness/run/quiet-wait-stats.ts';
import { PRISTINE_TAG, SERVER_WIDE_TAG, serverWideRunsBeside, type BeginResponse, type EndResponse } from '../../harness/target/control-server.ts';
import { CONTROL_TIMEOUT_MS, control, type TargetControlWorld } from './target-control.ts';
import { liftBansLeft } from './bans.ts';
import { excusedBeforeStart } from './variants.ts';
import { canStartBeside } from './scheduling.ts';
import { knownUngradableReason } from '../../harness/run/known-ungradable.ts';
import type { ChatWorld } from './world.ts';

/** A little more than one control request may take. */
const TARGET_HOOK_TIMEOUT_MS = CONTROL_TIMEOUT_MS + 5000;

/** Not a hook, but when scenarios may run side by side (steps/support/scheduling.ts). */
setParallelCanAssign((pickle, running) => canStartBeside(pickle, running, serverWideRunsBeside()));

type AnyWorld = TargetControlWorld;

/**
 * The ChatWorld, told apart by shape: importing world.ts here (for instanceof) would run its
 * setWorldConstructor and make ChatWorld the World of the runner's fixture runs too.
 */
function isChatWorld(world: AnyWorld): world is ChatWorld {
  return typeof (world as Partial<ChatWorld>).openSession === 'function';
}

// ---- Before each scenario, in this order ------------------------------------------------------

/**
 * 0. A scenario the profile cannot grade, known before the run (harness/run/known-ungradable.ts): it ends
 *    here, "not gradable" with the reason the forecast found, and costs the target nothing (no restart,
 *    no connection). Its setup would only have spent the server's time up to the step it cannot express.
 */
Before({ name: 'not gradable with this profile (known before the run)' }, async function (this: AnyWorld, { pickle }) {
  const reason = knownUngradableReason(this.parameters, pickle);
  if (reason === undefined) return undefined;
  await this.attach(`not gradable: ${reason}`, 'text/plain');
  return 'pending';
});

/**
 * 1. The target first: /begin may restart the server (a new address), and its crash mark must be taken
 *    before anything of this scenario touches the server.
 */
Before({ name: 'target control: ready target', timeout: TARGET_HOOK_TIMEOUT_MS }, async function (this: AnyWorld, { pickle }) {
  if (!this.parameters.controlUrl) return;
  const begun = await control<BeginResponse>(this, '/begin', {
    uri: pickle.uri,
    tags: pickle.tags.map((t) => t.name),
    name: pickle.name,
    ...(sharedQuietWait.learning ? { wantsLatencies: true } : {}),
  });
  // A --parallel worker that has learned nothing yet starts from what the runner learned of the same server.
  if (begun.latencies) sharedQuietWait.seedFrom(begun.latencies);
  for (const crash of begun.earlierCrashes) this.attach(crash, { mediaType: 'text/plain', fileName: 'crash on disconnect' });
  this.target = begun.target;
  this.targetControlMark = begun.mark;
  this.privateTarget = begun.private;
});

/** 2. Then the scenario's Session, which connects its users to the World's target. */
Before(async function (this: AnyWorld, { pickle }) {
  if (!isChatWorld(this)) return undefined;
  const tags = new Set(pickle.tags.map((tag) => tag.name));
  // Safety nets: the runner filters these out by tag expression; never let them pass silently.
  if (tags.has(PRISTINE_TAG) && !this.parameters.pristine) return 'skipped';
  if (tags.has('@operator') && !this.parameters.operPassword) return 'skipped';
  await this.openSession();
  const excused = excusedBeforeStart(this, tags);
  if (excused) {
    await this.attach(`not gradable: ${excused.why}`, 'text/plain');
    await this.attach(`${VARIANT_PREFIX} ${excused.variant}: ${excused.why}`, 'text/plain');
    return 'pending';
  }
  return undefined;
});

// ---- Before each step ---------------------------------------------------------------------------

/**
 * "Then" observes what the "When" caused. When a When block starts (a When step after a Given or a
 * Then; its And/But steps belong to it), everything each connection received and no step checked is
 * forgotten, once a barrier per connection proved that all of it has arrived (PROTOCOL.md §2.1: the
 * setup's events were queued before the setup's last reply). So "bob receives nothing" means nothing
 * since the When, and "bob sees alice leave #room" cannot be satisfied by a leave from the setup.
 * Scenarios without a When keep everything, from the first step on.
 */
BeforeStep(async function (this: AnyWorld, { pickleStep }) {
  if (!isChatWorld(this)) return;
  const action = pickleStep.type === 'Action';
  const starts = action && !this.inAction;
  this.inAction = action;
  if (!starts || !this.hasSession) return;
  try {
    await this.session.discardReceived();
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    error.message = `before "${pickleStep.text}", the check that everything sent so far had arrived failed: ${error.message}`;
    throw error;
  }
});

// ---- After each scenario: written in REVERSE order (the last one here runs first) ------------------

/**
 * Runs second (last): asks /end what died since /begin. After the connections were closed, so a death
 * the closing causes is seen as the teardown's (a disconnect finding), not the steps'.
 */
After({ name: 'target control: crash reports', timeout: TARGET_HOOK_TIMEOUT_MS }, async function (this: AnyWorld, { pickle, result }) {
  const failed = String(result?.status) === 'FAILED';
  const teardownAt = this.teardownAt ?? Date.now();
  if (!this.parameters.controlUrl || this.targetControlMark === undefined) return;
  const limited = this.limitedTargets ?? [];
  this.limitedTargets = [];
  const ended = await control<EndResponse>(this, '/end', {
    mark: this.targetControlMark,
    failed,
    limited,
    teardownAt,
    name: pickle.name,
    ...(this.privateTarget !== undefined ? { private: this.privateTarget } : {}),
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

/**
 * Runs first: the scenario's last words (its transcript when it failed, the bans it left lifted), then
 * every connection closed (ChatWorld.closeConnections, which marks when the teardown began).
 */
After(async function (this: AnyWorld, { result }) {
  if (!isChatWorld(this)) return;
  await this.closeConnections(result?.status === Status.FAILED, () => liftBansLeft(this));
});

// ---- Before the run ----------------------------------------------------------------------------------

/** A run learns its server's reply latency from nothing (a process may run several suites one after the other). */
BeforeAll(function () {
  sharedQuietWait.forget();
});

// ---- After the run ----------------------------------------------------------------------------------

/**
 * Each process that ran scenarios (the runner itself, or each parallel worker) leaves what its quiet waits
 * learned (harness/wire/quiet-wait.ts) in the run's stats folder, for the runner to put in the run's notes.
 */
AfterAll(function () {
  const dir = process.env[QUIET_WAIT_STATS_ENV];
  if (!dir) return;
  const summary = sharedQuietWait.summary();
  if (summary.waits === 0) return;
  writeFileSync(path.join(dir, `quiet-wait-${process.pid}.json`), JSON.stringify(summary));
});
