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
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { BenchDialect } from './dialect.ts';
import { encodePayload, PayloadScanner } from './payload.ts';
import { percentiles } from './stats.ts';

export interface ConnectOptions {
  host: string;
  port: number;
  dialect: BenchDialect;
  clients: number;
  /** Nicks are `${nickPrefix}${index}`; keep it short (IRC servers allow 9 characters by default). */
  nickPrefix?: string;
  /** Channel to join, or undefined to only register (idle-connection test). */
  channel?: string;
  /** Clients being set up at the same time. */
  concurrency?: number;
  /** Bound for the whole setup, ms. */
  setupTimeoutMs?: number;
}

export interface LoadOptions extends Omit<ConnectOptions, 'channel'> {
  senders: number;
  messages: number;
  /** Messages per sender not yet delivered to every recipient. */
  window?: number;
  channel?: string;
  /** The measured phase ends when nothing new arrived for this long, ms. */
  idleTimeoutMs?: number;
  /** Hard bound for the measured phase, ms. */
  runTimeoutMs?: number;
  /** Unmeasured messages per sender sent first (default: 10% of `messages`, at least 1). */
  warmup?: number;
  /** Fixed total send rate, messages/s over all senders (default: as fast as the window allows). */
  rate?: number;
  /** Called right before the measured phase starts and right after it ends (to sample the server). */
  onMeasured?: (edge: 'start' | 'end') => void;
}

export interface LoadResult {
  dialect: string;
  clients: number;
  senders: number;
  messages: number;
  window: number;
  warmup: number;
  rate?: number;
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
  /** The generator's own CPU over the measured phase, in cores (1.0 = one core fully busy). */
  generatorCores: number;
  generatorSaturated: boolean;
  /** Connections that closed or failed during the measured phase. */
  disconnects: number;
  /** How the measured phase ended. */
  ended: 'complete' | 'idle-timeout' | 'run-timeout';
  errors: string[];
}

/** A generator process counts as saturated from this fraction of one core. */
export const SATURATION_CORES = 0.9;

interface Client {
  index: number;
  nick: string;
  socket: net.Socket;
  scanner: PayloadScanner;
  /** True once this client's first delivery was checked against the dialect's delivery line. */
  validated: boolean;
}

/** Handlers the measured phase installs; setup leaves them as no-ops. */
interface DeliveryHooks {
  delivery(receiver: number, sender: number, seq: number, sentAtMicros: number, nowMicros: number): void;
}

/** A set of registered (and optionally joined) connections. */
export class ClientPool {
  readonly clients: Client[] = [];
  readonly errors: string[] = [];
  disconnects = 0;
  /** performance.now() of the last received chunk, to wait for quiet after setup. */
  lastReceiveAt = 0;
  hooks: DeliveryHooks = { delivery: () => {} };
  private closing = false;
  /** Computed once per received chunk: every line of a chunk arrived at the same moment. */
  private nowMicros = 0;

  constructor(private readonly options: ConnectOptions) {}

  get dialect(): BenchDialect {
    return this.options.dialect;
  }

  /** Connects, registers (and joins) every client; resolves with the setup time in ms. */
  async open(): Promise<number> {
    const { clients, concurrency = 64, setupTimeoutMs = 120_000 } = this.options;
    const started = performance.now();
    let next = 0;
    let failure: Error | undefined;
    const deadline = started + setupTimeoutMs;
    const worker = async (): Promise<void> => {
      while (next < clients && failure === undefined) {
        const index = next++;
        const remaining = deadline - performance.now();
        try {
          if (remaining <= 0) throw new Error(`setup did not finish within ${setupTimeoutMs} ms`);
          await this.openOne(index, remaining);
        } catch (error) {
          failure ??= error instanceof Error ? error : new Error(String(error));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, clients) }, worker));
    if (failure !== undefined) {
      this.close();
      throw failure;
    }
    return performance.now() - started;
  }

  /** Waits until nothing was received for `quietMs` (bounded by `maxMs`): lets setup events drain. */
  async settle(quietMs = 100, maxMs = 3000): Promise<void> {
    const until = performance.now() + maxMs;
    while (performance.now() < until && performance.now() - this.lastReceiveAt < quietMs) {
      await new Promise((resolve) => setTimeout(resolve, quietMs / 2));
    }
  }

  write(index: number, text: string): void {
    this.clients[index]!.socket.write(text);
  }

  close(): void {
    this.closing = true;
    for (const client of this.clients) if (client !== undefined) client.socket.destroy();
  }

  private openOne(index: number, timeoutMs: number): Promise<void> {
    const { host, port, dialect, channel, nickPrefix = 'b' } = this.options;
    const nick = `${nickPrefix}${index}`;
    return new Promise<void>((resolve, reject) => {
      let state: 'greeting' | 'registering' | 'joining' | 'ready' = dialect.greeting ? 'greeting' : 'registering';
      const socket = net.connect({ host, port });
      socket.setNoDelay(true);
      const timer = setTimeout(() => fail(`client ${nick}: no ${state} within ${Math.round(timeoutMs)} ms`), timeoutMs);
      const fail = (message: string): void => {
        if (state === 'ready') return;
        clearTimeout(timer);
        state = 'ready';
        socket.destroy();
        reject(new Error(message));
      };
      const send = (lines: string[]): void => {
        socket.write(lines.map((line) => line + dialect.eol).join(''));
      };
      const register = (): void => {
        state = 'registering';
        send(dialect.register(nick));
      };
      const joined = channel === undefined ? undefined : dialect.joined(channel);
      const client: Client = {
        index,
        nick,
        socket,
        validated: false,
        scanner: new PayloadScanner({
          delivery: (sender, seq, sentAt, buf, start, end) => {
            if (!client.validated) {
              client.validated = true;
              const line = buf.toString('utf8', start, end);
              if (!dialect.deliveryLine.test(line)) this.recordError(`${nick}: delivery in an unexpected line: ${line}`);
            }
            this.hooks.delivery(index, sender, seq, sentAt, this.nowMicros);
          },
          other: (line) => {
            const answer = dialect.answerKeepAlive?.(line);
            if (answer !== undefined) {
              socket.write(answer + dialect.eol);
              return;
            }
            if (state === 'greeting' && dialect.greeting!.test(line)) {
              register();
            } else if (state === 'registering') {
              if (dialect.registered.test(line)) {
                if (channel === undefined) {
                  done();
                } else {
                  state = 'joining';
                  send(dialect.join(channel));
                }
              } else if (dialect.registerFailed.test(line)) {
                fail(`client ${nick}: registration refused: ${line}`);
              }
            } else if (state === 'joining' && joined!.test(line)) {
              done();
            }
          },
        }),
      };
      const done = (): void => {
        clearTimeout(timer);
        state = 'ready';
        resolve();
      };
      this.clients[index] = client;
      socket.on('connect', () => {
        if (state === 'registering') register();
      });
      socket.on('data', (chunk: Buffer) => {
        this.lastReceiveAt = performance.now();
        this.nowMicros = this.lastReceiveAt * 1000;
        client.scanner.push(chunk);
      });
      socket.on('error', (error) => {
        if (state !== 'ready') fail(`client ${nick}: ${error.message}`);
        else this.recordError(`${nick}: ${error.message}`);
      });
      socket.on('close', () => {
        if (state !== 'ready') fail(`client ${nick}: connection closed during setup`);
        else if (!this.closing) this.disconnects++;
      });
    });
  }

  private recordError(message: string): void {
    if (this.errors.length < 10) this.errors.push(message);
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

  const channel = options.channel ?? '#bench';
  const dialect = options.dialect;
  const warmup = options.warmup ?? Math.min(messages, Math.max(1, Math.ceil(messages / 10)));
  const ratePerSender = options.rate === undefined ? undefined : options.rate / senders;
  const pool = new ClientPool({ ...options, channel });
  const setupMs = await pool.open();
  await pool.settle();

  // Sequence numbers [0, warmup) are the unmeasured warm-up (JIT of server and generator, socket
  // buffers), [warmup, warmup + messages) the measured phase. One numbering keeps the order check simple.
  const totalSeq = warmup + messages;
  const recipients = clients - 1;
  const expected = senders * messages * recipients;
  const latencies = new Float64Array(expected);
  // deliveredCount[s * totalSeq + q]: how many recipients got message q of sender s so far.
  const deliveredCount = new Uint32Array(senders * totalSeq);
  // nextSeq[r * senders + s]: the seq receiver r expects next from sender s (order and duplicate check).
  const nextSeq = new Int32Array(clients * senders);
  const sent = new Uint32Array(senders);
  const completed = new Uint32Array(senders); // messages of each sender delivered to everybody, in order
  let phaseStart = 0;
  let phaseEnd = 0;
  let phaseStartedAt = 0;
  let phaseExpected = 0;
  let phaseReceived = 0;
  let recording = false;
  let recorded = 0;
  let outOfOrder = 0;
  let lastDeliveryAt = 0;

  const pump = (sender: number): void => {
    let seq = sent[sender]!;
    let limit = Math.min(phaseEnd, completed[sender]! + window);
    const now = performance.now();
    if (ratePerSender !== undefined) {
      limit = Math.min(limit, phaseStart + Math.floor(((now - phaseStartedAt) / 1000) * ratePerSender) + 1);
    }
    if (seq >= limit) return;
    const nowMicros = now * 1000;
    let text = '';
    for (; seq < limit; seq++) text += dialect.say(channel, encodePayload(sender, seq, nowMicros)) + dialect.eol;
    sent[sender] = seq;
    pool.write(sender, text);
  };

  let finish: (how: LoadResult['ended']) => void = () => {};

  pool.hooks = {
    delivery(receiver, sender, seq, sentAt, nowMicros) {
      if (sender >= senders || seq >= totalSeq || sender === receiver) {
        outOfOrder++;
        return;
      }
      const slot = receiver * senders + sender;
      if (nextSeq[slot] !== seq) {
        outOfOrder++;
        if (seq < nextSeq[slot]!) return; // a duplicate: already counted once
      }
      nextSeq[slot] = seq + 1;
      if (recording) {
        latencies[recorded++] = (nowMicros - sentAt) / 1000;
        lastDeliveryAt = nowMicros;
      }
      const key = sender * totalSeq + seq;
      if (++deliveredCount[key]! === recipients && seq === completed[sender]) {
        let done = seq + 1;
        while (done < phaseEnd && deliveredCount[sender * totalSeq + done] === recipients) done++;
        completed[sender] = done;
        pump(sender);
      }
      if (++phaseReceived === phaseExpected) finish('complete');
    },
  };

  /** Sends seqs [from, to) of every sender and waits until all arrived or the run stalls. */
  const runPhase = async (from: number, to: number, record: boolean): Promise<LoadResult['ended']> => {
    phaseStart = from;
    phaseEnd = to;
    phaseExpected = senders * (to - from) * recipients;
    phaseReceived = 0;
    recording = record;
    phaseStartedAt = performance.now();
    let lastProgressAt = phaseStartedAt;
    let progressMark = 0;
    const finished = new Promise<LoadResult['ended']>((resolve) => {
      finish = resolve;
    });
    const watchdog = setInterval(() => {
      const now = performance.now();
      if (phaseReceived > progressMark) {
        progressMark = phaseReceived;
        lastProgressAt = now;
      }
      if (now - lastProgressAt > idleTimeoutMs) finish('idle-timeout');
      else if (now - phaseStartedAt > runTimeoutMs) finish('run-timeout');
    }, 50);
    // With a fixed rate, a fast timer releases what the rate allows; deliveries release the rest.
    const pacer = ratePerSender === undefined ? undefined : setInterval(() => {
      for (let sender = 0; sender < senders; sender++) pump(sender);
    }, 2);
    for (let sender = 0; sender < senders; sender++) pump(sender);
    const ended = await finished;
    clearInterval(watchdog);
    if (pacer !== undefined) clearInterval(pacer);
    return ended;
  };

  const warmupEnded = warmup > 0 ? await runPhase(0, warmup, false) : 'complete';
  if (warmupEnded !== 'complete') {
    pool.close();
    throw new Error(`warm-up stalled (${warmupEnded}): ${phaseReceived} of ${phaseExpected} deliveries arrived; ${pool.errors.join('; ')}`);
  }
  options.onMeasured?.('start');
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const ended = await runPhase(warmup, totalSeq, true);
  options.onMeasured?.('end');
  const received = phaseReceived;
  const endedAt = received > 0 ? lastDeliveryAt / 1000 : performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  const wallMs = performance.now() - startedAt;
  pool.close();

  const durationMs = Math.max(endedAt - startedAt, 1e-3);
  const [p50, p99, max] = percentiles(latencies, recorded, [50, 99, 100]);
  const generatorCores = (cpu.user + cpu.system) / 1000 / wallMs;
  return {
    dialect: dialect.name,
    clients,
    senders,
    messages,
    window,
    warmup,
    rate: options.rate,
    setupMs: round(setupMs, 1),
    expected,
    received,
    lost: expected - received,
    outOfOrder,
    durationMs: round(durationMs, 1),
    deliveriesPerSec: Math.round((received / durationMs) * 1000),
    latencyMs: { p50: round(p50!, 3), p99: round(p99!, 3), max: round(max!, 3) },
    generatorCores: round(generatorCores, 2),
    generatorSaturated: generatorCores >= SATURATION_CORES,
    disconnects: pool.disconnects,
    ended,
    errors: pool.errors,
  };
}

function round(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
