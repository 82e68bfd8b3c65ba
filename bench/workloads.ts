/** The workloads of issue #8, as data: what `bench:compare` runs and how the goals read them. */

export interface ThroughputWorkload {
  kind: 'throughput';
  key: string;
  clients: number;
  senders: number;
  messages: number;
  /** Fixed total send rate (messages/s); undefined = as fast as the window allows. */
  rate?: number;
  /** Several clients send at once: the goal "2x naive Node and Python on multi-client workloads" applies. */
  multiClient: boolean;
}

export interface IdleWorkload {
  kind: 'idle';
  key: string;
  connections: number;
}

export type Workload = ThroughputWorkload | IdleWorkload;

const throughput = (clients: number, senders: number, messages: number, rate?: number): ThroughputWorkload => ({
  kind: 'throughput',
  key: `${clients}x${senders}x${messages}${rate === undefined ? '' : `@${rate}`}`,
  clients,
  senders,
  messages,
  rate,
  multiClient: senders > 1,
});

export function standardWorkloads(quick: boolean): Workload[] {
  return [
    throughput(50, 1, 2000),
    throughput(200, 10, 200),
    throughput(1000, 1, 100),
    throughput(200, 10, 1000),
    // Latency at a fixed moderate rate (about 400k deliveries/s, below every server's ceiling here).
    throughput(200, 10, 200, 2000),
    { kind: 'idle', key: 'idle', connections: quick ? 2000 : 10_000 },
  ];
}

/** Parses "50x1x2000", "200x10x200@2000" or "idle" / "idle:10000" (for --workloads). */
export function parseWorkload(text: string): Workload {
  const idle = /^idle(?::(\d+))?$/.exec(text);
  if (idle) return { kind: 'idle', key: 'idle', connections: idle[1] === undefined ? 10_000 : Number(idle[1]) };
  const match = /^(\d+)x(\d+)x(\d+)(?:@(\d+))?$/.exec(text);
  if (!match) throw new Error(`workload "${text}" is not CLIENTSxSENDERSxMESSAGES[@RATE] or idle[:N]`);
  return throughput(Number(match[1]), Number(match[2]), Number(match[3]), match[4] === undefined ? undefined : Number(match[4]));
}
