/**
 * The step layer's one way to talk to the runner's target-control endpoint (harness/target/control-server.ts):
 * the hooks' /begin and /end, a console line typed on the target, a per-scenario instance with small §7
 * limits. What the target cannot do (501) becomes NotGradableError, so the scenario is reported as
 * "not gradable" with the endpoint's reason, never as a failure of the server under test.
 */
import type { IWorld } from '@cucumber/cucumber';
import { NotGradableError, type HarnessParameters } from '../../harness/session/session-api.ts';
import { CONTROL_SECRET_HEADER, localControl, type ConsoleResponse, type LimitedResponse } from '../../harness/target/control-server.ts';
import type { ConsoleOutcome, ServerLimits } from '../../harness/target/types.ts';

/** Covers a bounded restart of the target (the runner bounds the start itself). */
export const CONTROL_TIMEOUT_MS = 115_000;

/**
 * What the control helpers remember in the scenario's World. Any World: the runner loads the target-control
 * hooks with support code of its own too (its test fixtures), so this asks for no more than it uses.
 */
export type TargetControlWorld = IWorld<HarnessParameters> & {
  /** Where the scenario's connections go, when it differs from the run's parameters.target: see scenarioTarget. */
  target?: HarnessParameters['target'];
  /** Crash mark of the scenario's target (from /begin). */
  targetControlMark?: number;
  /** The id of the target of its own the scenario got from /begin (a @server-wide one in a --parallel run). */
  privateTarget?: string;
  /** Ids of the limited instances this scenario started, stopped by its /end. */
  limitedTargets?: string[];
  /** The scenario did something whose effect outlives it on the server (a console line, a ban): see markServerWide. */
  serverWideAction?: boolean;
  /** When the scenario's teardown began (epoch ms), set by the ChatWorld's closeConnections. */
  teardownAt?: number;
};

/**
 * The address this scenario's connections go to: the one the runner's control endpoint gave it (/begin after
 * a restart, a limited instance), else the run's. Never written into `parameters`: they are the run's
 * configuration, shared by every scenario.
 */
export function scenarioTarget(world: TargetControlWorld): HarnessParameters['target'] {
  return world.target ?? world.parameters.target;
}

/** POST `body` to the control endpoint; a 501 (the target cannot) is NotGradableError, other errors throw. */
export async function control<T>(world: TargetControlWorld, path: string, body: unknown): Promise<T> {
  const { controlUrl: url, controlSecret: secret } = world.parameters;
  if (!url) throw new Error('no target-control endpoint in this run');
  const local = localControl(url, secret ?? '');
  if (local) return answer<T>(await local(path, body));
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [CONTROL_SECRET_HEADER]: secret ?? '' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
  });
  return answer<T>({ status: response.status, payload: await response.json() });
}

/** The payload of a 200; a 501 (the target cannot) is NotGradableError; any other status throws. */
function answer<T>({ status, payload }: { status: number; payload: unknown }): T {
  const body = payload as T & { error?: string };
  if (status === 501) throw new NotGradableError(body.error ?? 'the target cannot do this');
  if (status < 200 || status >= 300) throw new Error(`target unavailable: ${body.error ?? status}`);
  return body;
}

/**
 * This scenario is about to change the server for everyone (type on its console, ban): a @server-wide
 * scenario that never got this far (not gradable earlier) changed nothing, and needs no restart after it.
 */
export function markServerWide(world: TargetControlWorld): void {
  world.serverWideAction = true;
}

/** Type one line on the target's server console; `output` is null when the harness cannot read the answer. */
export async function typeConsoleLine(world: TargetControlWorld, line: string): Promise<ConsoleOutcome> {
  const url = world.parameters.controlUrl;
  if (!url) throw new NotGradableError("the target's console is not reachable: the harness did not start this server (--target)");
  markServerWide(world);
  const answer = await control<ConsoleResponse>(world, '/console', { line, ...(world.privateTarget !== undefined ? { private: world.privateTarget } : {}) });
  return { output: answer.output };
}

/**
 * Start, for this scenario only, a separate target with these §7 limits, and point the scenario at it.
 * Must run before any user connects (connections already open stay on the shared target). The instance
 * is stopped when the scenario ends (the After hook's /end).
 */
export async function startLimitedTarget(world: TargetControlWorld, limits: ServerLimits): Promise<void> {
  const url = world.parameters.controlUrl;
  if (!url) throw new NotGradableError('the harness can only set limits on the embedded reference server (this one was given with --target)');
  const started = await control<LimitedResponse>(world, '/limited', { limits });
  (world.limitedTargets ??= []).push(started.id);
  world.target = started.target;
}
