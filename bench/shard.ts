/**
 * One shard of the load generator: the clients of one worker thread (global index i belongs to shard
 * i % shards, and so does sender i), their sending and their receiving.
 *
 * Shards share two Int32Arrays on a SharedArrayBuffer:
 * - `deliveredCount[sender * totalSeq + seq]`: recipients that got that message, over all shards
 *   (Atomics.add). A message leaves its sender's window when this reaches clients - 1.
 * - `receivedTotal[0]`: deliveries of the current phase over all shards, published once per received
 *   chunk (not per delivery), which the coordinator watches for completion and progress.
 * A sender's shard re-reads the shared counts of its senders after each chunk it receives. When
 * ANOTHER shard completes one of its messages (makes the last delivery), that shard wakes the owner
 * through a BroadcastChannel, at most one wake-up in flight per owner (`wake[owner]` flag): without it,
 * an owner whose own clients are all served would sit idle until a timer, at every window turn.
 */
import { performance } from 'node:perf_hooks';
import { BroadcastChannel } from 'node:worker_threads';
import { ClientPool } from './client-pool.ts';
import type { DialectOrigin } from './dialect.ts';
import { dialectFromOrigin } from './profile.ts';
import { encodePayload } from './payload.ts';

export interface ShardConfig {
  host: string;
  port: number;
  /** How to rebuild the dialect here (dialect objects hold functions and cannot cross threads). */
  dialect: DialectOrigin;
  clients: number;
  senders: number;
  /** Warm-up + measured messages per sender: the seq space of the run. */
  totalSeq: number;
  /** Seqs from this one on are measured (latency recorded). */
  measuredFrom: number;
  window: number;
  channel: string;
  nickPrefix: string;
  concurrency: number;
  setupTimeoutMs: number;
  /** Fixed total rate over all senders (messages/s), or undefined. */
  rate?: number;
  shard: number;
  shards: number;
  /** performance.timeOrigin of the coordinator: every shard's clock is relative to it (µs). */
  originMs: number;
  /** Unique per run: names the BroadcastChannel the shards wake each other through. */
  runId: string;
}

export interface SharedCounters {
  deliveredCount: Int32Array;
  receivedTotal: Int32Array;
  /** wake[shard] = 1 while a wake-up message to that shard is in flight. */
  wake: Int32Array;
}

export interface ShardResults {
  /** Latencies (ms) of the deliveries recorded in measured phases. */
  latencies: Float64Array;
  outOfOrder: number;
  /**
   * Clock (µs since the coordinator's origin) of the last delivery this shard saw, 0 if none. It is a
   * recorded (measured) one whenever the shard recorded any: the warm-up is complete before measuring starts.
   */
  lastDeliveryAtMicros: number;
  disconnects: number;
  errors: string[];
}

export class GeneratorShard {
  private readonly pool: ClientPool;
  private readonly recipients: number;
  private readonly ownedSenders: number[] = [];
  private readonly sent: Uint32Array;
  private readonly completed: Uint32Array;
  private readonly nextSeq: Int32Array;
  private latencies: Float64Array;
  private recorded = 0;
  private outOfOrder = 0;
  private lastDeliveryAtMicros = 0;
  private unpublished = 0;
  private phaseStart = 0;
  private phaseEnd = 0;
  private phaseStartedAt = 0;
  private phaseActive = false;
  private pacer: NodeJS.Timeout | undefined;
  private readonly ratePerSender: number | undefined;
  private readonly wakeChannel: BroadcastChannel;
  /** Shards to wake after the current chunk (one of their messages was completed here). */
  private readonly toWake: boolean[];

  constructor(
    private readonly config: ShardConfig,
    private readonly shared: SharedCounters,
  ) {
    const dialect = dialectFromOrigin(config.dialect);
    const indexes: number[] = [];
    for (let i = config.shard; i < config.clients; i += config.shards) indexes.push(i);
    for (let s = config.shard; s < config.senders; s += config.shards) this.ownedSenders.push(s);
    const offsetMs = performance.timeOrigin - config.originMs;
    this.pool = new ClientPool({
      host: config.host,
      port: config.port,
      dialect,
      clients: config.clients,
      indexes,
      nickPrefix: config.nickPrefix,
      channel: config.channel,
      concurrency: config.concurrency,
      setupTimeoutMs: config.setupTimeoutMs,
      clockMicros: () => (offsetMs + performance.now()) * 1000,
    });
    this.recipients = config.clients - 1;
    this.sent = new Uint32Array(config.senders);
    this.completed = new Uint32Array(config.senders);
    this.nextSeq = new Int32Array(config.clients * config.senders);
    // Every owned client may receive every other sender's measured messages; one more slot for the warm-up's.
    this.latencies = new Float64Array(indexes.length * config.senders * (config.totalSeq - config.measuredFrom) + 1);
    this.ratePerSender = config.rate === undefined ? undefined : config.rate / config.senders;
    this.pool.hooks = {
      delivery: (receiver, sender, seq, sentAt, nowMicros) => this.onDelivery(receiver, sender, seq, sentAt, nowMicros),
      afterChunk: () => this.afterChunk(),
    };
    this.toWake = new Array<boolean>(config.shards).fill(false);
    this.wakeChannel = new BroadcastChannel(`bench-wake-${config.runId}`);
    this.wakeChannel.onmessage = (event) => {
      if ((event as unknown as { data: number }).data !== config.shard) return;
      Atomics.store(this.shared.wake, config.shard, 0);
      this.pumpAll();
    };
  }

  setup(): Promise<number> {
    return this.pool.open();
  }

  settle(): Promise<void> {
    return this.pool.settle();
  }

  /**
   * Starts sending seqs [from, to) of the owned senders. Deliveries of the phase may reach this shard
   * BEFORE this call (another shard started sending first): nothing here may depend on the phase for
   * receiving, which is why what is measured is decided by the seq, not by the phase.
   */
  startPhase(from: number, to: number): void {
    this.phaseStart = from;
    this.phaseEnd = to;
    this.phaseActive = true;
    this.phaseStartedAt = performance.now();
    // The rate pacer; without a rate, only a safety net (wake-ups do the real work).
    this.pacer = setInterval(() => this.pumpAll(), this.ratePerSender === undefined ? 5 : 2);
    this.pumpAll();
  }

  endPhase(): void {
    this.phaseActive = false;
    clearInterval(this.pacer);
    this.pacer = undefined;
  }

  results(): ShardResults {
    return {
      latencies: this.latencies.slice(0, this.recorded),
      outOfOrder: this.outOfOrder,
      lastDeliveryAtMicros: this.lastDeliveryAtMicros,
      disconnects: this.pool.disconnects,
      errors: this.pool.errors,
    };
  }

  close(): void {
    this.endPhase();
    this.wakeChannel.close();
    this.pool.close();
  }

  private onDelivery(receiver: number, sender: number, seq: number, sentAt: number, nowMicros: number): void {
    const { senders, totalSeq } = this.config;
    if (sender >= senders || seq >= totalSeq || sender === receiver) {
      this.outOfOrder++;
      return;
    }
    const slot = receiver * senders + sender;
    if (this.nextSeq[slot] !== seq) {
      this.outOfOrder++;
      if (seq < this.nextSeq[slot]!) return; // a duplicate: already counted once
    }
    this.nextSeq[slot] = seq + 1;
    // Warm-up deliveries take the very path of measured ones (their latency lands in the slot the next
    // delivery overwrites): a branch that only the measured phase takes made V8 throw away this
    // function's optimised code, and recompile it, just as measuring began.
    const measured = seq >= this.config.measuredFrom ? 1 : 0;
    this.latencies[this.recorded] = (nowMicros - sentAt) / 1000;
    this.recorded += measured;
    this.lastDeliveryAtMicros = nowMicros;
    const count = Atomics.add(this.shared.deliveredCount, sender * totalSeq + seq, 1) + 1;
    if (count === this.recipients) {
      const owner = sender % this.config.shards;
      if (owner !== this.config.shard) this.toWake[owner] = true;
    }
    this.unpublished++;
  }

  private afterChunk(): void {
    if (this.unpublished > 0) {
      Atomics.add(this.shared.receivedTotal, 0, this.unpublished);
      this.unpublished = 0;
    }
    if (this.phaseActive) this.pumpAll();
    for (let owner = 0; owner < this.toWake.length; owner++) {
      if (!this.toWake[owner]) continue;
      this.toWake[owner] = false;
      if (Atomics.compareExchange(this.shared.wake, owner, 0, 1) === 0) this.wakeChannel.postMessage(owner);
    }
  }

  private pumpAll(): void {
    if (!this.phaseActive) return;
    for (const sender of this.ownedSenders) this.pump(sender);
  }

  /** Moves the sender's window past completed messages, then sends what the window (and rate) allow. */
  private pump(sender: number): void {
    const { totalSeq, window, channel } = this.config;
    const counts = this.shared.deliveredCount;
    let done = this.completed[sender]!;
    while (done < this.phaseEnd && Atomics.load(counts, sender * totalSeq + done) >= this.recipients) done++;
    this.completed[sender] = done;
    let seq = Math.max(this.sent[sender]!, this.phaseStart);
    let limit = Math.min(this.phaseEnd, done + window);
    const now = performance.now();
    if (this.ratePerSender !== undefined) {
      limit = Math.min(limit, this.phaseStart + Math.floor(((now - this.phaseStartedAt) / 1000) * this.ratePerSender) + 1);
    }
    if (seq >= limit) return;
    const nowMicros = this.pool.clockMicros();
    const dialect = this.pool.dialect;
    let text = '';
    for (; seq < limit; seq++) text += dialect.say(channel, encodePayload(sender, seq, nowMicros)) + dialect.eol;
    this.sent[sender] = seq;
    this.pool.write(sender, text);
  }
}
