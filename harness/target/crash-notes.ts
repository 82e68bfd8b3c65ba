/**
 * The words a scenario's report uses for a death of the target (one place: the hooks write them, the
 * run model and the grade read them back). Three cases:
 * - the crash block ("target crashed: ...", from the launcher) goes on the ONE scenario during whose steps
 *   the server died: that scenario fails for it;
 * - any other scenario that saw the same death (it ran alongside) gets one line pointing to that block;
 * - a death caused by a scenario's teardown (the harness closing its connections after every step had
 *   passed) does not fail the scenario: it is a finding about disconnect handling, reported once.
 */

/** How the launcher's crash block starts. */
export const CRASH_BLOCK_PREFIX = 'target crashed';

/** How a pointer to a crash block reported on another scenario starts. */
export const CRASH_POINTER_PREFIX = 'target crash reported on another scenario';

/** How a teardown crash (a finding about disconnects, never a failure of its scenario) starts. */
export const DISCONNECT_CRASH_PREFIX = 'crash on disconnect';

/** The tag of the scenarios a teardown crash is charged to: the rules about a connection that drops. */
export const DISCONNECT_TAG = '@disconnect';

export function crashPointer(owner: string): string {
  return `${CRASH_POINTER_PREFIX}: the server died while this scenario ran too; its crash report is on "${owner}"`;
}

export function disconnectCrash(block: string, when: 'teardown' | 'between'): string {
  const what =
    when === 'teardown'
      ? "the server died when this scenario's connections were closed, after every step had passed"
      : 'the server died after the previous scenario ended, before this one began (the previous scenario\'s connections had just closed)';
  return `${DISCONNECT_CRASH_PREFIX}: ${what}. Not a failure of this scenario: a finding about disconnect handling (PROTOCOL.md §1.7), charged once to the ${DISCONNECT_TAG} rules.\n${block}`;
}
