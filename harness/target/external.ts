/** A server that is already running (`--target host:port`): only checked for reachability, never restarted. */
import { tryConnect } from './probe.ts';
import { TargetStartError, type TargetAddress, type TargetController } from './types.ts';

const REACH_TIMEOUT_MS = 3000;

export function externalServer(address: TargetAddress, operPassword: string | undefined): TargetController {
  return {
    owned: false,
    operPassword,
    describe: () => `external server at ${address.host}:${address.port}`,
    start: async () => {
      const failure = await tryConnect(address, REACH_TIMEOUT_MS);
      if (failure !== undefined) throw new TargetStartError(`cannot reach target ${address.host}:${address.port}: ${failure}`);
      return address;
    },
    acquire: async () => address,
    crashCount: () => 0,
    crashesSince: async () => [],
    unreportedCrashes: () => [],
    settleAfterTeardown: async () => {},
    stop: async () => {},
    killNow: () => {},
  };
}
