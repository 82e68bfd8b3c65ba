/**
 * Steps of features/limits.feature: the scenario's own server, started with one small §7 limit, and a
 * client that does not read. The limit reaches the server through the runner's control endpoint
 * (steps/support/target-control.ts); a target the harness cannot start with limits makes the scenario
 * not gradable. Thin, like every step: no wire text here, the Session renders the commands.
 */
import { Given, When } from '@cucumber/cucumber';
import type { ServerLimits } from '../harness/target/types.ts';
import type { ChatWorld } from './support/world.ts';
import { startLimitedTarget } from './support/target-control.ts';

/** The flood step's own bound: the Session bounds each write, this bounds the whole (count is bounded too). */
const FLOOD_TIMEOUT_MS = 60_000;

/** Limits apply to the scenario's own server, so they must be set before anybody connects. */
async function limitTarget(world: ChatWorld, limits: ServerLimits): Promise<void> {
  if (world.users.size > 0) {
    throw new Error(`a limit must be set before any user connects (${[...world.users.keys()].join(', ')} already did): move this step first`);
  }
  await startLimitedTarget(world, limits);
}

Given('the server accepts at most {int} connections', async function (this: ChatWorld, connections: number) {
  await limitTarget(this, { maxConnections: connections });
});

Given('the server gives {int} ms to register', async function (this: ChatWorld, ms: number) {
  await limitTarget(this, { registrationTimeoutMs: ms });
});

Given('the server remembers {int} messages per channel', async function (this: ChatWorld, messages: number) {
  await limitTarget(this, { historySize: messages });
});

Given('the server holds at most {int} KiB of unsent output per client', async function (this: ChatWorld, kib: number) {
  await limitTarget(this, { maxOutputBytes: kib * 1024 });
});

/**
 * The user stops reading, then sends the help request `count` times without waiting: the answers pile up
 * in the kernel's buffers, then in the server's queue for that client. Stops early once the server closes
 * the connection; the Then steps judge what happened.
 */
When('{user} asks for help {int} times without reading the answers', { timeout: FLOOD_TIMEOUT_MS }, async function (this: ChatWorld, user: string, count: number) {
  await this.session.stopReading(user);
  await this.session.sendRepeatedly(user, 'help', {}, count);
});
