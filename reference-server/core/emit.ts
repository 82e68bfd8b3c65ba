/** Building the effect list one core call returns. */
import type { ConnId, Effect } from './effects.ts';
import type { User } from './state.ts';

/** One line to several connections: formatted once, `to` may be a shared cached array. */
export function sendTo(out: Effect[], to: readonly ConnId[], line: string, except?: ConnId): void {
  if (to.length === 0 || (to.length === 1 && to[0] === except)) return;
  out.push(except === undefined ? { kind: 'send', to, line } : { kind: 'send', to, line, except });
}

/** One line to one user (a reply, a data line or an event meant for that user only). */
export function sendToUser(out: Effect[], user: User, line: string): void {
  out.push({ kind: 'send', to: user.self, line });
}

export function closeConn(out: Effect[], conn: ConnId, reason: string): void {
  out.push({ kind: 'close', conn, reason });
}

export function log(out: Effect[], message: string): void {
  out.push({ kind: 'log', message });
}
