/**
 * How eagerly V8 optimises the server's own code, set once when the server runs as a process.
 *
 * A chat server's hot path (read a line, route it, write it to N sockets) is a handful of small
 * functions called millions of times. V8's default interrupt budget (67584 bytecode units between
 * tier-up checks) is tuned for page scripts that may run once: the relay stays in the interpreter and
 * baseline code for the first ~100 ms of a burst, which on a short burst is most of it (bench/README.md,
 * "Server efficiency", has the measurements). A smaller budget lets the hot functions reach optimised
 * code after a few thousand deliveries instead. V8 reads the budget each time it resets a function's
 * counter, so setting it once the traffic starts is enough: the CLI sets it when the server becomes busy
 * (ServerOptions.onBusy, after BUSY_AFTER_DELIVERIES queued lines), not at start-up, because a server that
 * serves a few commands and exits (a graded scenario on a fresh instance, a test) spent about 20 ms of CPU
 * per run optimising code it never ran again: about 0.8 s of a grading run's 4.7 s of server CPU.
 * The bench's load generator uses the same policy for its own relay-shaped receive path (bench/load-worker.ts).
 */
import { setFlagsFromString } from 'node:v8';

/** Bytecode units between tier-up checks; 8000 was the best of 2000, 4000, 8000 and 16000 measured. */
export const INTERRUPT_BUDGET = 8000;

export function optimiseEarly(): void {
  setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
}

/**
 * V8 flags the server process is started with (`npm run server`, the benches' reference target): the
 * ones that only take effect on the command line (`v8.setFlagsFromString` is too late for them, and
 * NODE_OPTIONS refuses them). `--no-concurrent-recompilation` compiles hot functions on the server's own
 * thread when V8 picks them, instead of queueing them for a background thread: on a machine whose cores
 * are busy with the traffic (the 2-core bench box: the server and its load generator), that thread got
 * no core until the burst was nearly over, and the relay ran unoptimised meanwhile. bench/README.md,
 * "Server efficiency", has the measurements (50x1x2000: no more runs at half speed). package.json's
 * `server` script repeats these flags (test/unit/net/jit-policy.test.ts checks that it does).
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--no-concurrent-recompilation'];
