/** The operator password check of /OPER (§5.18), in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/**
 * Whether `given` is the operator password. A plain `===` stops at the first differing character, so
 * the time /OPER takes would tell a remote attacker how much of a guess is right. Both sides are hashed
 * first: timingSafeEqual needs equal lengths, and comparing fixed-size digests hides the length too.
 */
export function isOperatorPassword(given: string, expected: string | undefined): boolean {
  if (expected === undefined) return false; // no password configured: /OPER never succeeds
  return timingSafeEqual(digest(given), digest(expected));
}
