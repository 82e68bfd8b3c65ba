/**
 * The load generator: N clients register and join one channel, S of them send M messages each, and
 * every delivery is counted, ordered and timed.
 *
 * Flow control (the "window"): a sender keeps at most `window` of its messages in flight, where a
 * message stays in flight until EVERY other client has received it. This is dialect-independent (IRC
 * has no acknowledgement for PRIVMSG) and measures end-to-end fan-out, not how fast a server can
 * swallow input into its buffers. The same window is used for every server of a comparison.
 *
 * Everything is bounded: an overall deadline and a no-progress timeout end a run that stalls; what did
 * not arrive by then is reported as lost.
 *
 * So that the generator is not the bottleneck, its clients are spread over worker threads (shard.ts);
 * this module only coordinates them: setup, warm-up phase, measured phase, results.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { ConnectOptions } from './client-pool.ts';
import type { ToShard } from './load-worker.ts';
import type { ShardConfig, ShardResults } from './shard.ts';
import { percentiles } from './stats.ts';
import { busiestThreadCores, threadCpuMs } from './thread-cpu.ts';

export interface LoadOptions extends Omit<ConnectOptions, 'channel' | 'indexes' | 'clockMicros'> {
  senders: number;
  messages: number;
  /** Messages per sender not yet delivered to every recipient. */
  window?: number;
  channel?: string;
  /** The measured phase ends when nothing new arrived for this long, ms. */
  idleTimeoutMs?: number;
  /** Hard bound for the measured phase, ms. */
  runTimeoutMs?: number;
  /** Unmeasured messages per sender sent first. Default: `defaultWarmup` (servers run for days). */
  warmup?: number;
  /** Fixed total send rate, messages/s over all senders (default: as fast as the window allows). */
  rate?: number;
  /** Called right before the measured phase starts and right after it ends (to sample the server). */
  onMeasured?: (edge: 'start' | 'end') => void;
  /**
   * Worker threads sharing the clients (default 1). Measured on the 2-core box: the windowed loop is
   * latency-bound (neither side near a full core), and a second shard adds a cross-thread hop to every
   * window turn, which cost more than the parallel reads gained (C relay, 200x10x1000: about 5 M/s with
   * one shard, 3 M/s with two). More shards help when one shard's thread saturates (see the report).
   */
  workers?: number;
}

export interface LoadResult {
  dialect: string;
  clients: number;
  senders: number;
  messages: number;
  window: number;
  warmup: number;
  rate?: number;
  /** Worker threads the generator used. */
  workers: number;
  setupMs: number;
  expected: number;
  received: number;
  lost: number;
  /** Deliveries that arrived out of per-sender order, duplicated, or with an impossible sender/seq. */
  outOfOrder: number;
  /** From the first send to the last delivery, ms. */
  durationMs: number;
  deliveriesPerSec: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** The generator's own CPU over the measured phase, all threads, in cores (1.0 = one core fully busy). */
  generatorCores: number;
  /** CPU of the generator's busiest thread over the measured phase, in cores (NaN when unknown). */
  generatorBusiestThread: number;
  generatorSaturated: boolean;
  /** Connections that closed or failed during the measured phase. */
  disconnects: number;
  /** How the measured phase ended. */
  ended: 'complete' | 'idle-timeout' | 'run-timeout';
  errors: string[];
}

/**
 * Deliveries the default warm-up reaches before measuring. Measured on the reference server, 50x1:
 * 0.22 µs of server CPU per delivery in steady state, but 1.0 µs over a 98k-delivery phase that starts
 * 10k deliveries after the server started.
 */
export const WARMUP_DELIVERIES = 100_000;

/**
 * Messages (all senders together) the default warm-up sends at least. A server's per-message work (parse,
 * route, remember) warms up per message, not per delivery: on 200x10x200 the delivery count alone gave 51
 * messages per sender, 510 in all, and `--trace-opt` showed the reference server still compiling its
 * message path during the measured phase (16 ms of a 70 ms phase; it settles after 700 to 1,600
 * messages). 2000 is what 50x1x2000 already had.
 */
export const WARMUP_MESSAGES = 2000;

/**
 * The default warm-up, in messages per sender: enough for WARMUP_DELIVERIES deliveries and for
 * WARMUP_MESSAGES messages, at least 10% of `messages`, and never more than `messages` (a warm-up at
 * most doubles a run). Servers run for days, and a JIT-compiled one (the reference server, the naive
 * Node relay) is otherwise measured half cold on the shortest workloads; servers that do not compile
 * at run time are measured the same either way.
 */
export function defaultWarmup(clients: number, senders: number, messages: number): number {
  const forDeliveries = Math.ceil(WARMUP_DELIVERIES / (senders * (clients - 1)));
  const forMessages = Math.ceil(WARMUP_MESSAGES / senders);
  return Math.min(messages, Math.max(1, Math.ceil(messages / 10), forDeliveries, forMessages));
}

/** A generator thread counts as saturated from this fraction of one core. */
export const SATURATION_CORES = 0.9;

/** A worker thread running one shard, with a promise-based view of its replies. */
class ShardHandle {
  private readonly worker: Worker;
  /** Pending requests by the type of the reply they wait for ('failed' answers 'ready'). */
  private waiting = new Map<string, { resolve: (message: unknown) => void; reject: (error: Error) => void }>();
  private failure: Error | undefined;

  constructor(workerData: { config: ShardConfig; deliveredCount: SharedArrayBuffer; receivedTotal: SharedArrayBuffer; wake: SharedArrayBuffer }) {
    this.worker = new Worker(new URL('./worker-bootstrap.mjs', import.meta.url), {
      workerData: { ...workerData, entry: new URL('./load-worker.ts', import.meta.url).href },
    });
    this.worker.on('message', (message: { type: string; message?: string }) => {
      const replyType = message.type === 'failed' ? 'ready' : message.type;
      const waiter = this.waiting.get(replyType);
      if (waiter === undefined) return;
      this.waiting.delete(replyType);
      if (message.type === 'failed') waiter.reject(new Error(message.message));
      else waiter.resolve(message);
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`generator worker exited with code ${code}`)));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }

  send(message: ToShard): void {
    this.worker.postMessage(message);
  }

  /** Sends `message` and waits for the reply of type `reply`. */
  request<T>(message: ToShard, reply: string): Promise<T> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const answer = new Promise<T>((resolve, reject) => this.waiting.set(reply, { resolve: (m) => resolve(m as T), reject }));
    this.send(message);
    return answer;
  }

  async close(): Promise<void> {
    if (this.failure === undefined) {
      try {
        // A shard that does not answer within 2 s is terminated anyway (unref: never delays exit).
        await Promise.race([this.request({ type: 'close' }, 'closed'), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      } catch {
        // already failed: terminate below
      }
    }
    this.failure ??= new Error('closed');
    await this.worker.terminate();
  }
}

/** Runs one load workload against a server that is already listening. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { clients, senders, messages } = options;
  const window = options.window ?? 64;
  const idleTimeoutMs = options.idleTimeoutMs ?? 10_000;
  const runTimeoutMs = options.runTimeoutMs ?? 120_000;
  if (!(clients >= 2)) throw new RangeError('--clients must be at least 2 (one sender, one receiver)');
  if (!(senders >= 1 && senders <= clients)) throw new RangeError('--senders must be between 1 and --clients');
  if (!(messages >= 1)) throw new RangeError('--messages must be at least 1');
  if (!(window >= 1)) throw new RangeError('--window must be at least 1');
  const workers = Math.max(1, Math.min(options.workers ?? 1, clients));
  const warmup = options.warmup ?? defaultWarmup(clients, senders, messages);
  // Seqs [0, warmup) are the unmeasured warm-up (JIT of server and generator, socket buffers), seqs
  // [warmup, warmup + messages) the measured phase: one numbering keeps the order check simple.
  const totalSeq = warmup + messages;
  const recipients = clients - 1;
  const expected = senders * messages * recipients;

  const deliveredCount = new SharedArrayBuffer(4 * senders * totalSeq);
  const receivedTotal = new SharedArrayBuffer(4);
  const wake = new SharedArrayBuffer(4 * workers);
  const runId = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  const received = new Int32Array(receivedTotal);
  const shards: ShardHandle[] = [];
  for (let shard = 0; shard < workers; shard++) {
    const config: ShardConfig = {
      host: options.host,
      port: options.port,
      dialect: options.dialect.origin,
      clients,
      senders,
      totalSeq,
      measuredFrom: warmup,
      window,
      channel: options.channel ?? '#bench',
      nickPrefix: options.nickPrefix ?? 'b',
      // The setup concurrency is a property of the server (its listen backlog): share it.
      concurrency: Math.max(1, Math.floor((options.concurrency ?? 64) / workers)),
      setupTimeoutMs: options.setupTimeoutMs ?? 120_000,
      rate: options.rate,
      shard,
      shards: workers,
      originMs: performance.timeOrigin,
      runId,
    };
    shards.push(new ShardHandle({ config, deliveredCount, receivedTotal, wake }));
  }

  try {
    // Worker boot (module loading, profile compilation) is not part of the server's setup time.
    await Promise.all(shards.map((s) => s.request({ type: 'ping' }, 'pong')));
    const setupStarted = performance.now();
    await Promise.all(shards.map((s) => s.request({ type: 'setup' }, 'ready')));
    const setupMs = performance.now() - setupStarted;
    await Promise.all(shards.map((s) => s.request({ type: 'settle' }, 'settled')));

    /** Runs seqs [from, to) of every sender until all arrived or the run stalls. */
    const runPhase = async (from: number, to: number): Promise<{ ended: LoadResult['ended']; received: number }> => {
      const phaseExpected = senders * (to - from) * recipients;
      Atomics.store(received, 0, 0);
      const startedAt = performance.now();
      for (const s of shards) s.send({ type: 'phase', from, to });
      let lastProgressAt = startedAt;
      let progressMark = 0;
      const ended = await new Promise<LoadResult['ended']>((resolve) => {
        const check = (): void => {
          const now = performance.now();
          const count = Atomics.load(received, 0);
          if (count >= phaseExpected) return finish('complete');
          if (count > progressMark) {
            progressMark = count;
            lastProgressAt = now;
          }
          if (now - lastProgressAt > idleTimeoutMs) finish('idle-timeout');
          else if (now - startedAt > runTimeoutMs) finish('run-timeout');
        };
        // Completion is seen within 1 ms; the duration itself comes from the last delivery's timestamp.
        const timer = setInterval(check, 1);
        const finish = (how: LoadResult['ended']): void => {
          clearInterval(timer);
          resolve(how);
        };
      });
      for (const s of shards) s.send({ type: 'end-phase' });
      return { ended, received: Atomics.load(received, 0) };
    };

    if (warmup > 0) {
      const warm = await runPhase(0, warmup);
      if (warm.ended !== 'complete') {
        throw new Error(`warm-up stalled (${warm.ended}): ${warm.received} of ${senders * warmup * recipients} deliveries arrived`);
      }
    }
    options.onMeasured?.('start');
    const cpuBefore = process.cpuUsage(); // the whole process: every worker thread included
    const threadsBefore = threadCpuMs();
    const startedAt = performance.now();
    const measured = await runPhase(warmup, totalSeq);
    const cpu = process.cpuUsage(cpuBefore);
    const threadsAfter = threadCpuMs();
    const wallMs = performance.now() - startedAt;
    options.onMeasured?.('end');

    const results = await Promise.all(shards.map((s) => s.request<{ results: ShardResults }>({ type: 'results' }, 'results')));
    const recorded = results.reduce((sum, r) => sum + r.results.latencies.length, 0);
    const latencies = new Float64Array(recorded);
    let offset = 0;
    for (const r of results) {
      latencies.set(r.results.latencies, offset);
      offset += r.results.latencies.length;
    }
    const lastDeliveryMs = Math.max(...results.map((r) => r.results.lastDeliveryAtMicros)) / 1000;
    const durationMs = Math.max((recorded > 0 ? lastDeliveryMs : performance.now()) - startedAt, 1e-3);
    const [p50, p99, max] = percentiles(latencies, recorded, [50, 99, 100]);
    const generatorCores = (cpu.user + cpu.system) / 1000 / wallMs;
    const busiest = busiestThreadCores(threadsBefore, threadsAfter, wallMs);
    return {
      dialect: options.dialect.name,
      clients,
      senders,
      messages,
      window,
      warmup,
      rate: options.rate,
      workers,
      setupMs: round(setupMs, 1),
      expected,
      received: recorded,
      lost: expected - recorded,
      outOfOrder: results.reduce((sum, r) => sum + r.results.outOfOrder, 0),
      durationMs: round(durationMs, 1),
      deliveriesPerSec: Math.round((recorded / durationMs) * 1000),
      latencyMs: { p50: round(p50!, 3), p99: round(p99!, 3), max: round(max!, 3) },
      generatorCores: round(generatorCores, 2),
      generatorBusiestThread: round(busiest, 2),
      // Without per-thread figures (not Linux), fall back to the process total against all workers.
      generatorSaturated: Number.isNaN(busiest) ? generatorCores >= SATURATION_CORES * workers : busiest >= SATURATION_CORES,
      disconnects: results.reduce((sum, r) => sum + r.results.disconnects, 0),
      ended: measured.ended,
      errors: [
        // The shared counter and the recorded latencies must agree, or the generator itself is wrong.
        ...(recorded === measured.received ? [] : [`generator inconsistency: ${measured.received} deliveries counted, ${recorded} recorded`]),
        ...results.flatMap((r) => r.results.errors),
      ].slice(0, 10),
    };
  } finally {
    await Promise.all(shards.map((s) => s.close()));
  }
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
