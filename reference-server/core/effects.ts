/**
 * The contract between the pure protocol core and the network layer.
 *
 * The core never touches a socket: every entry point takes the current state and one input
 * (a connection opened, a line received, a connection dropped, a console line, a timer) and
 * returns the effects the network layer must carry out, in order. Lines are given WITHOUT their
 * trailing "\n"; the network layer appends it.
 *
 * A `send` with several recipients is one formatted line shared by all of them, so the network
 * layer can encode it once into one Buffer (see docs/PROTOCOL.md and issue #8 on performance).
 */

/** Opaque connection identifier chosen by the network layer. */
export type ConnId = number;

export type Effect =
  /**
   * Send `line` (no terminator) to every connection in `to`, in array order, skipping `except`.
   * `to` may be an array the core keeps and reuses (e.g. a channel's cached member list): the core
   * never changes an array once it has returned it (a membership change makes a new one), so the
   * network layer may keep it until the end of the event-loop turn, and two effects with the same
   * array go to the same connections. The network layer must not mutate it.
   */
  | { kind: 'send'; to: readonly ConnId[]; line: string; except?: ConnId }
  /**
   * Close `conn` after flushing what was sent to it before. `reason` is for the server log only.
   * The core has already removed the user from its state (QUIT/OWNER effects precede this one in
   * the same list): the network layer need not call `connectionClosed` for it afterwards (calling
   * it anyway is harmless and returns no effects).
   */
  | { kind: 'close'; conn: ConnId; reason: string }
  /** Informational line for the server log (stderr). */
  | { kind: 'log'; message: string };
