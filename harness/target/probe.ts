/** TCP reachability checks, bounded in time. */
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TargetAddress } from './types.ts';
import { systemErrorMessage } from '../../common/plain-errors.ts';

/** Try one TCP connection; resolves to undefined on success or to the reason it failed. Closes what it opened. */
export function tryConnect(address: TargetAddress, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address.host, port: address.port });
    const timer = setTimeout(() => finish(`no answer within ${timeoutMs} ms`), timeoutMs);
    function finish(reason: string | undefined): void {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => {});
      socket.destroy();
      resolve(reason);
    }
    socket.once('connect', () => finish(undefined));
    socket.once('error', (e: NodeJS.ErrnoException) => finish(e.code === 'ECONNREFUSED' ? 'connection refused' : (systemErrorMessage(e, address) ?? e.code ?? e.message)));
  });
}

/**
 * Poll until the address accepts a connection, `deadline` (epoch ms) passes, or `gaveUp` resolves
 * (e.g. the process exited). Resolves to undefined when ready, else to why not.
 */
export async function waitUntilAccepting(address: TargetAddress, deadline: number, gaveUp?: Promise<string>): Promise<string | undefined> {
  let stopReason: string | undefined;
  void gaveUp?.then((reason) => {
    stopReason = reason;
  });
  let last = 'not tried';
  for (let attempt = 0; Date.now() < deadline; attempt++) {
    if (stopReason !== undefined) return stopReason;
    const failure = await tryConnect(address, Math.max(50, Math.min(1000, deadline - Date.now())));
    if (failure === undefined) return stopReason ?? undefined;
    last = failure;
    await sleep(readinessPollMs(attempt));
  }
  return stopReason ?? `not accepting connections on ${address.host}:${address.port} (${last})`;
}

/**
 * The pause before readiness check number `attempt + 1`: 5 ms, doubling up to 50 ms. A restart is then
 * seen within a few ms of the port opening (most servers listen within 100 ms of starting), while a slow
 * starter is not looked at more than 20 times a second.
 */
export function readinessPollMs(attempt: number): number {
  return Math.min(50, 5 * 2 ** Math.min(attempt, 4));
}

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}
