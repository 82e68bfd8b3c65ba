/**
 * What a profile's `wire.stripAnsi` removes: the one definition, used by the harness's test client and
 * by the reference client (reference-client/protocol-profile.ts), so the option means one thing.
 *
 * CSI sequences (colours, cursor moves, private modes such as `ESC [ ? 25 l` and `ESC [ > 4 ; 2 m`),
 * OSC sequences ended by BEL or ESC \ (a window title: `ESC ] 0 ; title BEL`), and the two-character
 * escapes (ESC followed by a character from @ to Z or from \ to _, e.g. `ESC M`).
 */
export const ANSI_ESCAPE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/** An escape that may still be incomplete at the end of a chunk (stream reading keeps it for the next one). */
export const ANSI_INCOMPLETE_TAIL = /\u001b(?:\[[0-?]*[ -/]*|\][^\u0007\u001b]*)?$/;

/** `text` without its complete ANSI escapes. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_ESCAPE, '');
}
